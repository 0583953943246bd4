package io.df2redis.scenarios;

import io.df2redis.tools.SyncRespClient;

import java.io.IOException;
import java.util.Random;

/**
 * Commands that Dragonfly journals in a rewritten form (spec §5.8, §12): expiry forms as
 * absolute times, SPOP/LPOP/… as their effect, *STORE as the stored result, PFMERGE as SET,
 * cross-shard RENAME as DEL + RESTORE, COPY, MOVE, transactions and scripts spanning shards.
 * Every round uses keys of its own, prefixed with the round number, so rounds are independent.
 * Sorted-set *STORE uses integer scores: Dragonfly v1.40.1 journals ZUNIONSTORE/ZINTERSTORE
 * results with 6 significant digits, a master-side divergence its own replicas share.
 */
final class Rewrites {
    private Rewrites() {
    }

    static void round(SyncRespClient c, int r, Random rnd) throws IOException {
        String p = "rw" + r + ":";
        // expiry forms
        Data.ok(c, "SET", p + "ex", "v", "EX", "3600");
        Data.ok(c, "SET", p + "px", "v", "PX", "3600000");
        Data.ok(c, "SETEX", p + "setex", "3600", "v");
        Data.ok(c, "PSETEX", p + "psetex", "3600000", "v");
        Data.ok(c, "SET", p + "exat", "v", "EXAT", Long.toString(System.currentTimeMillis() / 1000 + 3600));
        Data.ok(c, "SET", p + "e", "v");
        Data.ok(c, "EXPIRE", p + "e", "3600");
        Data.ok(c, "PEXPIRE", p + "e", "7200000");
        Data.ok(c, "PERSIST", p + "e");
        Data.ok(c, "SET", p + "keep", "v", "PX", "3600000");
        Data.ok(c, "SET", p + "keep", "v2", "KEEPTTL");
        Data.ok(c, "SET", p + "nx", "v1", "NX");
        Data.ok(c, "SET", p + "nx", "v2", "NX");
        Data.ok(c, "SET", p + "nx", "v3", "XX", "GET");
        Data.ok(c, "GETEX", p + "nx", "EX", "3600");
        Data.ok(c, "SET", p + "gone", "v", "EX", "100");
        Data.ok(c, "EXPIRE", p + "gone", "-1");
        // strings
        Data.ok(c, "SET", p + "n", "10");
        Data.ok(c, "INCRBYFLOAT", p + "n", "1.5");
        Data.ok(c, "SET", p + "i", "5");
        Data.ok(c, "INCRBY", p + "i", "7");
        Data.ok(c, "DECRBY", p + "i", "2");
        Data.ok(c, "SET", p + "s", "hello");
        Data.ok(c, "SETRANGE", p + "s", "1", "ZZ");
        Data.ok(c, "APPEND", p + "s", " world");
        Data.ok(c, "SET", p + "gd", "x");
        Data.ok(c, "GETDEL", p + "gd");
        Data.ok(c, "MSETNX", p + "m1", "a", p + "m2", "b");
        Data.ok(c, "SETBIT", p + "bits", Integer.toString(rnd.nextInt(64)), "1");
        // lists
        Data.ok(c, "RPUSH", p + "l", "a", "b", "c", "d", "e", "b");
        Data.ok(c, "LPOP", p + "l");
        Data.ok(c, "RPOP", p + "l");
        Data.ok(c, "LMOVE", p + "l", p + "l2", "LEFT", "RIGHT");
        Data.ok(c, "BLMOVE", p + "l", p + "l2", "RIGHT", "LEFT", "0");
        Data.ok(c, "RPUSH", p + "l", "x", "b", "y", "b");
        Data.ok(c, "LREM", p + "l", "0", "b");
        Data.ok(c, "LSET", p + "l", "0", "A");
        Data.ok(c, "LINSERT", p + "l", "BEFORE", "y", "ins");
        Data.ok(c, "RPOPLPUSH", p + "l", p + "l3");
        Data.ok(c, "BLPOP", p + "l2", "0");
        Data.ok(c, "RPUSH", p + "t", "1", "2", "3", "4", "5");
        Data.ok(c, "LTRIM", p + "t", "1", "3");
        // sets
        Data.ok(c, "SADD", p + "st", "a", "b", "c", "d", "e", "f");
        Data.ok(c, "SPOP", p + "st");
        Data.ok(c, "SPOP", p + "st", "2");
        Data.ok(c, "SADD", p + "st2", "q", "a", "b", "c");
        Data.ok(c, "SMOVE", p + "st", p + "st2", "e");
        Data.ok(c, "SMOVE", p + "st", p + "st2", "f");
        Data.ok(c, "SINTERSTORE", p + "sinter", p + "st", p + "st2");
        Data.ok(c, "SUNIONSTORE", p + "sunion", p + "st", p + "st2");
        Data.ok(c, "SDIFFSTORE", p + "sdiff", p + "st2", p + "st");
        // hashes
        Data.ok(c, "HSET", p + "h", "f1", "v1", "f2", "v2", "n", "1", "x", "1.5");
        Data.ok(c, "HDEL", p + "h", "f2");
        Data.ok(c, "HINCRBY", p + "h", "n", "5");
        Data.ok(c, "HINCRBYFLOAT", p + "h", "x", "0.25");
        Data.ok(c, "HSETNX", p + "h", "new", "1");
        // sorted sets
        Data.ok(c, "ZADD", p + "z", "1", "a", "2", "b", "3", "c", "4", "d");
        Data.ok(c, "ZINCRBY", p + "z", "2.5", "a");
        Data.ok(c, "ZPOPMIN", p + "z");
        Data.ok(c, "ZPOPMAX", p + "z");
        Data.ok(c, "ZADD", p + "z2", "5", "x", "1", "b", "7", "y");
        Data.ok(c, "ZREM", p + "z2", "y");
        Data.ok(c, "ZUNIONSTORE", p + "zu", "2", p + "z2", p + "z2");
        Data.ok(c, "ZINTERSTORE", p + "zi", "2", p + "z2", p + "z2", "WEIGHTS", "2", "3");
        // HyperLogLog
        Data.ok(c, "PFADD", p + "hll1", "a", "b", "c" + r);
        Data.ok(c, "PFADD", p + "hll2", "c", "d");
        Data.ok(c, "PFMERGE", p + "hll3", p + "hll1", p + "hll2");
        // keyspace
        Data.ok(c, "SET", p + "src", "moved");
        Data.ok(c, "RENAME", p + "src", p + "dst");
        for (int i = 0; i < 4; i++) {
            Data.ok(c, "SET", p + "ra" + i, "value " + i, "PX", "3600000");
            Data.ok(c, "RENAME", p + "ra" + i, p + "rb" + i);
        }
        Data.ok(c, "RPUSH", p + "rl", "a", "b");
        Data.ok(c, "RENAMENX", p + "rl", p + "rl-new");
        Data.ok(c, "COPY", p + "h", p + "h-copy");
        Data.ok(c, "COPY", p + "z2", p + "z2-copy");
        Data.ok(c, "SET", p + "to-db1", "v");
        Data.ok(c, "MOVE", p + "to-db1", "1");
        Data.ok(c, "UNLINK", p + "m1", p + "m2");
        Data.ok(c, "DEL", p + "nonexistent");
        // spanning shards
        Data.ok(c, "MULTI");
        Data.ok(c, "SET", p + "mx1", "a");
        Data.ok(c, "SET", p + "mx2", "b");
        Data.ok(c, "INCR", p + "mx3");
        Data.ok(c, "LPUSH", p + "mx4", "q");
        Data.ok(c, "DEL", p + "mx1");
        Data.ok(c, "EXEC");
        Data.ok(c, "EVAL", "redis.call('SET', KEYS[1], ARGV[1]); redis.call('INCR', KEYS[2]); "
                + "redis.call('RPUSH', KEYS[3], ARGV[2]); return 1", "3", p + "ev1", p + "ev2", p + "ev3", "x", "y");
    }
}
