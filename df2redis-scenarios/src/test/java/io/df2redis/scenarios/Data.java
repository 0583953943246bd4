package io.df2redis.scenarios;

import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.tools.SyncRespClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Data a scenario writes into its master, as any client would (so the same code runs against
 * the embedded master and a real Dragonfly). Sizes are parameters: the suite keeps them small
 * enough for CI and large enough to cross every encoding boundary (listpack → hashtable,
 * intset → hashtable, listpack → skiplist, one quicklist node → many, values above the chunk
 * size).
 */
final class Data {
    private Data() {
    }

    /** Sends a command and fails on an error reply, naming the command. */
    static RespReply ok(SyncRespClient c, Object... args) throws IOException {
        RespReply r = c.call(args);
        if (r instanceof ErrorReply e) {
            throw new AssertionError("master refused " + args[0] + " " + (args.length > 1 ? args[1] : "") + ": "
                    + e.message());
        }
        return r;
    }

    /** Sends {@code cmd key} followed by {@code items}, in commands of at most 500 items. */
    static void variadic(SyncRespClient c, String cmd, String key, List<String> items) throws IOException {
        for (int from = 0; from < items.size(); from += 500) {
            List<Object> args = new ArrayList<>(List.of(cmd, key));
            args.addAll(items.subList(from, Math.min(items.size(), from + 500)));
            ok(c, args.toArray());
        }
    }

    static String pad(String s, int len) {
        StringBuilder b = new StringBuilder(s);
        while (b.length() < len) {
            b.append('.');
        }
        return b.toString();
    }

    /**
     * Every Redis-native type in its small and large encodings, prefixed {@code p}, with a TTL
     * on some keys: strings (integer, short, long, {@code bigString} bytes), lists (listpack,
     * quicklist of {@code big} elements), sets (intset, listpack, hashtable), hashes (listpack,
     * hashtable), sorted sets (listpack, skiplist) and streams (small; {@code big} entries with
     * a consumer group).
     */
    static void allTypes(SyncRespClient c, String p, int big, int bigString) throws IOException {
        ok(c, "SET", p + "str:int", "1234567");
        ok(c, "SET", p + "str:neg", "-42");
        ok(c, "SET", p + "str:short", "hello");
        ok(c, "SET", p + "str:long", pad("long", 300));
        ok(c, "SET", p + "str:big", pad("big", bigString));
        ok(c, "SET", p + "str:ttl", "expiring", "PX", "3600000");
        ok(c, "SET", p + "str:empty", "");

        List<String> small = new ArrayList<>();
        List<String> large = new ArrayList<>();
        List<String> ints = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            small.add("s" + i);
            ints.add(Integer.toString(i * 1000 - 3));
        }
        for (int i = 0; i < big; i++) {
            large.add(i % 97 == 0 ? pad("long-element-" + i, 120) : "e" + i);
        }
        variadic(c, "RPUSH", p + "list:small", small);
        variadic(c, "RPUSH", p + "list:big", large);
        variadic(c, "RPUSH", p + "list:ttl", small);
        ok(c, "PEXPIRE", p + "list:ttl", "3600000");

        variadic(c, "SADD", p + "set:int", ints);
        variadic(c, "SADD", p + "set:small", small);
        variadic(c, "SADD", p + "set:big", large);

        List<String> smallHash = new ArrayList<>();
        List<String> bigHash = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            smallHash.add("f" + i);
            smallHash.add("v" + i);
        }
        for (int i = 0; i < big; i++) {
            bigHash.add("field:" + i);
            bigHash.add(i % 101 == 0 ? pad("value-" + i, 200) : "v" + i);
        }
        variadic(c, "HSET", p + "hash:small", smallHash);
        variadic(c, "HSET", p + "hash:big", bigHash);
        variadic(c, "HSET", p + "hash:ttl", smallHash);
        ok(c, "EXPIRE", p + "hash:ttl", "7200");

        List<String> smallZ = new ArrayList<>();
        List<String> bigZ = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            smallZ.add(Double.toString(i * 1.5 - 3));
            smallZ.add("m" + i);
        }
        for (int i = 0; i < big; i++) {
            bigZ.add(Integer.toString(i % 1000 - 500));
            bigZ.add("member:" + i);
        }
        variadic(c, "ZADD", p + "zset:small", smallZ);
        variadic(c, "ZADD", p + "zset:big", bigZ);
        ok(c, "ZADD", p + "zset:inf", "+inf", "top", "-inf", "bottom", "0.1", "mid");

        for (int i = 1; i <= 5; i++) {
            ok(c, "XADD", p + "stream:small", i + "-1", "field", "v" + i);
        }
        for (int i = 1; i <= big / 10; i++) {
            ok(c, "XADD", p + "stream:big", i + "-0", "n", Integer.toString(i), "pad", i % 50 == 0 ? pad("x", 150) : "y");
        }
        ok(c, "XGROUP", "CREATE", p + "stream:big", "readers", "0");
        ok(c, "XGROUP", "CREATE", p + "stream:small", "idle", "$");
    }

    /** A mix of writes touching every type {@code allTypes} created (prefix {@code p}); {@code seed} picks keys. */
    static void mixedWrites(SyncRespClient c, String p, int n, long seed) throws IOException {
        Random rnd = new Random(seed);
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(12)) {
                case 0 -> ok(c, "SET", p + "str:short", "w" + i);
                case 1 -> ok(c, "INCRBY", p + "str:int", Integer.toString(rnd.nextInt(100)));
                case 2 -> ok(c, "APPEND", p + "str:long", "+" + i);
                case 3 -> ok(c, "RPUSH", p + "list:big", "live" + i);
                case 4 -> ok(c, "LPUSH", p + "list:small", "head" + i);
                case 5 -> ok(c, "SADD", p + "set:big", "live" + i);
                case 6 -> ok(c, "SREM", p + "set:small", "s" + rnd.nextInt(8));
                case 7 -> ok(c, "HSET", p + "hash:big", "field:" + rnd.nextInt(1000), "live" + i);
                case 8 -> ok(c, "HDEL", p + "hash:small", "f" + rnd.nextInt(8));
                case 9 -> ok(c, "ZADD", p + "zset:big", Integer.toString(rnd.nextInt(1000)), "member:" + i);
                case 10 -> ok(c, "SET", p + "new:" + i, "v" + i, "PX", "3600000");
                default -> ok(c, "DEL", p + "new:" + rnd.nextInt(Math.max(1, i)));
            }
        }
    }

    /** {@code n} small strings {@code p0..p(n-1)}. */
    static void strings(SyncRespClient c, String p, int n) throws IOException {
        List<Object> mset = new ArrayList<>(List.of("MSET"));
        for (int i = 0; i < n; i++) {
            mset.add(p + i);
            mset.add("value-" + i);
            if (mset.size() >= 1001) {
                ok(c, mset.toArray());
                mset = new ArrayList<>(List.of("MSET"));
            }
        }
        if (mset.size() > 1) {
            ok(c, mset.toArray());
        }
    }
}
