package io.df2redis.protocol.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What the {@link RdbValue} factories and variants share: UTF-8 conversion and expiry checks. Stateless. */
final class RdbValues {
    private RdbValues() {
    }

    /** {@link RdbValue#hash(String...)}: a hash from alternating field and value strings. */
    static RdbValue.HashValue hash(String... fieldsAndValues) {
        if (fieldsAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("odd number of field/value strings");
        }
        List<byte[]> f = new ArrayList<>();
        List<byte[]> v = new ArrayList<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            f.add(utf8(fieldsAndValues[i]));
            v.add(utf8(fieldsAndValues[i + 1]));
        }
        return new RdbValue.HashValue(f, v, null);
    }

    /** Whether {@code expiries} (null for none) holds an expiry (a value ≥ 0). */
    static boolean anyExpiry(long[] expiries) {
        if (expiries != null) {
            for (long e : expiries) {
                if (e >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The UTF-8 bytes of {@code s}. */
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The UTF-8 bytes of each of {@code s}. */
    static List<byte[]> utf8(String... s) {
        List<byte[]> out = new ArrayList<>(s.length);
        for (String x : s) {
            out.add(utf8(x));
        }
        return out;
    }
}
