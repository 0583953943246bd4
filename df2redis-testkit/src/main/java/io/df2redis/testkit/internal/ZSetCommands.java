package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sorted-set commands as Dragonfly executes and journals them ({@code zset_family.cc}):
 * {@code ZUNIONSTORE}/{@code ZINTERSTORE}/{@code ZDIFFSTORE} become {@code DEL dst} +
 * {@code ZADD dst <score member>…} on v1.40 with the scores printed to 6 significant digits
 * ({@code absl::StrCat}, so a replica's scores can differ from the master's), and are journaled
 * as received on v1.30 (on each shard with that shard's keys only when they span shards);
 * blocking pops become {@code ZPOPMIN|ZPOPMAX key}, {@code ZMPOP} {@code ZPOPMIN|ZPOPMAX key n};
 * the others are journaled as received when they succeed.
 *
 * <p><b>Why one class:</b> over 400 lines: the command table of the sorted-set type, each entry a few lines
 * over the shared {@code ZRange}.
 */
final class ZSetCommands {
    private static final String NOT_FLOAT = "ERR value is not a valid float";

    private ZSetCommands() {
    }

    static void register(Commands.Table t) {
        t.add("ZADD", -4, ZSetCommands::zadd);
        t.add("ZINCRBY", 4, ZSetCommands::zincrby);
        t.add("ZREM", -3, x -> x.removeMembers(ZSetCommands::zset, ZSetCommands::save));
        t.add("ZPOPMIN", -2, x -> zpop(x, false));
        t.add("ZPOPMAX", -2, x -> zpop(x, true));
        t.add("BZPOPMIN", -3, x -> bzpop(x, false));
        t.add("BZPOPMAX", -3, x -> bzpop(x, true));
        t.add("ZMPOP", -4, ZSetCommands::zmpop);
        t.add("ZREMRANGEBYRANK", 4, ZSetCommands::remRangeByRank);
        t.add("ZUNIONSTORE", -4, x -> store(x, "UNION"));
        t.add("ZINTERSTORE", -4, x -> store(x, "INTER"));
        t.add("ZDIFFSTORE", -4, x -> store(x, "DIFF"));
    }

    /** member → score of {@code key}, null when absent. */
    static Map<ByteKey, Double> zset(Exec x, byte[] key) {
        RdbValue.ZSetValue z = x.get(key, RdbValue.ZSetValue.class);
        if (z == null) {
            return null;
        }
        Map<ByteKey, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < z.members().size(); i++) {
            m.put(new ByteKey(z.members().get(i)), z.scores()[i]);
        }
        return m;
    }

    /** The entries of {@code m} in score order (ties by member bytes). */
    static List<Map.Entry<ByteKey, Double>> ordered(Map<ByteKey, Double> m) {
        List<Map.Entry<ByteKey, Double>> l = new ArrayList<>(m.entrySet());
        l.sort((a, b) -> {
            int r = Double.compare(a.getValue(), b.getValue());
            return r != 0 ? r : Arrays.compareUnsigned(a.getKey().bytes(), b.getKey().bytes());
        });
        return l;
    }

    static void save(Exec x, byte[] key, RdbKeyValue old, Map<ByteKey, Double> m) {
        if (m.isEmpty()) {
            x.delete(key);
            return;
        }
        List<Map.Entry<ByteKey, Double>> l = ordered(m);
        List<byte[]> members = new ArrayList<>(l.size());
        double[] scores = new double[l.size()];
        for (int i = 0; i < l.size(); i++) {
            members.add(l.get(i).getKey().bytes());
            scores[i] = l.get(i).getValue();
        }
        x.update(key, old, RdbValue.zset(members, scores));
    }

    private static double score(Exec x, int i) {
        return x.decimal(i, NOT_FLOAT);
    }

    private static byte[] zadd(Exec x) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        boolean ch = false;
        boolean incr = false;
        int i = 2;
        for (boolean flag = true; flag && i < x.argc(); ) {
            switch (x.word(i)) {
                case "NX" -> nx = true;
                case "XX" -> xx = true;
                case "GT" -> gt = true;
                case "LT" -> lt = true;
                case "CH" -> ch = true;
                case "INCR" -> incr = true;
                default -> flag = false;
            }
            if (flag) {
                i++;
            }
        }
        if ((x.argc() - i) == 0 || (x.argc() - i) % 2 != 0) {
            throw Exec.syntax();
        }
        if (nx && xx) {
            throw new IllegalArgumentException("ERR XX and NX options at the same time are not compatible");
        }
        if ((gt && lt) || (nx && (gt || lt))) {
            throw new IllegalArgumentException("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && x.argc() - i != 2) {
            throw new IllegalArgumentException("ERR INCR option supports a single increment-element pair");
        }
        double[] scores = new double[(x.argc() - i) / 2];
        for (int j = 0; j < scores.length; j++) {
            scores[j] = score(x, i + 2 * j);
        }
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        Map<ByteKey, Double> m = zset(x, key);
        if (m == null) {
            if (xx) {
                return incr ? Resp.bulk((byte[]) null) : Resp.integer(0);
            }
            m = new LinkedHashMap<>();
        }
        int added = 0;
        int changed = 0;
        Double result = null;
        for (int j = 0; j < scores.length; j++) {
            ByteKey member = new ByteKey(x.arg(i + 2 * j + 1));
            Double cur = m.get(member);
            double s = scores[j];
            if (cur == null) {
                if (xx) {
                    continue;
                }
                m.put(member, s);
                added++;
                result = s;
                continue;
            }
            if (nx) {
                continue;
            }
            double target = incr ? cur + s : s;
            if (Double.isNaN(target)) {
                throw new IllegalArgumentException("ERR resulting score is not a number (NaN)");
            }
            if ((gt && target <= cur) || (lt && target >= cur)) {
                continue;
            }
            result = target;
            if (target != cur) {
                m.put(member, target);
                changed++;
            }
        }
        if (incr && result == null) {
            return Resp.bulk((byte[]) null); // skipped: nothing journaled
        }
        save(x, key, old, m);
        x.auto();
        if (incr) {
            return Resp.bulk(Out.format(result));
        }
        return Resp.integer(ch ? added + changed : added);
    }

    private static byte[] zincrby(Exec x) {
        double by = score(x, 2);
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        Map<ByteKey, Double> m = zset(x, key);
        if (m == null) {
            m = new LinkedHashMap<>();
        }
        ByteKey member = new ByteKey(x.arg(3));
        double r = m.getOrDefault(member, 0.0) + by;
        if (Double.isNaN(r)) {
            throw new IllegalArgumentException("ERR resulting score is not a number (NaN)");
        }
        m.put(member, r);
        save(x, key, old, m);
        x.auto();
        return Resp.bulk(Out.format(r));
    }

    /** Pops up to {@code count} lowest (or highest) members: member, score, member, score … */
    private static List<byte[]> popN(Exec x, byte[] key, long count, boolean max) {
        RdbKeyValue old = x.get(key);
        Map<ByteKey, Double> m = zset(x, key);
        List<byte[]> out = new ArrayList<>();
        if (m == null) {
            return null;
        }
        List<Map.Entry<ByteKey, Double>> l = ordered(m);
        for (int i = 0; i < count && i < l.size(); i++) {
            Map.Entry<ByteKey, Double> e = l.get(max ? l.size() - 1 - i : i);
            m.remove(e.getKey());
            out.add(e.getKey().bytes());
            out.add(Out.format(e.getValue()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        save(x, key, old, m);
        return out;
    }

    private static byte[] zpop(Exec x, boolean max) {
        long count = x.popCount();
        List<byte[]> popped = popN(x, x.arg(1), count, max);
        if (popped == null) {
            return new Out().array(0).bytes();
        }
        x.auto();
        return Reads.bulks(popped);
    }

    private static byte[] bzpop(Exec x, boolean max) {
        double t = x.decimal(x.argc() - 1, "ERR timeout is not a float or out of range");
        if (t < 0) {
            throw new IllegalArgumentException("ERR timeout is negative");
        }
        List<byte[]> keys = x.args.subList(1, x.argc() - 1);
        x.span(keys);
        for (byte[] key : keys) {
            List<byte[]> popped = popN(x, key, 1, max);
            if (popped == null) {
                continue;
            }
            x.journal(key, 1, max ? "ZPOPMAX" : "ZPOPMIN", key);
            return Reads.bulks(List.of(key, popped.get(0), popped.get(1)));
        }
        return new Out().nullArray().bytes();
    }

    private static byte[] zmpop(Exec x) {
        long numKeys = x.integer(1);
        if (numKeys <= 0 || x.argc() < 3 + numKeys) {
            throw Exec.syntax();
        }
        List<byte[]> keys = x.args.subList(2, (int) (2 + numKeys));
        int at = (int) (2 + numKeys);
        boolean max = switch (x.word(at)) {
            case "MIN" -> false;
            case "MAX" -> true;
            default -> throw Exec.syntax();
        };
        long count = x.mpopCount(at);
        x.span(keys);
        x.multiHop();
        for (byte[] key : keys) {
            List<byte[]> popped = popN(x, key, count, max);
            if (popped == null) {
                continue;
            }
            if (x.v130()) {
                x.autoKeys(keys); // v1.30 auto-journals ZMPOP
            } else {
                x.journal(key, 1, max ? "ZPOPMAX" : "ZPOPMIN", key, count);
            }
            Out o = new Out().array(2).bulk(key).array(popped.size() / 2);
            for (int i = 0; i < popped.size(); i += 2) {
                o.array(2).bulk(popped.get(i)).bulk(popped.get(i + 1));
            }
            return o.bytes();
        }
        return new Out().nullArray().bytes();
    }

    private static byte[] remRangeByRank(Exec x) {
        long start = x.integer(2);
        long end = x.integer(3);
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        Map<ByteKey, Double> m = zset(x, key);
        if (m == null) {
            return Resp.integer(0);
        }
        List<Map.Entry<ByteKey, Double>> l = ordered(m);
        long[] r = Reads.rankRange(start, end, l.size());
        int n = 0;
        if (r != null) {
            for (long i = r[0]; i <= r[1]; i++) {
                m.remove(l.get((int) i).getKey());
                n++;
            }
        }
        save(x, key, old, m);
        x.auto();
        return Resp.integer(n);
    }

    private static byte[] store(Exec x, String op) {
        byte[] dst = x.arg(1);
        long numKeys = x.integer(2);
        if (numKeys <= 0) {
            throw new IllegalArgumentException("ERR at least 1 input key is needed for " + x.name.toLowerCase(java.util.Locale.ROOT));
        }
        if (x.argc() < 3 + numKeys) {
            throw Exec.syntax();
        }
        List<byte[]> sources = x.args.subList(3, (int) (3 + numKeys));
        double[] weights = new double[(int) numKeys];
        Arrays.fill(weights, 1);
        String aggregate = "SUM";
        for (int i = (int) (3 + numKeys); i < x.argc(); i++) {
            String o = x.word(i);
            if (o.equals("WEIGHTS") && !op.equals("DIFF") && i + numKeys < x.argc()) {
                for (int w = 0; w < numKeys; w++) {
                    weights[w] = x.decimal(i + 1 + w, "ERR weight value is not a float");
                }
                i += (int) numKeys;
            } else if (o.equals("AGGREGATE") && !op.equals("DIFF") && i + 1 < x.argc()) {
                aggregate = x.word(++i);
                if (!List.of("SUM", "MIN", "MAX").contains(aggregate)) {
                    throw Exec.syntax();
                }
            } else {
                throw Exec.syntax();
            }
        }
        List<byte[]> all = new ArrayList<>();
        all.add(dst);
        all.addAll(sources);
        x.span(all);
        x.multiHop();
        Map<ByteKey, Double> result = null;
        for (int s = 0; s < sources.size(); s++) {
            Map<ByteKey, Double> m = source(x, sources.get(s));
            Map<ByteKey, Double> weighted = new LinkedHashMap<>();
            for (Map.Entry<ByteKey, Double> e : m.entrySet()) {
                double v = e.getValue() * weights[s];
                weighted.put(e.getKey(), Double.isNaN(v) ? 0 : v);
            }
            if (result == null) {
                result = weighted;
            } else if (op.equals("DIFF")) {
                result.keySet().removeAll(weighted.keySet());
            } else if (op.equals("INTER")) {
                Map<ByteKey, Double> next = new LinkedHashMap<>();
                for (Map.Entry<ByteKey, Double> e : result.entrySet()) {
                    Double w = weighted.get(e.getKey());
                    if (w != null) {
                        next.put(e.getKey(), combine(aggregate, e.getValue(), w));
                    }
                }
                result = next;
            } else {
                String agg = aggregate;
                for (Map.Entry<ByteKey, Double> e : weighted.entrySet()) {
                    result.merge(e.getKey(), e.getValue(), (a, b) -> combine(agg, a, b));
                }
            }
        }
        RdbKeyValue old = x.get(dst);
        x.delete(dst);
        if (!result.isEmpty()) {
            save(x, dst, null, result);
        }
        if (x.v130()) {
            x.autoKeys(all);
        } else if (result.isEmpty()) {
            if (old != null) {
                x.journal(dst, 1, "DEL", dst);
            }
        } else {
            x.journal(dst, 1, "DEL", dst);
            List<byte[]> j = new ArrayList<>();
            j.add(dst);
            for (Map.Entry<ByteKey, Double> e : ordered(result)) {
                j.add(sixDigits(e.getValue()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                j.add(e.getKey().bytes());
            }
            x.journal(dst, 1, "ZADD", j);
        }
        return Resp.integer(result.size());
    }

    /** A source of a *STORE: a sorted set, or a set (every member scoring 1). */
    private static Map<ByteKey, Double> source(Exec x, byte[] key) {
        RdbKeyValue kv = x.get(key);
        if (kv == null) {
            return new LinkedHashMap<>();
        }
        if (kv.value() instanceof RdbValue.SetValue) {
            Map<ByteKey, Double> m = new LinkedHashMap<>();
            for (ByteKey k : SetCommands.members(x, key).keySet()) {
                m.put(k, 1.0);
            }
            return m;
        }
        return zset(x, key);
    }

    private static double combine(String aggregate, double a, double b) {
        return switch (aggregate) {
            case "MIN" -> Math.min(a, b);
            case "MAX" -> Math.max(a, b);
            default -> {
                double s = a + b;
                yield Double.isNaN(s) ? 0 : s;
            }
        };
    }

    /** A double as {@code absl::StrCat} prints it: C's {@code %g} with 6 significant digits. */
    static String sixDigits(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d) < 0 ? "-0" : "0";
        }
        BigDecimal r = new BigDecimal(d).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exp = r.precision() - r.scale() - 1;
        if (exp < -4 || exp >= 6) {
            BigDecimal mant = r.movePointLeft(exp).stripTrailingZeros();
            String m = mant.scale() <= 0 ? mant.toBigInteger().toString() : mant.toPlainString();
            String e = String.format("%02d", Math.abs(exp));
            return m + "e" + (exp < 0 ? "-" : "+") + e;
        }
        BigDecimal plain = r.stripTrailingZeros();
        return plain.scale() <= 0 ? plain.toBigInteger().toString() : plain.toPlainString();
    }
}
