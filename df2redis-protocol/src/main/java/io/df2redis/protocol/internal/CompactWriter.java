package io.df2redis.protocol.internal;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Builders of Redis' compact encodings, the write side of {@link CompactReader}: listpack,
 * ziplist, intset and zipmap. Strings that are the canonical decimal form of a 64-bit integer
 * are stored as integers, choosing the smallest integer encoding that holds them, as Redis does;
 * everything else is stored as a string with the smallest length header.
 */
public final class CompactWriter {
    private CompactWriter() {
    }

    /**
     * The value of {@code s} if it is the canonical decimal form of a signed 64-bit integer (no
     * sign for positives, no leading zeros, no "-0", at most 20 characters), else null.
     */
    public static Long canonicalLong(byte[] s) {
        int n = s.length;
        if (n == 0 || n > 20) {
            return null;
        }
        int i = 0;
        boolean neg = s[0] == '-';
        if (neg) {
            i = 1;
            if (n == 1) {
                return null;
            }
        }
        if (s[i] == '0' && (n - i > 1 || neg)) {
            return null; // leading zero, or "-0"
        }
        long v = 0;
        for (; i < n; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            // accumulate as a negative number so Long.MIN_VALUE fits
            if (v < (Long.MIN_VALUE + d) / 10) {
                return null;
            }
            v = v * 10 - d;
        }
        if (!neg) {
            if (v == Long.MIN_VALUE) {
                return null;
            }
            v = -v;
        }
        return v;
    }

    // ------------------------------------------------------------------ listpack

    /** A listpack of {@code elements}, integer-looking ones stored as integers. */
    public static byte[] listpack(List<byte[]> elements) {
        Listpack lp = new Listpack();
        for (byte[] e : elements) {
            lp.add(e);
        }
        return lp.build();
    }

    /** Incremental listpack builder (spec §4.8). */
    public static final class Listpack {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final byte[] tmp = new byte[16];
        private int count;

        /** Adds an element: an integer entry if it is a canonical integer, else a string entry. */
        public Listpack add(byte[] element) {
            Long v = canonicalLong(element);
            return v != null ? addInt(v) : addString(element);
        }

        /** Adds a string entry (never converted to an integer). */
        public Listpack addString(byte[] s) {
            int len = s.length;
            int header;
            if (len < 64) {
                body.write(0x80 | len);
                header = 1;
            } else if (len < 4096) {
                body.write(0xE0 | (len >>> 8));
                body.write(len & 0xFF);
                header = 2;
            } else {
                body.write(0xF0);
                writeLe(body, len, 4);
                header = 5;
            }
            body.write(s, 0, len);
            backlen(header + len);
            count++;
            return this;
        }

        /** Adds an integer entry in its smallest encoding. */
        public Listpack addInt(long v) {
            int size;
            if (v >= 0 && v <= 127) {
                body.write((int) v);
                size = 1;
            } else if (v >= -4096 && v <= 4095) {
                int u = (int) v & 0x1FFF;
                body.write(0xC0 | (u >>> 8));
                body.write(u & 0xFF);
                size = 2;
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                body.write(0xF1);
                writeLe(body, v, 2);
                size = 3;
            } else if (v >= -(1 << 23) && v < (1 << 23)) {
                body.write(0xF2);
                writeLe(body, v, 3);
                size = 4;
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                body.write(0xF3);
                writeLe(body, v, 4);
                size = 5;
            } else {
                body.write(0xF4);
                writeLe(body, v, 8);
                size = 9;
            }
            backlen(size);
            count++;
            return this;
        }

        private void backlen(long l) {
            // most significant 7-bit group first; every byte but the first has bit 7 set
            int n = l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
            for (int i = n - 1; i >= 0; i--) {
                int group = (int) ((l >>> (7 * i)) & 127);
                tmp[n - 1 - i] = (byte) (i == n - 1 ? group : group | 128);
            }
            body.write(tmp, 0, n);
        }

        /** Elements added so far. */
        public int count() {
            return count;
        }

        /** Size in bytes the listpack would have now. */
        public int byteSize() {
            return 6 + body.size() + 1;
        }

        public byte[] build() {
            int total = byteSize();
            byte[] out = new byte[total];
            putLe(out, 0, total, 4);
            putLe(out, 4, Math.min(count, 65535), 2);
            byte[] b = body.toByteArray();
            System.arraycopy(b, 0, out, 6, b.length);
            out[total - 1] = (byte) 0xFF;
            return out;
        }
    }

    // ------------------------------------------------------------------ ziplist

    /** A ziplist of {@code elements}, integer-looking ones stored as integers. */
    public static byte[] ziplist(List<byte[]> elements) {
        Ziplist zl = new Ziplist();
        for (byte[] e : elements) {
            zl.add(e);
        }
        return zl.build();
    }

    /** Incremental ziplist builder (spec §4.8). */
    public static final class Ziplist {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int count;
        private int prevLen;
        private int lastOffset = -1;

        public Ziplist add(byte[] element) {
            Long v = element.length < 32 ? canonicalLong(element) : null;
            int start = body.size();
            if (prevLen < 254) {
                body.write(prevLen);
            } else {
                body.write(0xFE);
                writeLe(body, prevLen, 4);
            }
            if (v != null) {
                long x = v;
                if (x >= 0 && x <= 12) {
                    body.write(0xF1 + (int) x);
                } else if (x >= Byte.MIN_VALUE && x <= Byte.MAX_VALUE) {
                    body.write(0xFE);
                    writeLe(body, x, 1);
                } else if (x >= Short.MIN_VALUE && x <= Short.MAX_VALUE) {
                    body.write(0xC0);
                    writeLe(body, x, 2);
                } else if (x >= -(1 << 23) && x < (1 << 23)) {
                    body.write(0xF0);
                    writeLe(body, x, 3);
                } else if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) {
                    body.write(0xD0);
                    writeLe(body, x, 4);
                } else {
                    body.write(0xE0);
                    writeLe(body, x, 8);
                }
            } else {
                int len = element.length;
                if (len <= 63) {
                    body.write(len);
                } else if (len <= 16383) {
                    body.write(0x40 | (len >>> 8));
                    body.write(len & 0xFF);
                } else {
                    body.write(0x80);
                    body.write(len >>> 24);
                    body.write((len >>> 16) & 0xFF);
                    body.write((len >>> 8) & 0xFF);
                    body.write(len & 0xFF);
                }
                body.write(element, 0, len);
            }
            lastOffset = start;
            prevLen = body.size() - start;
            count++;
            return this;
        }

        public int count() {
            return count;
        }

        public int byteSize() {
            return 10 + body.size() + 1;
        }

        public byte[] build() {
            int total = byteSize();
            byte[] out = new byte[total];
            putLe(out, 0, total, 4);
            putLe(out, 4, lastOffset < 0 ? 10 : 10 + lastOffset, 4);
            putLe(out, 8, Math.min(count, 65535), 2);
            byte[] b = body.toByteArray();
            System.arraycopy(b, 0, out, 10, b.length);
            out[total - 1] = (byte) 0xFF;
            return out;
        }
    }

    // ------------------------------------------------------------------ intset

    /** The smallest intset width (2, 4 or 8 bytes) that holds every value. */
    public static int intsetWidth(long[] values) {
        int w = 2;
        for (long v : values) {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                return 8;
            }
            if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                w = 4;
            }
        }
        return w;
    }

    /** An intset of {@code values} (sorted here) with the smallest width. */
    public static byte[] intset(long[] values) {
        return intset(values, intsetWidth(values));
    }

    /**
     * An intset of {@code values} (sorted here) with {@code width} bytes per value.
     *
     * @throws IllegalArgumentException if the width is not 2, 4 or 8 or a value does not fit it
     */
    public static byte[] intset(long[] values, int width) {
        if (width != 2 && width != 4 && width != 8) {
            throw new IllegalArgumentException("intset width must be 2, 4 or 8: " + width);
        }
        if (intsetWidth(values) > width) {
            throw new IllegalArgumentException("intset values do not fit " + width + " bytes");
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        byte[] out = new byte[8 + sorted.length * width];
        putLe(out, 0, width, 4);
        putLe(out, 4, sorted.length, 4);
        for (int i = 0; i < sorted.length; i++) {
            putLe(out, 8 + i * width, sorted[i], width);
        }
        return out;
    }

    // ------------------------------------------------------------------ zipmap

    /**
     * A zipmap (Redis &lt; 2.6 small hash) of field/value pairs, each value followed by
     * {@code freeBytes} unused bytes (0..255).
     */
    public static byte[] zipmap(List<byte[]> fields, List<byte[]> values, int freeBytes) {
        if (fields.size() != values.size()) {
            throw new IllegalArgumentException("fields and values differ in size");
        }
        if (freeBytes < 0 || freeBytes > 255) {
            throw new IllegalArgumentException("free bytes must be 0..255: " + freeBytes);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Math.min(fields.size(), 254));
        for (int i = 0; i < fields.size(); i++) {
            byte[] f = fields.get(i);
            byte[] v = values.get(i);
            zipmapLen(out, f.length);
            out.write(f, 0, f.length);
            zipmapLen(out, v.length);
            out.write(freeBytes);
            out.write(v, 0, v.length);
            for (int k = 0; k < freeBytes; k++) {
                out.write(0);
            }
        }
        out.write(0xFF);
        return out.toByteArray();
    }

    private static void zipmapLen(ByteArrayOutputStream out, int len) {
        if (len < 254) {
            out.write(len);
        } else {
            out.write(0xFE);
            writeLe(out, len, 4);
        }
    }

    // ------------------------------------------------------------------ helpers

    static void writeLe(ByteArrayOutputStream out, long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }

    static void putLe(byte[] b, int off, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
