package io.df2redis.protocol.rdb;

import java.nio.charset.StandardCharsets;

/**
 * Sorted-set scores as text, the way Dragonfly and Redis write them into listpacks, ziplists and
 * type-3 zsets.
 */
final class ScoreText {
    private ScoreText() {
    }

    /** Largest magnitude Dragonfly / Redis 7.2 store as an integer score ({@code LLONG_MAX / 2}). */
    private static final double MAX_INTEGER_SCORE = (double) (Long.MAX_VALUE / 2);

    /**
     * A score as Dragonfly stores it in a listpack (and, up to v1.30, a ziplist): integral values
     * within ±2^62 as integers, others in the shortest round-trip text (Dragonfly's
     * double-conversion settings: decimal notation for exponents -6..20, else {@code 1e100}),
     * {@code inf}, {@code -inf}, {@code nan}. -0.0 is written {@code -0} (Dragonfly would
     * store 0) so that it decodes unchanged.
     */
    static byte[] of(double d) {
        String s;
        if (Double.isNaN(d)) {
            s = "nan";
        } else if (Double.isInfinite(d)) {
            s = d > 0 ? "inf" : "-inf";
        } else if (d == 0 && Double.doubleToRawLongBits(d) < 0) {
            s = "-0";
        } else if (d >= -MAX_INTEGER_SCORE && d <= MAX_INTEGER_SCORE && d == (long) d) {
            s = Long.toString((long) d);
        } else {
            s = shortestDouble(d);
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The shortest decimal text that parses back to {@code d} (finite, non-zero), formatted as above. */
    static String shortestDouble(double d) {
        java.math.BigDecimal exact = new java.math.BigDecimal(d);
        java.math.BigDecimal bd = null;
        for (int p = 1; p <= 17 && bd == null; p++) {
            java.math.BigDecimal c = exact.round(new java.math.MathContext(p, java.math.RoundingMode.HALF_EVEN));
            if (c.doubleValue() == d) {
                bd = c;
            }
        }
        if (bd == null) {
            bd = exact.round(new java.math.MathContext(17, java.math.RoundingMode.HALF_EVEN));
        }
        bd = bd.stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int n = digits.length();
        int point = n - bd.scale(); // d = 0.<digits> x 10^point
        int exponent = point - 1;
        StringBuilder sb = new StringBuilder(n + 8);
        if (d < 0) {
            sb.append('-');
        }
        if (exponent >= -6 && exponent < 21) {
            if (point <= 0) {
                sb.append("0.");
                sb.append("0".repeat(-point));
                sb.append(digits);
            } else if (point >= n) {
                sb.append(digits).append("0".repeat(point - n));
            } else {
                sb.append(digits, 0, point).append('.').append(digits, point, n);
            }
        } else {
            sb.append(digits.charAt(0));
            if (n > 1) {
                sb.append('.').append(digits, 1, n);
            }
            sb.append('e').append(exponent);
        }
        return sb.toString();
    }
}
