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

    static {
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

    /** Continues {@code crc} over {@code b[off, off+len)}. */
    public static long update(long crc, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        long[] t = TABLE;
        while (end - i >= 8) {
            long x = crc ^ (long) LONGS.get(b, i);
            crc = t[7 * 256 + (int) (x & 0xFF)] ^ t[6 * 256 + (int) ((x >>> 8) & 0xFF)]
                    ^ t[5 * 256 + (int) ((x >>> 16) & 0xFF)] ^ t[4 * 256 + (int) ((x >>> 24) & 0xFF)]
                    ^ t[3 * 256 + (int) ((x >>> 32) & 0xFF)] ^ t[2 * 256 + (int) ((x >>> 40) & 0xFF)]
                    ^ t[256 + (int) ((x >>> 48) & 0xFF)] ^ t[(int) (x >>> 56)];
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
