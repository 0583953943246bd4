package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * List commands as Dragonfly executes and journals them ({@code list_family.cc}): the moves
 * ({@code LMOVE}, {@code RPOPLPUSH}, {@code BLMOVE}, {@code BRPOPLPUSH}) become
 * {@code LPOP|RPOP src} + {@code LPUSH|RPUSH dst elem} (v1.30 journals a same-shard move as
 * received, a blocking one as {@code LMOVE}); blocking pops and {@code LMPOP} become
 * {@code LPOP|RPOP key} (Dragonfly journals an {@code LMPOP … COUNT n} as a single-element pop);
 * the others are journaled as received when they succeed.
 *
 * <p>The blocking commands never block here: with no data they answer as if their timeout had
 * passed.
 */
final class ListCommands {
    private ListCommands() {
    }

    static void register(Commands.Table t) {
        t.add("LPUSH", -3, x -> push(x, true, false));
        t.add("RPUSH", -3, x -> push(x, false, false));
        t.add("LPUSHX", -3, x -> push(x, true, true));
        t.add("RPUSHX", -3, x -> push(x, false, true));
        t.add("LPOP", -2, x -> pop(x, true));
        t.add("RPOP", -2, x -> pop(x, false));
        t.add("LMOVE", 5, x -> move(x, x.arg(1), x.arg(2), left(x, 3), left(x, 4), false));
        t.add("RPOPLPUSH", 3, x -> move(x, x.arg(1), x.arg(2), false, true, false));
        t.add("BLMOVE", 6, x -> {
            timeout(x, 5);
            return move(x, x.arg(1), x.arg(2), left(x, 3), left(x, 4), true);
        });
        t.add("BRPOPLPUSH", 4, x -> {
            timeout(x, 3);
            return move(x, x.arg(1), x.arg(2), false, true, true);
        });
        t.add("BLPOP", -3, x -> bpop(x, true));
        t.add("BRPOP", -3, x -> bpop(x, false));
        t.add("LMPOP", -4, ListCommands::lmpop);
        t.add("LREM", 4, ListCommands::lrem);
        t.add("LSET", 4, ListCommands::lset);
        t.add("LTRIM", 4, ListCommands::ltrim);
        t.add("LINSERT", 5, ListCommands::linsert);
    }

    private static boolean left(Exec x, int i) {
        return switch (x.word(i)) {
            case "LEFT" -> true;
            case "RIGHT" -> false;
            default -> throw Exec.syntax();
        };
    }

    private static void timeout(Exec x, int i) {
        double t = x.decimal(i, "ERR timeout is not a float or out of range");
        if (t < 0) {
            throw new IllegalArgumentException("ERR timeout is negative");
        }
    }

    static List<byte[]> list(Exec x, byte[] key) {
        RdbValue.ListValue l = x.get(key, RdbValue.ListValue.class);
        return l == null ? null : new ArrayList<>(l.elements());
    }

    /** Stores {@code elems} (deleting the key when empty), keeping {@code old}'s TTL and flags. */
    static void store(Exec x, byte[] key, RdbKeyValue old, List<byte[]> elems) {
        if (elems.isEmpty()) {
            x.delete(key);
        } else {
            x.update(key, old, RdbValue.list(elems));
        }
    }

    private static byte[] push(Exec x, boolean head, boolean onlyExisting) {
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        List<byte[]> elems = list(x, key);
        if (elems == null) {
            if (onlyExisting) {
                x.auto(); // a PUSHX on a missing key answers 0 and still succeeds
                return Resp.integer(0);
            }
            elems = new ArrayList<>();
        }
        for (int i = 2; i < x.argc(); i++) {
            if (head) {
                elems.add(0, x.arg(i));
            } else {
                elems.add(x.arg(i));
            }
        }
        store(x, key, old, elems);
        x.auto();
        return Resp.integer(elems.size());
    }

    private static byte[] pop(Exec x, boolean head) {
        long count = x.popCount();
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        List<byte[]> elems = list(x, key);
        if (elems == null) {
            return x.argc() == 3 ? new Out().nullArray().bytes() : Resp.bulk((byte[]) null);
        }
        List<byte[]> popped = new ArrayList<>();
        for (long i = 0; i < count && !elems.isEmpty(); i++) {
            popped.add(head ? elems.remove(0) : elems.remove(elems.size() - 1));
        }
        store(x, key, old, elems);
        x.auto();
        return x.argc() == 3 ? Reads.bulks(popped) : Resp.bulk(popped.get(0));
    }

    private static byte[] move(Exec x, byte[] src, byte[] dst, boolean fromLeft, boolean toLeft, boolean blocking) {
        x.span(List.of(src, dst));
        if (blocking) {
            x.multiHop();
        }
        RdbKeyValue srcKv = x.get(src);
        List<byte[]> from = list(x, src);
        RdbKeyValue dstKv = x.get(dst);
        List<byte[]> to = list(x, dst);
        if (from == null) {
            return Resp.bulk((byte[]) null);
        }
        byte[] elem = fromLeft ? from.remove(0) : from.remove(from.size() - 1);
        boolean same = Arrays.equals(src, dst);
        if (same) {
            to = from;
            dstKv = srcKv;
        } else {
            store(x, src, srcKv, from);
        }
        if (to == null) {
            to = new ArrayList<>();
        }
        if (toLeft) {
            to.add(0, elem);
        } else {
            to.add(elem);
        }
        store(x, dst, dstKv, to);
        String pop = fromLeft ? "LPOP" : "RPOP";
        String push = toLeft ? "LPUSH" : "RPUSH";
        if (x.span() > 1) {
            x.journal(src, 2, pop, src);
            x.journal(dst, 2, push, dst, elem);
        } else if (x.v130() && blocking) {
            x.journal(src, 1, "LMOVE", src, dst, fromLeft ? "LEFT" : "RIGHT", toLeft ? "LEFT" : "RIGHT");
        } else if (x.v130()) {
            x.auto(src, dst);
        } else {
            x.journal(src, 1, pop, src);
            x.journal(dst, 1, push, dst, elem);
        }
        return Resp.bulk(elem);
    }

    private static byte[] bpop(Exec x, boolean head) {
        timeout(x, x.argc() - 1);
        List<byte[]> keys = x.args.subList(1, x.argc() - 1);
        x.span(keys);
        for (byte[] key : keys) {
            RdbKeyValue old = x.get(key);
            List<byte[]> elems = list(x, key);
            if (elems == null) {
                continue;
            }
            byte[] v = head ? elems.remove(0) : elems.remove(elems.size() - 1);
            store(x, key, old, elems);
            x.journal(key, 1, head ? "LPOP" : "RPOP", key);
            return Reads.bulks(List.of(key, v));
        }
        return new Out().nullArray().bytes();
    }

    private static byte[] lmpop(Exec x) {
        long numKeys = x.integer(1);
        if (numKeys <= 0) {
            throw new IllegalArgumentException("ERR numkeys should be greater than 0");
        }
        if (x.argc() < 3 + numKeys) {
            throw Exec.syntax();
        }
        List<byte[]> keys = x.args.subList(2, (int) (2 + numKeys));
        int at = (int) (2 + numKeys);
        boolean head = left(x, at);
        long count = x.mpopCount(at);
        x.span(keys);
        x.multiHop();
        for (byte[] key : keys) {
            RdbKeyValue old = x.get(key);
            List<byte[]> elems = list(x, key);
            if (elems == null) {
                continue;
            }
            List<byte[]> popped = new ArrayList<>();
            for (long i = 0; i < count && !elems.isEmpty(); i++) {
                popped.add(head ? elems.remove(0) : elems.remove(elems.size() - 1));
            }
            store(x, key, old, elems);
            if (x.v130()) {
                x.autoKeys(keys); // v1.30 auto-journals LMPOP
            } else {
                x.journal(key, 2, head ? "LPOP" : "RPOP", key);
            }
            return concat(new Out().array(2).bulk(key).bytes(), Reads.bulks(popped));
        }
        return new Out().nullArray().bytes();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static byte[] lrem(Exec x) {
        long count = x.integer(2);
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        List<byte[]> elems = list(x, key);
        if (elems == null) {
            return Resp.integer(0);
        }
        byte[] e = x.arg(3);
        int removed = 0;
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        if (count >= 0) {
            for (int i = 0; i < elems.size() && removed < limit; ) {
                if (Arrays.equals(elems.get(i), e)) {
                    elems.remove(i);
                    removed++;
                } else {
                    i++;
                }
            }
        } else {
            for (int i = elems.size() - 1; i >= 0 && removed < limit; i--) {
                if (Arrays.equals(elems.get(i), e)) {
                    elems.remove(i);
                    removed++;
                }
            }
        }
        store(x, key, old, elems);
        x.auto();
        return Resp.integer(removed);
    }

    private static byte[] lset(Exec x) {
        long index = x.integer(2);
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        List<byte[]> elems = list(x, key);
        if (elems == null) {
            throw new IllegalArgumentException("ERR no such key");
        }
        long i = index < 0 ? elems.size() + index : index;
        if (i < 0 || i >= elems.size()) {
            throw new IllegalArgumentException("ERR index out of range");
        }
        elems.set((int) i, x.arg(3));
        store(x, key, old, elems);
        x.auto();
        return Resp.OK;
    }

    private static byte[] ltrim(Exec x) {
        long start = x.integer(2);
        long end = x.integer(3);
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        List<byte[]> elems = list(x, key);
        if (elems == null) {
            return Resp.OK;
        }
        long[] r = Reads.rankRange(start, end, elems.size());
        List<byte[]> kept = r == null ? new ArrayList<>() : new ArrayList<>(elems.subList((int) r[0], (int) r[1] + 1));
        store(x, key, old, kept);
        x.auto();
        return Resp.OK;
    }

    private static byte[] linsert(Exec x) {
        String where = x.word(2);
        if (!where.equals("BEFORE") && !where.equals("AFTER")) {
            throw Exec.syntax();
        }
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        List<byte[]> elems = list(x, key);
        if (elems == null) {
            return Resp.integer(0);
        }
        int at = Reads.indexOf(elems, x.arg(3));
        int result = -1;
        if (at >= 0) {
            elems.add(where.equals("BEFORE") ? at : at + 1, x.arg(4));
            store(x, key, old, elems);
            result = elems.size();
        }
        x.auto();
        return Resp.integer(result);
    }
}
