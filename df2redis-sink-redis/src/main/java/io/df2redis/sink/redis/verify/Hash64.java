package io.df2redis.sink.redis.verify;

/**
 * A streaming 64-bit hash of bytes (8-byte words folded with a multiply-xorshift mixer) used for
 * value digests. Not cryptographic; the result does not depend on how the input was split into
 * {@link #update} calls.
 */
final class Hash64 {
    private static final long K1 = 0x9E3779B97F4A7C15L;
    private static final long K2 = 0xC2B2AE3D27D4EB4FL;

    private long state;
    private long word;
    private int wordBytes;
    private long length;

    Hash64(long seed) {
        state = seed * K2 + K1;
    }

    Hash64 update(byte[] b) {
        return update(b, 0, b.length);
    }

    Hash64 update(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            word |= (b[i] & 0xFFL) << (8 * wordBytes);
            if (++wordBytes == 8) {
                state = mix(state ^ mix(word)) * K1;
                word = 0;
                wordBytes = 0;
            }
        }
        length += len;
        return this;
    }

    Hash64 update(long v) {
        state = mix(state ^ mix(v + K2)) * K1;
        return this;
    }

    long finish() {
        long s = state;
        if (wordBytes > 0) {
            s = mix(s ^ mix(word ^ ((long) wordBytes << 56))) * K1;
        }
        return mix(s ^ length);
    }

    /** The hash of one byte string (length-delimited, so concatenations do not collide). */
    static long of(long seed, byte[] b) {
        return new Hash64(seed).update(b).finish();
    }

    /** A well-spread 64-bit mix of {@code z} (a bijection). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
