package io.df2redis.protocol.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Forward cursor over the elements of a compact encoding held in a byte array: Redis listpack,
 * ziplist, intset or zipmap. After {@link #next()} returned true the current element is either
 * an integer ({@link #isInt()}, {@link #intValue()}) or a byte range
 * ({@link #stringOffset()}, {@link #stringLength()}); {@link #bytes()} gives either as bytes
 * (integers in decimal ASCII, as Redis replies them). Every length is checked against the
 * array: malformed input ends in {@link CorruptValueException}, never in an index error.
 *
 * <p>The listpack, ziplist and zipmap readers are {@link ListpackReader}, {@link ZiplistReader}
 * and {@link ZipmapReader}; the intset reader stays nested ({@link Intset}) as callers read its width.
 */
public abstract class CompactReader {
    protected final byte[] b;
    /** Index of the encoding's first byte in {@link #b}. */
    protected final int base;
    protected int pos;
    protected final int end;
    protected boolean isInt;
    protected long intValue;
    protected int strOff;
    protected int strLen;

    protected CompactReader(byte[] b, int start, int end) {
        this.b = b;
        this.base = start;
        this.pos = start;
        this.end = end;
    }

    /** Advances to the next element; false at the end marker. */
    public abstract boolean next();

    /** Element count from the header, or -1 when the header does not tell. */
    public abstract long declaredCount();

    public boolean isInt() {
        return isInt;
    }

    public long intValue() {
        return intValue;
    }

    public int stringOffset() {
        return strOff;
    }

    public int stringLength() {
        return strLen;
    }

    public byte[] array() {
        return b;
    }

    /** The current element as bytes; integers as decimal text. */
    public byte[] bytes() {
        if (isInt) {
            return Bytes.ascii(intValue);
        }
        return Arrays.copyOfRange(b, strOff, strOff + strLen);
    }

    /** The current element as a long (strings must be decimal integers). */
    public long longValue() {
        if (isInt) {
            return intValue;
        }
        return parseLong(b, strOff, strLen);
    }

    /** The current element as a double score (integer entries or decimal / inf text). */
    public double doubleValue() {
        if (isInt) {
            return intValue;
        }
        return parseDouble(b, strOff, strLen);
    }

    /** Number of bytes of the current element (decimal length for integers). */
    public int byteSize() {
        return isInt ? 20 : strLen;
    }

    protected final void require(int n) {
        if (n < 0 || pos + n > end || pos + n < pos) {
            throw new CorruptValueException(name() + " entry runs past the end of its " + (end - base) + "-byte buffer");
        }
    }

    protected abstract String name();

    protected final int u8() {
        require(1);
        return b[pos++] & 0xFF;
    }

    protected final long le(int n) {
        require(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (b[pos + i] & 0xFFL) << (8 * i);
        }
        pos += n;
        return v;
    }

    protected final void string(int len) {
        require(len);
        isInt = false;
        strOff = pos;
        strLen = len;
        pos += len;
    }

    protected final void integer(long v) {
        isInt = true;
        intValue = v;
    }

    public static long parseLong(byte[] b, int off, int len) {
        if (len <= 0 || len > 20) {
            throw new CorruptValueException("not an integer: " + new String(b, off, Math.max(0, Math.min(len, 40)),
                    StandardCharsets.ISO_8859_1));
        }
        try {
            return Long.parseLong(new String(b, off, len, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new CorruptValueException("not an integer: " + new String(b, off, len, StandardCharsets.ISO_8859_1));
        }
    }

    public static double parseDouble(byte[] b, int off, int len) {
        String s = new String(b, off, len, StandardCharsets.US_ASCII);
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "inf":
            case "+inf":
            case "infinity":
            case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf":
            case "-infinity":
                return Double.NEGATIVE_INFINITY;
            case "nan":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new CorruptValueException("not a number: " + s);
                }
        }
    }

    /** Reads a Redis listpack (spec §4.8): header, entries with back-lengths, 0xFF. */
    public static CompactReader listpack(byte[] b) {
        return new ListpackReader(b, 0, b.length);
    }

    /** Reads a Redis listpack held in {@code b[off, off+len)}. */
    public static CompactReader listpack(byte[] b, int off, int len) {
        return new ListpackReader(b, off, len);
    }

    /** Reads a Redis ziplist (spec §4.8). */
    public static CompactReader ziplist(byte[] b) {
        return new ZiplistReader(b, 0, b.length);
    }

    /** Reads a Redis ziplist held in {@code b[off, off+len)}. */
    public static CompactReader ziplist(byte[] b, int off, int len) {
        return new ZiplistReader(b, off, len);
    }

    /** Reads a Redis intset: encoding, length, sorted little-endian integers. */
    public static CompactReader intset(byte[] b) {
        return new Intset(b, 0, b.length);
    }

    /** Reads a Redis intset held in {@code b[off, off+len)}. */
    public static CompactReader intset(byte[] b, int off, int len) {
        return new Intset(b, off, len);
    }

    /** Reads a Redis zipmap (pre-2.6 small hashes): alternating keys and values. */
    public static CompactReader zipmap(byte[] b) {
        return new ZipmapReader(b, 0, b.length);
    }

    /** Reads a Redis zipmap held in {@code b[off, off+len)}. */
    public static CompactReader zipmap(byte[] b, int off, int len) {
        return new ZipmapReader(b, off, len);
    }



    public static final class Intset extends CompactReader {
        private final int width;
        private final long count;
        private long index;

        Intset(byte[] b, int off, int len) {
            super(b, off, off + len);
            if (len < 8) {
                throw new CorruptValueException("intset shorter than its 8-byte header");
            }
            long w = le(4);
            if (w != 2 && w != 4 && w != 8) {
                throw new CorruptValueException("invalid intset encoding " + w);
            }
            width = (int) w;
            count = le(4);
            if (8 + count * width != len) {
                throw new CorruptValueException("intset of " + count + " x " + width + " bytes in a " + len
                        + "-byte string");
            }
        }

        /** Bytes per element: 2, 4 or 8. */
        public int width() {
            return width;
        }

        @Override
        protected String name() {
            return "intset";
        }

        @Override
        public long declaredCount() {
            return count;
        }

        @Override
        public boolean next() {
            if (index == count) {
                return false;
            }
            index++;
            long v = le(width);
            integer(width == 2 ? (short) v : width == 4 ? (int) v : v);
            return true;
        }
    }

}
