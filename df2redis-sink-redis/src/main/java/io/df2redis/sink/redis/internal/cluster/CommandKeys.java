package io.df2redis.sink.redis.internal.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where the keys of a (journaled, write) command are, and whether a command whose keys span
 * several cluster slots can be split into one command per slot without changing its meaning.
 */
public final class CommandKeys {
    /** How a command's keys are laid out. */
    enum Layout {
        /** No key: runs on every master (FLUSHALL, SCRIPT, FUNCTION …) or is not routed. */
        NONE,
        /** The key is argument 1 (the common case). */
        FIRST,
        /** Every argument from 1 on is a key. */
        ALL,
        /** Arguments 1 and 2 are keys. */
        TWO,
        /** Arguments 1, 3, 5 … are keys (MSET-like key/value pairs). */
        PAIRS,
        /** Argument 2 is numkeys, the keys follow (EVAL, FCALL). */
        NUMKEYS_AT_2,
        /** Argument 1 is a destination key, argument 2 numkeys, the keys follow (ZUNIONSTORE …). */
        DEST_NUMKEYS,
        /** Argument 1 is numkeys, the keys follow (LMPOP, ZMPOP). */
        NUMKEYS_AT_1,
        /** Argument 2 is numkeys, the keys follow, argument 1 a timeout (BLMPOP, BZMPOP). */
        TIMEOUT_NUMKEYS,
        /** Keys from argument 2 on (BITOP op dest key …). */
        FROM_2,
        /** Keys after the STREAMS token, the first half (XREAD, XREADGROUP). */
        STREAMS
    }

    /** Commands that run on every master of a cluster. */
    public static final Set<String> BROADCAST = Set.of("FLUSHALL", "FLUSHDB", "SCRIPT", "FUNCTION");

    /** Multi-key commands whose per-slot parts mean the same as the whole. */
    private static final Set<String> SPLITTABLE = Set.of("DEL", "UNLINK", "TOUCH", "EXISTS", "MSET");

    private static final Map<String, Layout> LAYOUTS = new LinkedHashMap<>();

    static {
        for (String c : List.of("FLUSHALL", "FLUSHDB", "SCRIPT", "FUNCTION", "PING", "MULTI", "EXEC", "SELECT",
                "SWAPDB", "DFLYCLUSTER")) {
            LAYOUTS.put(c, Layout.NONE);
        }
        for (String c : List.of("DEL", "UNLINK", "TOUCH", "EXISTS", "MGET", "WATCH", "PFCOUNT", "PFMERGE",
                "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE", "SINTER", "SUNION", "SDIFF")) {
            LAYOUTS.put(c, Layout.ALL);
        }
        for (String c : List.of("RENAME", "RENAMENX", "SMOVE", "RPOPLPUSH", "BRPOPLPUSH", "LMOVE", "BLMOVE", "COPY",
                "ZRANGESTORE", "GEOSEARCHSTORE")) {
            LAYOUTS.put(c, Layout.TWO);
        }
        LAYOUTS.put("MSET", Layout.PAIRS);
        LAYOUTS.put("MSETNX", Layout.PAIRS);
        for (String c : List.of("EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO")) {
            LAYOUTS.put(c, Layout.NUMKEYS_AT_2);
        }
        for (String c : List.of("ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE")) {
            LAYOUTS.put(c, Layout.DEST_NUMKEYS);
        }
        for (String c : List.of("LMPOP", "ZMPOP", "SINTERCARD", "ZUNION", "ZINTER", "ZDIFF", "ZINTERCARD")) {
            LAYOUTS.put(c, Layout.NUMKEYS_AT_1);
        }
        LAYOUTS.put("BLMPOP", Layout.TIMEOUT_NUMKEYS);
        LAYOUTS.put("BZMPOP", Layout.TIMEOUT_NUMKEYS);
        LAYOUTS.put("BITOP", Layout.FROM_2);
        LAYOUTS.put("XREAD", Layout.STREAMS);
        LAYOUTS.put("XREADGROUP", Layout.STREAMS);
    }

    private CommandKeys() {
    }

    /** The argument indexes of the keys of {@code args} (a command name in upper case first). */
    public static int[] keyIndexes(String name, List<byte[]> args) {
        Layout l = LAYOUTS.getOrDefault(name, Layout.FIRST);
        int n = args.size();
        return switch (l) {
            case NONE -> new int[0];
            case FIRST -> n > 1 ? new int[] {1} : new int[0];
            case ALL -> range(1, n, 1);
            case TWO -> range(1, Math.min(3, n), 1);
            case PAIRS -> range(1, n, 2);
            case NUMKEYS_AT_2 -> range(3, Math.min(n, 3 + number(args, 2)), 1);
            case DEST_NUMKEYS -> concat(new int[] {1}, range(3, Math.min(n, 3 + number(args, 2)), 1));
            case NUMKEYS_AT_1 -> range(2, Math.min(n, 2 + number(args, 1)), 1);
            case TIMEOUT_NUMKEYS -> range(3, Math.min(n, 3 + number(args, 2)), 1);
            case FROM_2 -> range(2, n, 1);
            case STREAMS -> {
                int s = -1;
                for (int i = 1; i < n; i++) {
                    if (new String(args.get(i), StandardCharsets.UTF_8).equalsIgnoreCase("STREAMS")) {
                        s = i;
                        break;
                    }
                }
                yield s < 0 ? new int[0] : range(s + 1, s + 1 + (n - s - 1) / 2, 1);
            }
        };
    }

    /**
     * Whether a multi-key command means the same when cut into parts of its keys ({@code DEL},
     * {@code UNLINK}, {@code TOUCH}, {@code EXISTS}, {@code MSET}).
     */
    public static boolean isSplittable(String name) {
        return SPLITTABLE.contains(name);
    }

    /** Arguments per key of a splittable command: 2 for {@code MSET} (key value), else 1. */
    public static int keyStep(String name) {
        return LAYOUTS.get(name) == Layout.PAIRS ? 2 : 1;
    }

    /** Whether the command runs on every master. */
    public static boolean isBroadcast(String name) {
        return BROADCAST.contains(name);
    }

    /**
     * Splits a multi-slot command into one command per slot (each part in the order of its first
     * key), or returns null when the command cannot be split without changing its meaning.
     */
    public static List<List<byte[]>> splitBySlot(String name, List<byte[]> args) {
        if (!SPLITTABLE.contains(name)) {
            return null;
        }
        int step = LAYOUTS.get(name) == Layout.PAIRS ? 2 : 1;
        Map<Integer, List<byte[]>> parts = new LinkedHashMap<>();
        for (int i = 1; i + step - 1 < args.size(); i += step) {
            List<byte[]> part = parts.computeIfAbsent(SlotHash.slot(args.get(i)), s -> {
                List<byte[]> p = new ArrayList<>();
                p.add(args.get(0));
                return p;
            });
            for (int j = 0; j < step; j++) {
                part.add(args.get(i + j));
            }
        }
        return new ArrayList<>(parts.values());
    }

    /** The upper-case command name. */
    public static String name(List<byte[]> args) {
        return new String(args.get(0), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
    }

    private static int number(List<byte[]> args, int i) {
        if (i >= args.size()) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(new String(args.get(i), StandardCharsets.US_ASCII)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int[] range(int from, int to, int step) {
        if (to <= from) {
            return new int[0];
        }
        int[] r = new int[(to - from + step - 1) / step];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i * step;
        }
        return r;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = new int[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
