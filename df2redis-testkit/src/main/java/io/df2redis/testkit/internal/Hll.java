package io.df2redis.testkit.internal;

import java.io.ByteArrayOutputStream;

/**
 * HyperLogLog strings in the format Redis defines and Dragonfly keeps ({@code HYLL} header,
 * 16384 six-bit registers, sparse or dense encoding): what {@code PFADD} stores and
 * {@code PFMERGE} writes, byte for byte, so that a replica and the master hold the same bytes.
 * Sparse values are edited the way Redis edits them (split the covering opcode, merge equal
 * neighbouring VAL opcodes in a small window, promote to dense above 3000 bytes or a register
 * value above 32).
 */
final class Hll {
    static final int REGISTERS = 16384;
    private static final int P = 14;
    private static final int HEADER = 16;
    static final int DENSE_SIZE = HEADER + REGISTERS * 6 / 8;
    private static final int SPARSE_MAX_BYTES = 3000;
    private static final int VAL_MAX_VALUE = 32;
    private static final int VAL_MAX_LEN = 4;
    private static final int ZERO_MAX_LEN = 64;
    private static final int XZERO_MAX_LEN = 16384;
    static final String INVALID = "WRONGTYPE Key is not a valid HyperLogLog string value.";

    private byte[] b;

    private Hll(byte[] b) {
        this.b = b;
    }

    /** A new, empty, sparse HLL (valid cached cardinality 0). */
    static Hll create() {
        byte[] b = new byte[HEADER + 2];
        header(b, 1);
        int len = XZERO_MAX_LEN - 1;
        b[HEADER] = (byte) (0x40 | (len >> 8));
        b[HEADER + 1] = (byte) (len & 0xff);
        return new Hll(b);
    }

    /** An existing value; {@link #INVALID} when it is not an HLL. */
    static Hll of(byte[] value) {
        if (value.length < HEADER || value[0] != 'H' || value[1] != 'Y' || value[2] != 'L' || value[3] != 'L'
                || value[4] > 1 || value[4] < 0 || (value[4] == 0 && value.length != DENSE_SIZE)) {
            throw new IllegalStateException(INVALID);
        }
        return new Hll(value.clone());
    }

    private static void header(byte[] b, int encoding) {
        b[0] = 'H';
        b[1] = 'Y';
        b[2] = 'L';
        b[3] = 'L';
        b[4] = (byte) encoding;
    }

    byte[] bytes() {
        return b.clone();
    }

    boolean sparse() {
        return b[4] == 1;
    }

    /** Adds an element; whether a register changed. */
    boolean add(byte[] element) {
        long hash = murmur64a(element, 0xadc83b19L);
        int index = (int) (hash & (REGISTERS - 1));
        hash >>>= P;
        hash |= 1L << (64 - P);
        int count = 1;
        long bit = 1;
        while ((hash & bit) == 0) {
            count++;
            bit <<= 1;
        }
        boolean changed = sparse() ? sparseSet(index, count) : denseSet(b, index, count);
        if (changed) {
            b[15] |= (byte) 0x80; // invalidate the cached cardinality
        }
        return changed;
    }

    /** The 16384 register values. */
    int[] registers() {
        int[] r = new int[REGISTERS];
        if (!sparse()) {
            for (int i = 0; i < REGISTERS; i++) {
                r[i] = denseGet(b, i);
            }
            return r;
        }
        int idx = 0;
        for (int p = HEADER; p < b.length && idx < REGISTERS; ) {
            int op = b[p] & 0xff;
            if ((op & 0xc0) == 0) {
                idx += (op & 0x3f) + 1;
                p++;
            } else if ((op & 0xc0) == 0x40) {
                idx += (((op & 0x3f) << 8) | (b[p + 1] & 0xff)) + 1;
                p += 2;
            } else {
                int v = ((op >> 2) & 0x1f) + 1;
                int len = (op & 3) + 1;
                for (int k = 0; k < len && idx < REGISTERS; k++) {
                    r[idx++] = v;
                }
                p++;
            }
        }
        return r;
    }

    /** A dense HLL (invalid cached cardinality) whose registers are the maxima of {@code sources}'. */
    static byte[] merge(Iterable<Hll> sources) {
        byte[] d = new byte[DENSE_SIZE];
        header(d, 0);
        d[15] = (byte) 0x80;
        int[] max = new int[REGISTERS];
        for (Hll h : sources) {
            int[] r = h.registers();
            for (int i = 0; i < REGISTERS; i++) {
                max[i] = Math.max(max[i], r[i]);
            }
        }
        for (int i = 0; i < REGISTERS; i++) {
            if (max[i] > 0) {
                denseSet(d, i, max[i]);
            }
        }
        return d;
    }

    // ------------------------------------------------------------------ dense

    private static int denseGet(byte[] d, int reg) {
        int bit = reg * 6;
        int byteIdx = HEADER + bit / 8;
        int fb = bit & 7;
        int b0 = d[byteIdx] & 0xff;
        int b1 = byteIdx + 1 < d.length ? d[byteIdx + 1] & 0xff : 0;
        return ((b0 >> fb) | (b1 << (8 - fb))) & 63;
    }

    private static boolean denseSet(byte[] d, int reg, int value) {
        if (value <= denseGet(d, reg)) {
            return false;
        }
        int bit = reg * 6;
        int byteIdx = HEADER + bit / 8;
        int fb = bit & 7;
        d[byteIdx] = (byte) ((d[byteIdx] & ~(63 << fb)) | (value << fb));
        if (byteIdx + 1 < d.length) {
            d[byteIdx + 1] = (byte) ((d[byteIdx + 1] & ~(63 >> (8 - fb))) | (value >> (8 - fb)));
        }
        return true;
    }

    private void promote() {
        int[] r = registers();
        byte[] d = new byte[DENSE_SIZE];
        System.arraycopy(b, 0, d, 0, HEADER);
        d[4] = 0;
        for (int i = 0; i < REGISTERS; i++) {
            if (r[i] > 0) {
                denseSet(d, i, r[i]);
            }
        }
        b = d;
    }

    // ------------------------------------------------------------------ sparse

    private boolean sparseSet(int index, int count) {
        if (count > VAL_MAX_VALUE) {
            promote();
            return denseSet(b, index, count);
        }
        int p = HEADER;
        int prev = -1;
        int first = 0;
        int span = 0;
        while (p < b.length) {
            int op = b[p] & 0xff;
            int oplen = 1;
            if ((op & 0xc0) == 0) {
                span = (op & 0x3f) + 1;
            } else if ((op & 0x80) != 0) {
                span = (op & 3) + 1;
            } else {
                span = (((op & 0x3f) << 8) | (b[p + 1] & 0xff)) + 1;
                oplen = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= b.length) {
            throw new IllegalStateException(INVALID);
        }
        int op = b[p] & 0xff;
        boolean isZero = (op & 0xc0) == 0;
        boolean isXZero = (op & 0xc0) == 0x40;
        boolean isVal = (op & 0x80) != 0;
        if (isVal) {
            int old = ((op >> 2) & 0x1f) + 1;
            if (old >= count) {
                return false;
            }
            if (span == 1) {
                b[p] = val(count, 1);
                mergeFrom(prev);
                return true;
            }
        }
        if (isZero && span == 1) {
            b[p] = val(count, 1);
            mergeFrom(prev);
            return true;
        }
        ByteArrayOutputStream seq = new ByteArrayOutputStream(5);
        int last = first + span - 1;
        if (isZero || isXZero) {
            if (index != first) {
                zeros(seq, index - first);
            }
            seq.write(val(count, 1));
            if (index != last) {
                zeros(seq, last - index);
            }
        } else {
            int cur = ((op >> 2) & 0x1f) + 1;
            if (index != first) {
                seq.write(val(cur, index - first));
            }
            seq.write(val(count, 1));
            if (index != last) {
                seq.write(val(cur, last - index));
            }
        }
        byte[] s = seq.toByteArray();
        int oldLen = isXZero ? 2 : 1;
        int delta = s.length - oldLen;
        if (delta > 0 && b.length + delta > SPARSE_MAX_BYTES) {
            promote();
            return denseSet(b, index, count);
        }
        byte[] n = new byte[b.length + delta];
        System.arraycopy(b, 0, n, 0, p);
        System.arraycopy(s, 0, n, p, s.length);
        System.arraycopy(b, p + oldLen, n, p + s.length, b.length - p - oldLen);
        b = n;
        mergeFrom(prev);
        return true;
    }

    /** Merges adjacent VAL opcodes of equal value, scanning up to 5 opcodes from {@code prev}. */
    private void mergeFrom(int prev) {
        int p = prev >= 0 ? prev : HEADER;
        int scan = 5;
        int end = b.length;
        while (p < end && scan-- > 0) {
            int op = b[p] & 0xff;
            if ((op & 0xc0) == 0x40) {
                p += 2;
                continue;
            } else if ((op & 0xc0) == 0) {
                p++;
                continue;
            }
            if (p + 1 < end && (b[p + 1] & 0x80) != 0) {
                int v1 = ((op >> 2) & 0x1f) + 1;
                int v2 = ((b[p + 1] >> 2) & 0x1f) + 1;
                if (v1 == v2) {
                    int len = (op & 3) + 1 + (b[p + 1] & 3) + 1;
                    if (len <= VAL_MAX_LEN) {
                        b[p + 1] = val(v1, len);
                        byte[] n = new byte[b.length - 1];
                        System.arraycopy(b, 0, n, 0, p);
                        System.arraycopy(b, p + 1, n, p, b.length - p - 1);
                        b = n;
                        end--;
                        continue;
                    }
                }
            }
            p++;
        }
    }

    private static byte val(int value, int len) {
        return (byte) (0x80 | ((value - 1) << 2) | (len - 1));
    }

    private static void zeros(ByteArrayOutputStream out, int len) {
        if (len > ZERO_MAX_LEN) {
            out.write(0x40 | ((len - 1) >> 8));
            out.write((len - 1) & 0xff);
        } else {
            out.write(len - 1);
        }
    }

    /** Redis's MurmurHash64A. */
    static long murmur64a(byte[] key, long seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        int len = key.length;
        long h = seed ^ (len * m);
        int end = len - (len & 7);
        for (int i = 0; i < end; i += 8) {
            long k = 0;
            for (int j = 7; j >= 0; j--) {
                k = (k << 8) | (key[i + j] & 0xffL);
            }
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int rem = len & 7;
        if (rem > 0) {
            for (int j = rem - 1; j >= 0; j--) {
                h ^= (key[end + j] & 0xffL) << (8 * j);
            }
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    @Override
    public String toString() {
        return "Hll[" + (sparse() ? "sparse " : "dense ") + b.length + " bytes]";
    }
}
