package io.df2redis.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/** Builds one RESP2 reply of a read command piece by piece (arrays are announced by their length first). */
final class Out {
    private final ByteArrayOutputStream b = new ByteArrayOutputStream(64);

    Out array(int n) {
        return head('*', n);
    }

    /** The RESP2 null array ({@code *-1}). */
    Out nullArray() {
        return head('*', -1);
    }

    Out bulk(byte[] s) {
        if (s == null) {
            return nil();
        }
        head('$', s.length);
        b.writeBytes(s);
        b.writeBytes(CRLF);
        return this;
    }

    Out bulk(String s) {
        return bulk(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    /** A number as a bulk string (what Redis does for e.g. the counts of an XPENDING summary). */
    Out bulk(long v) {
        return bulk(Long.toString(v));
    }

    /** A score as Dragonfly sends it: a bulk string ({@link #format}). */
    Out score(double d) {
        return bulk(format(d));
    }

    /** The RESP2 null bulk string ({@code $-1}). */
    Out nil() {
        return head('$', -1);
    }

    Out integer(long v) {
        return head(':', v);
    }

    Out simple(String s) {
        b.write('+');
        b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        b.writeBytes(CRLF);
        return this;
    }

    byte[] bytes() {
        return b.toByteArray();
    }

    private Out head(char c, long n) {
        b.write(c);
        b.writeBytes(Long.toString(n).getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(CRLF);
        return this;
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * A double the way Dragonfly formats it: the shortest digits that read back as the same
     * double, in plain notation for decimal exponents -6 to 20 and else as {@code 1.5e+21} /
     * {@code 1e-7}; {@code inf}, {@code -inf}; negative zero as {@code 0}. (Redis 7.0 prints
     * {@code %.17g} instead: the same number, other digits.)
     */
    static String format(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (d == 0) {
            return "0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exp = bd.precision() - bd.scale() - 1;
        if (exp >= -6 && exp < 21) {
            return bd.toPlainString();
        }
        String digits = bd.unscaledValue().abs().toString();
        StringBuilder sb = new StringBuilder(digits.length() + 8);
        if (bd.signum() < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        return sb.append('e').append(exp >= 0 ? '+' : '-').append(Math.abs(exp)).toString();
    }
}
