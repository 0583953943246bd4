package io.df2redis.protocol.internal;

import io.df2redis.protocol.rdb.RdbOpcodes;
import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * Bounds-checked primitive reads over a {@link ByteBuf} for the resumable decoders: every read
 * first checks that the bytes are there and throws {@link NeedMoreInput} if not, so a unit can
 * be retried from its start once more bytes arrived.
 */
public final class Bytes {
    /** Marker bit set on values returned by {@link #readRdbLength} for "special" encodings. */
    public static final long SPECIAL = 1L << 62;

    private Bytes() {
    }

    public static void need(ByteBuf in, long n) {
        if (in.readableBytes() < n) {
            throw NeedMoreInput.INSTANCE;
        }
    }

    public static int u8(ByteBuf in) {
        need(in, 1);
        return in.readUnsignedByte();
    }

    public static int u16le(ByteBuf in) {
        need(in, 2);
        return in.readUnsignedShortLE();
    }

    public static long u32le(ByteBuf in) {
        need(in, 4);
        return in.readUnsignedIntLE();
    }

    public static int i32le(ByteBuf in) {
        need(in, 4);
        return in.readIntLE();
    }

    public static long i64le(ByteBuf in) {
        need(in, 8);
        return in.readLongLE();
    }

    public static long i64be(ByteBuf in) {
        need(in, 8);
        return in.readLong();
    }

    public static double f64le(ByteBuf in) {
        return Double.longBitsToDouble(i64le(in));
    }

    public static byte[] bytes(ByteBuf in, int n) {
        need(in, n);
        int at = in.readerIndex();
        byte[] b;
        if (in.hasArray()) {
            int from = in.arrayOffset() + at;
            b = Arrays.copyOfRange(in.array(), from, from + n);
        } else {
            b = new byte[n];
            in.getBytes(at, b);
        }
        in.readerIndex(at + n);
        return b;
    }

    public static void skip(ByteBuf in, int n) {
        need(in, n);
        in.skipBytes(n);
    }

    /**
     * Reads an RDB length / Dragonfly packed uint (spec §2.2). A first byte {@code 11xxxxxx}
     * ("special encoding") is returned as {@code SPECIAL | (b0 & 0x3F)}.
     */
    public static long readRdbLength(ByteBuf in) {
        need(in, 1);
        int b0 = in.getUnsignedByte(in.readerIndex());
        switch (b0 >> 6) {
            case 0:
                in.skipBytes(1);
                return b0 & 0x3F;
            case 1: {
                need(in, 2);
                in.skipBytes(1);
                return ((long) (b0 & 0x3F) << 8) | in.readUnsignedByte();
            }
            case 2:
                if (b0 == RdbOpcodes.LENGTH_32) {
                    need(in, 5);
                    in.skipBytes(1);
                    return in.readUnsignedInt();
                } else if (b0 == RdbOpcodes.LENGTH_64) {
                    need(in, 9);
                    in.skipBytes(1);
                    return in.readLong(); // may be negative for values >= 2^63: callers bound-check
                }
                throw new IllegalStateException("bad length prefix 0x" + Integer.toHexString(b0));
            default:
                in.skipBytes(1);
                return SPECIAL | (b0 & 0x3F);
        }
    }

    /** The decimal text of {@code v} as ASCII bytes, without an intermediate String. */
    public static byte[] ascii(long v) {
        if (v == Long.MIN_VALUE) {
            return Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        boolean neg = v < 0;
        long x = neg ? -v : v;
        int digits = 1;
        for (long p = 10; digits < 19 && x >= p; p *= 10) {
            digits++;
        }
        byte[] out = new byte[digits + (neg ? 1 : 0)];
        int i = out.length;
        // two digits per division; int arithmetic once the value fits
        while (x > Integer.MAX_VALUE) {
            long q = x / 100;
            int r = (int) (x - q * 100);
            x = q;
            out[--i] = (byte) ('0' + r % 10);
            out[--i] = (byte) ('0' + r / 10);
        }
        int y = (int) x;
        while (y >= 100) {
            int q = y / 100;
            int r = y - q * 100;
            y = q;
            out[--i] = (byte) ('0' + r % 10);
            out[--i] = (byte) ('0' + r / 10);
        }
        if (y >= 10) {
            out[--i] = (byte) ('0' + y % 10);
            y /= 10;
        }
        out[--i] = (byte) ('0' + y);
        if (neg) {
            out[0] = '-';
        }
        return out;
    }

    /** Whether the first byte of a length is malformed (10xxxxxx other than 0x80/0x81). */
    public static boolean isBadLengthPrefix(int b0) {
        return (b0 >> 6) == 2 && b0 != RdbOpcodes.LENGTH_32 && b0 != RdbOpcodes.LENGTH_64;
    }

    /** Writes an RDB length / packed uint in its shortest form (spec §2.2). */
    public static void writeRdbLength(ByteBuf out, long v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative length " + v);
        }
        if (v < 64) {
            out.writeByte((int) v);
        } else if (v < 16384) {
            out.writeByte(0x40 | (int) (v >>> 8));
            out.writeByte((int) v & 0xFF);
        } else if (v <= 0xFFFFFFFFL) {
            out.writeByte(RdbOpcodes.LENGTH_32);
            out.writeInt((int) v);
        } else {
            out.writeByte(RdbOpcodes.LENGTH_64);
            out.writeLong(v);
        }
    }

    /** Number of bytes {@link #writeRdbLength} uses for {@code v}. */
    public static int rdbLengthSize(long v) {
        return v < 64 ? 1 : v < 16384 ? 2 : v <= 0xFFFFFFFFL ? 5 : 9;
    }
}
