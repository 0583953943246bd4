package io.df2redis.protocol.internal;

import java.nio.charset.StandardCharsets;

/**
 * Forward cursor over the elements of a compact encoding held in a byte array: Redis listpack,
 * ziplist, intset or zipmap. After {@link #next()} returned true the current element is either
 * an integer ({@link #isInt()}, {@link #intValue()}) or a byte range
 * ({@link #stringOffset()}, {@link #stringLength()}); {@link #bytes()} gives either as bytes
 * (integers in decimal ASCII, as Redis replies them). Every length is checked against the
 * array: malformed input ends in {@link CorruptValueException}, never in an index error.
 */
public abstract class CompactReader {
    protected final byte[] b;
    protected int pos;
    protected final int end;
    protected boolean isInt;
    protected long intValue;
    protected int strOff;
    protected int strLen;

    protected CompactReader(byte[] b, int start, int end) {
        this.b = b;
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
            return Long.toString(intValue).getBytes(StandardCharsets.US_ASCII);
        }
        byte[] out = new byte[strLen];
        System.arraycopy(b, strOff, out, 0, strLen);
        return out;
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
            throw new CorruptValueException(name() + " entry runs past the end of its " + (end) + "-byte buffer");
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
        return new Listpack(b);
    }

    /** Reads a Redis ziplist (spec §4.8). */
    public static CompactReader ziplist(byte[] b) {
        return new Ziplist(b);
    }

    /** Reads a Redis intset: encoding, length, sorted little-endian integers. */
    public static CompactReader intset(byte[] b) {
        return new Intset(b);
    }

    /** Reads a Redis zipmap (pre-2.6 small hashes): alternating keys and values. */
    public static CompactReader zipmap(byte[] b) {
        return new Zipmap(b);
    }

    static final class Listpack extends CompactReader {
        private final long count;

        Listpack(byte[] b) {
            super(b, 0, b.length);
            if (b.length < 7) {
                throw new CorruptValueException("listpack shorter than its 7-byte header and terminator");
            }
            long total = le(4);
            if (total != b.length) {
                throw new CorruptValueException("listpack header says " + total + " bytes, string holds " + b.length);
            }
            if ((b[b.length - 1] & 0xFF) != 0xFF) {
                throw new CorruptValueException("listpack does not end with 0xFF");
            }
            long c = le(2);
            count = c == 65535 ? -1 : c;
        }

        @Override
        protected String name() {
            return "listpack";
        }

        @Override
        public long declaredCount() {
            return count;
        }

        @Override
        public boolean next() {
            int start = pos;
            int e = u8();
            if (e == 0xFF) {
                if (pos != end) {
                    throw new CorruptValueException("listpack terminator before the end of the buffer");
                }
                pos--;
                return false;
            }
            if ((e & 0x80) == 0) {
                integer(e & 0x7F);
            } else if ((e & 0xC0) == 0x80) {
                string(e & 0x3F);
            } else if ((e & 0xE0) == 0xC0) {
                int u = ((e & 0x1F) << 8) | u8();
                integer(u >= 4096 ? u - 8192 : u);
            } else if ((e & 0xF0) == 0xE0) {
                string(((e & 0x0F) << 8) | u8());
            } else {
                switch (e) {
                    case 0xF0: {
                        long len = le(4);
                        if (len > Integer.MAX_VALUE) {
                            throw new CorruptValueException("listpack string length " + len + " out of range");
                        }
                        string((int) len);
                        break;
                    }
                    case 0xF1:
                        integer((short) le(2));
                        break;
                    case 0xF2: {
                        long v = le(3);
                        integer((v << 40) >> 40);
                        break;
                    }
                    case 0xF3:
                        integer((int) le(4));
                        break;
                    case 0xF4:
                        integer(le(8));
                        break;
                    default:
                        throw new CorruptValueException("invalid listpack entry encoding 0x" + Integer.toHexString(e));
                }
            }
            int size = pos - start;
            int backlen = size <= 127 ? 1 : size < 16383 ? 2 : size < 2097151 ? 3 : size < 268435455 ? 4 : 5;
            require(backlen);
            pos += backlen;
            return true;
        }
    }

    static final class Ziplist extends CompactReader {
        private final long count;

        Ziplist(byte[] b) {
            super(b, 0, b.length);
            if (b.length < 11) {
                throw new CorruptValueException("ziplist shorter than its 11-byte header and terminator");
            }
            long total = le(4);
            if (total != b.length) {
                throw new CorruptValueException("ziplist header says " + total + " bytes, string holds " + b.length);
            }
            long tail = le(4);
            if (tail >= b.length) {
                throw new CorruptValueException("ziplist tail offset " + tail + " outside the ziplist");
            }
            if ((b[b.length - 1] & 0xFF) != 0xFF) {
                throw new CorruptValueException("ziplist does not end with 0xFF");
            }
            long c = le(2);
            count = c == 65535 ? -1 : c;
        }

        @Override
        protected String name() {
            return "ziplist";
        }

        @Override
        public long declaredCount() {
            return count;
        }

        @Override
        public boolean next() {
            int first = u8();
            if (first == 0xFF) {
                if (pos != end) {
                    throw new CorruptValueException("ziplist terminator before the end of the buffer");
                }
                pos--;
                return false;
            }
            if (first == 0xFE) {
                le(4);
            }
            int e = u8();
            switch (e >> 6) {
                case 0:
                    string(e & 0x3F);
                    return true;
                case 1:
                    string(((e & 0x3F) << 8) | u8());
                    return true;
                case 2: {
                    if (e != 0x80) {
                        throw new CorruptValueException("invalid ziplist string encoding 0x" + Integer.toHexString(e));
                    }
                    require(4);
                    long len = ((b[pos] & 0xFFL) << 24) | ((b[pos + 1] & 0xFFL) << 16) | ((b[pos + 2] & 0xFFL) << 8)
                            | (b[pos + 3] & 0xFFL);
                    pos += 4;
                    if (len > Integer.MAX_VALUE) {
                        throw new CorruptValueException("ziplist string length " + len + " out of range");
                    }
                    string((int) len);
                    return true;
                }
                default:
                    break;
            }
            switch (e) {
                case 0xC0:
                    integer((short) le(2));
                    break;
                case 0xD0:
                    integer((int) le(4));
                    break;
                case 0xE0:
                    integer(le(8));
                    break;
                case 0xF0: {
                    long v = le(3);
                    integer((v << 40) >> 40);
                    break;
                }
                case 0xFE:
                    integer((byte) le(1));
                    break;
                default:
                    if (e >= 0xF1 && e <= 0xFD) {
                        integer((e & 0x0F) - 1);
                    } else {
                        throw new CorruptValueException("invalid ziplist entry encoding 0x" + Integer.toHexString(e));
                    }
            }
            return true;
        }
    }

    public static final class Intset extends CompactReader {
        private final int width;
        private final long count;
        private long index;

        Intset(byte[] b) {
            super(b, 0, b.length);
            if (b.length < 8) {
                throw new CorruptValueException("intset shorter than its 8-byte header");
            }
            long w = le(4);
            if (w != 2 && w != 4 && w != 8) {
                throw new CorruptValueException("invalid intset encoding " + w);
            }
            width = (int) w;
            count = le(4);
            if (8 + count * width != b.length) {
                throw new CorruptValueException("intset of " + count + " x " + width + " bytes in a " + b.length
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

    static final class Zipmap extends CompactReader {
        private boolean value;
        private int free;

        Zipmap(byte[] b) {
            super(b, 0, b.length);
            if (b.length < 2) {
                throw new CorruptValueException("zipmap shorter than 2 bytes");
            }
            u8(); // zmlen: a hint only
        }

        @Override
        protected String name() {
            return "zipmap";
        }

        @Override
        public long declaredCount() {
            return -1;
        }

        @Override
        public boolean next() {
            if (!value && free > 0) {
                require(free);
                pos += free;
                free = 0;
            }
            int len = u8();
            if (len == 0xFF) {
                if (value) {
                    throw new CorruptValueException("zipmap ends after a key without value");
                }
                if (pos != end) {
                    throw new CorruptValueException("zipmap terminator before the end of the buffer");
                }
                pos--;
                return false;
            }
            long l = len;
            if (len == 0xFE) {
                l = le(4);
            } else if (len == 0xFD) {
                // 253 is a valid one-byte length in zipmap
                l = 0xFD;
            }
            if (l > Integer.MAX_VALUE) {
                throw new CorruptValueException("zipmap length out of range");
            }
            if (value) {
                free = u8();
            }
            string((int) l);
            value = !value;
            if (!value) {
                require(free);
            }
            return true;
        }
    }
}
