package io.df2redis.protocol.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A journal command's name as upper-case text, without a new {@code String} for the common ones:
 * every journal entry's name is asked for (to route, translate and filter it), and a stable sync of
 * small writes builds one per entry otherwise.
 *
 * <p>Thread ownership: immutable tables, safe from any thread.
 */
public final class CommandNames {
    private static final String[] COMMON = {
        "SET", "DEL", "GET", "INCR", "DECR", "INCRBY", "DECRBY", "INCRBYFLOAT", "APPEND", "SETEX", "PSETEX", "SETNX",
        "GETSET", "GETDEL", "MSET", "MSETNX", "UNLINK", "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "PERSIST",
        "RENAME", "RENAMENX", "RESTORE", "COPY", "MOVE", "LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LPOP", "RPOP", "LSET",
        "LREM", "LTRIM", "LINSERT", "LMOVE", "RPOPLPUSH", "SADD", "SREM", "SPOP", "SMOVE", "HSET", "HMSET", "HSETNX",
        "HDEL", "HINCRBY", "HINCRBYFLOAT", "ZADD", "ZREM", "ZINCRBY", "ZPOPMIN", "ZPOPMAX", "XADD", "XDEL", "XTRIM",
        "XACK", "XCLAIM", "XAUTOCLAIM", "XGROUP", "XSETID", "SELECT", "PING", "MULTI", "EXEC", "FLUSHALL", "FLUSHDB",
        "SETRANGE", "SETBIT", "PFADD", "PFMERGE", "EVAL", "EVALSHA", "JSON.SET", "SADDEX", "HSETEX", "EXPIRETIME",
    };
    /** Per first letter (A–Z), the common names starting with it, as bytes. */
    private static final byte[][][] BY_LETTER = new byte[26][][];
    private static final String[][] NAMES_BY_LETTER = new String[26][];

    static {
        for (int l = 0; l < 26; l++) {
            char c = (char) ('A' + l);
            java.util.List<String> names = new java.util.ArrayList<>();
            for (String n : COMMON) {
                if (n.charAt(0) == c) {
                    names.add(n);
                }
            }
            NAMES_BY_LETTER[l] = names.toArray(String[]::new);
            BY_LETTER[l] = names.stream().map(n -> n.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
        }
    }

    private CommandNames() {
    }

    /**
     * @param name a command name as sent (any case)
     * @return the name in upper case: a shared constant for a common command, else a new string
     */
    public static String upper(byte[] name) {
        if (name.length > 0) {
            int l = (name[0] | 0x20) - 'a';
            if (l >= 0 && l < 26) {
                byte[][] cands = BY_LETTER[l];
                for (int i = 0; i < cands.length; i++) {
                    if (equalsIgnoreAsciiCase(cands[i], name)) {
                        return NAMES_BY_LETTER[l][i];
                    }
                }
            }
        }
        return new String(name, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
    }

    /** {@code upper} is ASCII upper case; {@code b} any case. */
    private static boolean equalsIgnoreAsciiCase(byte[] upper, byte[] b) {
        if (upper.length != b.length) {
            return false;
        }
        for (int i = 0; i < b.length; i++) {
            int c = b[i];
            if (c >= 'a' && c <= 'z') {
                c -= 32;
            }
            if (c != upper[i]) {
                return false;
            }
        }
        return true;
    }
}
