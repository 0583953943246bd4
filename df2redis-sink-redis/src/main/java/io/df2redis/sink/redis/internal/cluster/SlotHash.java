package io.df2redis.sink.redis.internal.cluster;

/**
 * Redis Cluster key slots: CRC16 (XMODEM: polynomial 0x1021, initial value 0, no reflection) of
 * the key — or of its hash tag, the bytes between the first <code>{</code> and the first
 * <code>}</code> after it when that span is non-empty — modulo 16384.
 */
public final class SlotHash {
    /** Number of hash slots. */
    public static final int SLOTS = 16384;

    private static final int[] TABLE = new int[256];

    static {
        for (int b = 0; b < 256; b++) {
            int crc = b << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[b] = crc & 0xFFFF;
        }
    }

    private SlotHash() {
    }

    /** The slot of a key. */
    public static int slot(byte[] key) {
        int from = 0;
        int to = key.length;
        int open = indexOf(key, (byte) '{', 0);
        if (open >= 0) {
            int close = indexOf(key, (byte) '}', open + 1);
            if (close > open + 1) {
                from = open + 1;
                to = close;
            }
        }
        return crc16(key, from, to) & (SLOTS - 1);
    }

    /** CRC16/XMODEM of {@code data[from, to)}. */
    public static int crc16(byte[] data, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ data[i]) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
