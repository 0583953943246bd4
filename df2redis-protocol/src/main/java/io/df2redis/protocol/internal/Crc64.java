package io.df2redis.protocol.internal;

import io.netty.buffer.ByteBuf;

/**
 * CRC-64 as used by Redis for RDB files and DUMP payloads: the Jones polynomial
 * (0xad93d23594c935a9), reflected input and output, initial value 0, no final xor.
 * {@code crc64("123456789") == 0xe9c6d914c4b8d9caL}. Table-driven, slicing by 8.
 */
public final class Crc64 {
    private static final long POLY_REFLECTED = reflect(0xad93d23594c935a9L);
    private static final long[][] TABLES = new long[8][256];

    static {
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
            }
            TABLES[0][n] = crc;
        }
        for (int n = 0; n < 256; n++) {
            long crc = TABLES[0][n];
            for (int t = 1; t < 8; t++) {
                crc = TABLES[0][(int) (crc & 0xFF)] ^ (crc >>> 8);
                TABLES[t][n] = crc;
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
        long[] t0 = TABLES[0];
        while (end - i >= 8) {
            crc ^= (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24
                    | (b[i + 4] & 0xFFL) << 32 | (b[i + 5] & 0xFFL) << 40 | (b[i + 6] & 0xFFL) << 48
                    | (b[i + 7] & 0xFFL) << 56;
            crc = TABLES[7][(int) (crc & 0xFF)] ^ TABLES[6][(int) ((crc >>> 8) & 0xFF)]
                    ^ TABLES[5][(int) ((crc >>> 16) & 0xFF)] ^ TABLES[4][(int) ((crc >>> 24) & 0xFF)]
                    ^ TABLES[3][(int) ((crc >>> 32) & 0xFF)] ^ TABLES[2][(int) ((crc >>> 40) & 0xFF)]
                    ^ TABLES[1][(int) ((crc >>> 48) & 0xFF)] ^ t0[(int) (crc >>> 56)];
            i += 8;
        }
        while (i < end) {
            crc = t0[(int) ((crc ^ b[i++]) & 0xFF)] ^ (crc >>> 8);
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
