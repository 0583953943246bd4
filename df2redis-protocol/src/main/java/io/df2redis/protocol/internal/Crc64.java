package io.df2redis.protocol.internal;

import io.netty.buffer.ByteBuf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * CRC-64 as used by Redis for RDB files and DUMP payloads: the Jones polynomial
 * (0xad93d23594c935a9), reflected input and output, initial value 0, no final xor.
 * {@code crc64("123456789") == 0xe9c6d914c4b8d9caL}. Table-driven, slicing by 8.
 */
public final class Crc64 {
    private static final long POLY_REFLECTED = reflect(0xad93d23594c935a9L);
    /** Eight 256-entry tables, one after the other: table t gives the CRC of a byte followed by t zero bytes. */
    private static final long[] TABLE = new long[8 * 256];
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Ranges from this length on are hashed in three interleaved parts. */
    private static final int PARALLEL_MIN = 1024;
    /** X_POW_2K[k] = x^(2^k) modulo the polynomial, reflected. */
    private static final long[] X_POW_2K = new long[64];

    static {
        X_POW_2K[0] = 1L << 62; // x^1
        for (int k = 1; k < 64; k++) {
            X_POW_2K[k] = multiply(X_POW_2K[k - 1], X_POW_2K[k - 1]);
        }
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
            }
            TABLE[n] = crc;
        }
        for (int n = 0; n < 256; n++) {
            long crc = TABLE[n];
            for (int t = 1; t < 8; t++) {
                crc = TABLE[(int) (crc & 0xFF)] ^ (crc >>> 8);
                TABLE[t * 256 + n] = crc;
            }
        }
    }

    private Crc64() {
    }

    private static long reflect(long v) {
        return Long.reverse(v);
    }

    /**
     * Continues {@code crc} over {@code b[off, off+len)}. Long ranges are hashed as three
     * interleaved thirds (three independent dependency chains keep the CPU busier than one) whose
     * checksums are then joined with {@link #combine}.
     */
    public static long update(long crc, byte[] b, int off, int len) {
        if (len < PARALLEL_MIN) {
            return sliceBy8(crc, b, off, len);
        }
        int third = (len / 3) & ~7;
        int p1 = off + third;
        int p2 = p1 + third;
        long c0 = crc;
        long c1 = 0;
        long c2 = 0;
        long[] t = TABLE;
        for (int i = 0; i < third; i += 8) {
            long x0 = c0 ^ (long) LONGS.get(b, off + i);
            long x1 = c1 ^ (long) LONGS.get(b, p1 + i);
            long x2 = c2 ^ (long) LONGS.get(b, p2 + i);
            c0 = word(t, x0);
            c1 = word(t, x1);
            c2 = word(t, x2);
        }
        long shift = xPow8n(third);
        crc = multiply(shift, multiply(shift, c0) ^ c1) ^ c2;
        return sliceBy8(crc, b, p2 + third, off + len - (p2 + third));
    }

    /** The CRC register after one 8-byte word: {@code x} is the register xor the word. */
    private static long word(long[] t, long x) {
        return t[7 * 256 + (int) (x & 0xFF)] ^ t[6 * 256 + (int) ((x >>> 8) & 0xFF)]
                ^ t[5 * 256 + (int) ((x >>> 16) & 0xFF)] ^ t[4 * 256 + (int) ((x >>> 24) & 0xFF)]
                ^ t[3 * 256 + (int) ((x >>> 32) & 0xFF)] ^ t[2 * 256 + (int) ((x >>> 40) & 0xFF)]
                ^ t[256 + (int) ((x >>> 48) & 0xFF)] ^ t[(int) (x >>> 56)];
    }

    /**
     * The checksum of {@code A} followed by {@code B}, from {@code crcA} (the checksum of
     * {@code A}), {@code crcB} (of {@code B} alone, started from 0) and the length of {@code B}.
     * This CRC has no initial or final xor, so it is linear: the first part is multiplied by
     * x^(8 lenB) modulo the polynomial.
     */
    public static long combine(long crcA, long crcB, long lenB) {
        return multiply(xPow8n(lenB), crcA) ^ crcB;
    }

    /** {@code a(x) * b(x)} modulo the polynomial, both reflected (bit 63 is x^0). */
    private static long multiply(long a, long b) {
        long p = 0;
        for (long m = 1L << 63; m != 0; m >>>= 1) {
            if ((a & m) != 0) {
                p ^= b;
                if ((a & (m - 1)) == 0) {
                    break;
                }
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ POLY_REFLECTED : b >>> 1;
        }
        return p;
    }

    /** x^(8 n) modulo the polynomial, reflected. */
    private static long xPow8n(long n) {
        long p = 1L << 63; // x^0
        for (int k = 3; n != 0; n >>>= 1, k++) {
            if ((n & 1) != 0) {
                p = multiply(X_POW_2K[k], p);
            }
        }
        return p;
    }

    private static long sliceBy8(long crc, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        long[] t = TABLE;
        while (end - i >= 8) {
            crc = word(t, crc ^ (long) LONGS.get(b, i));
            i += 8;
        }
        while (i < end) {
            crc = t[(int) ((crc ^ b[i++]) & 0xFF)] ^ (crc >>> 8);
        }
        return crc;
    }

    /** Continues {@code crc} over {@code buf[index, index+len)} without moving its indices. */
    public static long update(long crc, ByteBuf buf, int index, int len) {
        if (buf.hasArray()) {
            return update(crc, buf.array(), buf.arrayOffset() + index, len);
        }
        byte[] tmp = new byte[Math.min(len, 8192)];
        int done = 0;
        while (done < len) {
            int n = Math.min(tmp.length, len - done);
            buf.getBytes(index + done, tmp, 0, n);
            crc = update(crc, tmp, 0, n);
            done += n;
        }
        return crc;
    }

    public static long of(byte[] b) {
        return update(0L, b, 0, b.length);
    }
}
