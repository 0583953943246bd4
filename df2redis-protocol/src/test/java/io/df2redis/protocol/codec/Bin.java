package io.df2redis.protocol.codec;

import java.util.Arrays;

/** Bytes with value semantics, ordered lexicographically (unsigned), printed readably. */
record Bin(byte[] b) implements Comparable<Bin> {

    static Bin of(byte[] b) {
        return new Bin(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bin x && Arrays.equals(b, x.b);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(b);
    }

    @Override
    public int compareTo(Bin o) {
        return Arrays.compareUnsigned(b, o.b);
    }

    @Override
    public String toString() {
        return text(b, 48);
    }

    /** Printable ASCII as is, other bytes as \xNN, abbreviated after {@code max} bytes. */
    static String text(byte[] b, int max) {
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(b.length, max);
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c >= 32 && c < 127 && c != '"' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        if (b.length > max) {
            sb.append("...(").append(b.length).append(" bytes, hash ").append(Arrays.hashCode(b)).append(')');
        }
        return sb.append('"').toString();
    }

    /** Full hex of all bytes, for exact event comparison. */
    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return sb.toString();
    }
}
