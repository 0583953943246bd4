package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.sink.redis.KeyFilter;
import io.df2redis.sink.redis.internal.cluster.CommandKeys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link KeyFilter} applied to one journal command: what to write instead — the command as it
 * is, with its keys renamed, cut to its passing keys ({@code DEL a b} → {@code DEL a}), nothing —
 * or that it cannot be applied on one side of the filter only. Stateless.
 */
public final class JournalFilter {
    /** The outcome for one command. */
    public enum Kind {
        /** Write {@link Outcome#args()}. */
        APPLY,
        /** Write nothing: the command concerns no passing key, or its name or type is excluded. */
        DROP,
        /** Its keys fall on both sides and it cannot be cut: the unsupported-data policy decides. */
        SPLIT,
        /** A flush while the filter selects keys: the target may hold keys the filter never wrote. */
        FLUSH
    }

    /**
     * @param kind what to do
     * @param args the command to write ({@link Kind#APPLY}), else null
     */
    public record Outcome(Kind kind, List<byte[]> args) {
        static final Outcome DROPPED = new Outcome(Kind.DROP, null);
        static final Outcome SPLIT_ACROSS = new Outcome(Kind.SPLIT, null);
        static final Outcome FLUSH_WITH_FILTER = new Outcome(Kind.FLUSH, null);
    }

    private static final Map<String, String> TYPE_BY_PREFIX = Map.ofEntries(
            Map.entry("L", "list"), Map.entry("RPUSH", "list"), Map.entry("RPOP", "list"),
            Map.entry("BL", "list"), Map.entry("BRPOP", "list"), Map.entry("S", "set"), Map.entry("Z", "zset"),
            Map.entry("BZ", "zset"), Map.entry("H", "hash"), Map.entry("X", "stream"), Map.entry("JSON.", "ReJSON-RL"),
            Map.entry("BF.", "MBbloom--"), Map.entry("PF", "string"), Map.entry("GEO", "zset"));
    private static final List<String> STRING_COMMANDS = List.of("SET", "SETEX", "PSETEX", "SETNX", "SETRANGE",
            "APPEND", "PREPEND", "INCR", "INCRBY", "INCRBYFLOAT", "DECR", "DECRBY", "GETSET", "GETDEL", "GETEX", "MSET",
            "MSETNX", "SETBIT", "BITFIELD", "BITOP");
    /** Commands that start like a type's prefix but concern keys of any type. */
    private static final List<String> GENERIC = List.of("SORT", "SORT_RO", "SCAN", "SELECT", "SWAPDB", "SCRIPT",
            "STICK", "LASTSAVE");

    private JournalFilter() {
    }

    /**
     * Applies {@code f} to a journal command of source db {@code db}.
     *
     * @param f the filter
     * @param db the command's source db
     * @param name its upper-case name
     * @param args the command, name first
     * @return what to write
     */
    public static Outcome apply(KeyFilter f, int db, String name, List<byte[]> args) {
        if (f.passesAll()) {
            return new Outcome(Kind.APPLY, args);
        }
        if (name.equals("FLUSHALL") || name.equals("FLUSHDB")) {
            boolean all = name.equals("FLUSHALL");
            if (!all && !f.passesDb(db)) {
                return Outcome.DROPPED;
            }
            return f.selectsKeys() || (all && selectsDbs(f)) ? Outcome.FLUSH_WITH_FILTER
                    : new Outcome(Kind.APPLY, args);
        }
        if (!f.passesDb(db) || !f.passesCommand(name) || !f.passesType(typeOf(name, args))) {
            return Outcome.DROPPED;
        }
        int[] keys = CommandKeys.keyIndexes(name, args);
        if (keys.length == 0) {
            return new Outcome(Kind.APPLY, args);
        }
        int passing = 0;
        for (int k : keys) {
            passing += f.passes(db, args.get(k)) ? 1 : 0;
        }
        if (passing == 0) {
            return Outcome.DROPPED;
        }
        if (passing < keys.length) {
            if (!CommandKeys.isSplittable(name)) {
                return Outcome.SPLIT_ACROSS;
            }
            int step = CommandKeys.keyStep(name);
            List<byte[]> cut = new ArrayList<>();
            cut.add(args.get(0));
            for (int i = 1; i + step - 1 < args.size(); i += step) {
                if (f.passes(db, args.get(i))) {
                    for (int j = 0; j < step; j++) {
                        cut.add(args.get(i + j));
                    }
                }
            }
            return new Outcome(Kind.APPLY, rename(f, db, cut, CommandKeys.keyIndexes(name, cut)));
        }
        return new Outcome(Kind.APPLY, rename(f, db, args, keys));
    }

    /** Whether a db rule is set (a FLUSHALL would also flush dbs the filter never writes). */
    private static boolean selectsDbs(KeyFilter f) {
        for (int d = 0; d < 256; d++) {
            if (!f.passesDb(d)) {
                return true;
            }
        }
        return false;
    }

    private static List<byte[]> rename(KeyFilter f, int db, List<byte[]> args, int[] keys) {
        if (!f.renames()) {
            return args;
        }
        List<byte[]> out = new ArrayList<>(args);
        for (int k : keys) {
            out.set(k, f.rename(db, args.get(k)));
        }
        return out;
    }

    /**
     * The {@code TYPE} of the keys a command writes, as its name says, or null for a command of any
     * type ({@code DEL}, {@code EXPIRE}, {@code RENAME} …); {@code RESTORE} by its payload's type byte.
     *
     * @param name the upper-case command name
     * @param args the command
     * @return the type, or null
     */
    public static String typeOf(String name, List<byte[]> args) {
        if (name.equals("RESTORE")) {
            if (args.size() > 3 && args.get(3).length > 10) {
                byte[] p = args.get(3);
                int version = (p[p.length - 10] & 0xFF) | (p[p.length - 9] & 0xFF) << 8;
                try {
                    return RdbType.of(p[0] & 0xFF, version).logicalType().typeReply();
                } catch (RuntimeException e) {
                    return null;
                }
            }
            return null;
        }
        if (STRING_COMMANDS.contains(name)) {
            return "string";
        }
        if (GENERIC.contains(name)) {
            return null;
        }
        for (int n = Math.min(name.length(), 5); n > 0; n--) {
            String t = TYPE_BY_PREFIX.get(name.substring(0, n));
            if (t != null) {
                return t;
            }
        }
        return null;
    }
}
