package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.RdbValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]} with
 * Redis 6.2+ semantics and error texts: ranks (negative from the end), score intervals
 * ({@code (} exclusive, {@code -inf}/{@code +inf}), lexical intervals ({@code [}/{@code (},
 * {@code -}/{@code +}); with {@code REV} the first bound is the maximum. Members are ordered by
 * score, then bytewise.
 */
final class ZRange {
    private ZRange() {
    }

    private enum By { RANK, SCORE, LEX }

    /** Options and bounds are checked before {@code lookup} runs, as Redis does. */
    static byte[] execute(List<byte[]> args, java.util.function.Supplier<RdbValue.ZSetValue> lookup) {
        boolean withScores = false;
        boolean rev = false;
        By by = By.RANK;
        boolean limit = false;
        long offset = 0;
        long count = -1;
        for (int j = 4; j < args.size(); j++) {
            String o = Commands.upper(args.get(j));
            int left = args.size() - j - 1;
            if (o.equals("WITHSCORES")) {
                withScores = true;
            } else if (o.equals("LIMIT") && left >= 2) {
                offset = Reads.integer(args.get(j + 1));
                count = Reads.integer(args.get(j + 2));
                limit = true;
                j += 2;
            } else if (o.equals("REV") && !rev) {
                rev = true;
            } else if (o.equals("BYLEX") && by == By.RANK) {
                by = By.LEX;
            } else if (o.equals("BYSCORE") && by == By.RANK) {
                by = By.SCORE;
            } else {
                throw new IllegalArgumentException(Resp.SYNTAX);
            }
        }
        if (limit && by == By.RANK) {
            throw new IllegalArgumentException(
                    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && by == By.LEX) {
            throw new IllegalArgumentException("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        byte[] minArg = rev && by != By.RANK ? args.get(3) : args.get(2);
        byte[] maxArg = rev && by != By.RANK ? args.get(2) : args.get(3);
        List<Integer> picked = new ArrayList<>();
        RdbValue.ZSetValue z;
        switch (by) {
            case RANK: {
                long start = Reads.integer(args.get(2));
                long end = Reads.integer(args.get(3));
                z = lookup.get();
                if (z == null) {
                    break;
                }
                Integer[] order = order(z);
                long[] r = Reads.rankRange(start, end, order.length);
                if (r != null) {
                    for (long i = r[0]; i <= r[1]; i++) {
                        picked.add(order[(int) (rev ? order.length - 1 - i : i)]);
                    }
                }
                break;
            }
            case SCORE: {
                Bound min = scoreBound(minArg);
                Bound max = scoreBound(maxArg);
                z = lookup.get();
                if (z == null) {
                    break;
                }
                RdbValue.ZSetValue zs = z;
                pick(z, rev, offset, count, picked, i -> min.below(zs.scores()[i]) && max.above(zs.scores()[i]));
                break;
            }
            default: {
                LexBound min = lexBound(minArg);
                LexBound max = lexBound(maxArg);
                z = lookup.get();
                if (z == null) {
                    break;
                }
                lex(z, min, max, rev, offset, count, picked);
            }
        }
        Out out = new Out().array(withScores ? 2 * picked.size() : picked.size());
        for (int i : picked) {
            out.bulk(z.members().get(i));
            if (withScores) {
                out.score(z.scores()[i]);
            }
        }
        return out.bytes();
    }

    private static void pick(RdbValue.ZSetValue z, boolean rev, long offset, long count, List<Integer> picked,
                             java.util.function.IntPredicate in) {
        if (offset < 0) {
            return;
        }
        Integer[] order = order(z);
        long skipped = 0;
        for (int k = 0; k < order.length && (count < 0 || picked.size() < count); k++) {
            int i = order[rev ? order.length - 1 - k : k];
            if (!in.test(i)) {
                continue;
            }
            if (skipped++ < offset) {
                continue;
            }
            picked.add(i);
        }
    }

    /**
     * A lexical range the way Redis walks a sorted set (meant for members of equal scores; with
     * mixed scores, as its listpack encoding does): nothing unless the last member is at least
     * the minimum and the first at most the maximum; from the first member (last with REV) on the
     * near side of the range, while members stay inside it.
     */
    private static void lex(RdbValue.ZSetValue z, LexBound min, LexBound max, boolean rev, long offset, long count,
                            List<Integer> picked) {
        Integer[] order = order(z);
        int n = order.length;
        if (n == 0 || min.emptyWith(max) || !min.below(z.members().get(order[n - 1]))
                || !max.above(z.members().get(order[0]))) {
            return;
        }
        int k = 0;
        while (k < n && !(rev ? max.above(member(z, order, n - 1 - k)) : min.below(member(z, order, k)))) {
            k++;
        }
        long skipped = 0;
        for (; k < n && offset >= 0 && (count < 0 || picked.size() < count); k++) {
            byte[] m = member(z, order, rev ? n - 1 - k : k);
            if (!(rev ? min.below(m) : max.above(m))) {
                break;
            }
            if (skipped++ >= offset) {
                picked.add(order[rev ? n - 1 - k : k]);
            }
        }
    }

    private static byte[] member(RdbValue.ZSetValue z, Integer[] order, int at) {
        return z.members().get(order[at]);
    }

    /** Indexes of the members by score, then bytes. */
    static Integer[] order(RdbValue.ZSetValue z) {
        Integer[] order = new Integer[z.members().size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double[] s = z.scores();
        Arrays.sort(order, (a, b) -> s[a] < s[b] ? -1 : s[a] > s[b] ? 1
                : Arrays.compareUnsigned(z.members().get(a), z.members().get(b)));
        return order;
    }

    /** One end of a score interval. */
    private record Bound(double value, boolean exclusive) {
        boolean below(double x) {
            return exclusive ? value < x : value <= x;
        }

        boolean above(double x) {
            return exclusive ? value > x : value >= x;
        }
    }

    private static Bound scoreBound(byte[] b) {
        String s = new String(b, StandardCharsets.US_ASCII);
        boolean ex = s.startsWith("(");
        Double d = parseScore(ex ? s.substring(1) : s);
        if (d == null) {
            throw new IllegalArgumentException("ERR min or max is not a float");
        }
        return new Bound(d, ex);
    }

    /** A score as {@code strtod} reads it (decimal or exponent notation, inf), or null. */
    static Double parseScore(String s) {
        String l = s.toLowerCase(java.util.Locale.ROOT);
        switch (l) {
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                if (!l.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?")) {
                    return null;
                }
                return Double.parseDouble(l);
        }
    }

    /** One end of a lexical interval; {@code member} null for {@code -} (minimum) or {@code +} (maximum). */
    private record LexBound(byte[] member, boolean exclusive, int infinity) {
        /** Whether [this, max] holds no string at all. */
        boolean emptyWith(LexBound max) {
            if (infinity != 0 || max.infinity != 0) {
                return infinity > 0 || max.infinity < 0;
            }
            int c = Arrays.compareUnsigned(member, max.member);
            return c > 0 || (c == 0 && (exclusive || max.exclusive));
        }

        boolean below(byte[] x) {
            if (infinity != 0) {
                return infinity < 0;
            }
            int c = Arrays.compareUnsigned(member, x);
            return exclusive ? c < 0 : c <= 0;
        }

        boolean above(byte[] x) {
            if (infinity != 0) {
                return infinity > 0;
            }
            int c = Arrays.compareUnsigned(member, x);
            return exclusive ? c > 0 : c >= 0;
        }
    }

    private static LexBound lexBound(byte[] b) {
        if (b.length == 1 && b[0] == '-') {
            return new LexBound(null, false, -1);
        }
        if (b.length == 1 && b[0] == '+') {
            return new LexBound(null, false, 1);
        }
        if (b.length > 0 && (b[0] == '[' || b[0] == '(')) {
            return new LexBound(Arrays.copyOfRange(b, 1, b.length), b[0] == '(', 0);
        }
        throw new IllegalArgumentException("ERR min or max not valid string range item");
    }
}
