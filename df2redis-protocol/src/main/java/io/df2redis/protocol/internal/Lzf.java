package io.df2redis.protocol.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * LZF in liblzf's raw block format (no header), as used by RDB strings: decompression with
 * strict bounds checks, and a simple hash-table compressor for the encoders.
 */
public final class Lzf {
    /** Largest ratio of decompressed to compressed size liblzf's format allows (264 bytes from 3). */
    public static final int MAX_EXPANSION = 88;

    private static final int WORD = 8;
    /** Longest literal run (32) and back reference (7 + 255 + 2) of the format. */
    private static final int MAX_LITERAL = 32;
    private static final int MAX_REF = 264;
    /** For a distance d below 8: the smallest multiple of d that is at least 8. */
    private static final int[] PERIOD_OF_AT_LEAST_8 = {0, 8, 8, 9, 8, 10, 12, 14};
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Lzf() {
    }

    /** Thrown by {@link #decompress} for corrupt input; the caller adds offset and context. */
    public static final class CorruptLzfException extends Exception {
        private static final long serialVersionUID = 1L;

        CorruptLzfException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Decompresses {@code in[inOff, inOff+inLen)} into exactly {@code outLen} bytes.
     *
     * @throws CorruptLzfException if the data is malformed or does not produce exactly outLen bytes
     */
    public static byte[] decompress(byte[] in, int inOff, int inLen, int outLen) throws CorruptLzfException {
        checkExpansion(inLen, outLen);
        byte[] out = new byte[outLen];
        decompress(in, inOff, inLen, out, 0, outLen);
        return out;
    }

    /**
     * Decompresses {@code in[inOff, inOff+inLen)} into exactly {@code outLen} bytes at
     * {@code out[outOff, outOff+outLen)}. Writes nothing outside that range; on error the range
     * holds partial output.
     *
     * @throws CorruptLzfException if the data is malformed or does not produce exactly outLen bytes
     */
    public static void decompress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen)
            throws CorruptLzfException {
        checkExpansion(inLen, outLen);
        if (inOff < 0 || inLen < 0 || inOff + inLen > in.length || outOff < 0 || outLen < 0
                || outOff + outLen > out.length) {
            throw new IndexOutOfBoundsException("LZF ranges outside their arrays");
        }
        int ip = inOff;
        int inEnd = inOff + inLen;
        int op = outOff;
        int outEnd = outOff + outLen;
        // 8-byte copies may overshoot a run by up to 7 bytes: allowed while they stay before outEnd
        // (the overshoot is overwritten by the following runs) and, for input, before in.length
        int outWild = outEnd - WORD;
        int inWild = in.length - WORD;
        // fast loop, while any instruction (a literal run of at most 32 bytes, a back reference of at most
        // 264) and its word overshoot fit before outEnd and the words read stay before inEnd / in.length:
        // no per-instruction length checks; the checked loop below does the rest
        int outFast = outEnd - MAX_REF - WORD;
        int inFast = Math.min(inEnd, in.length - 2 * WORD) - MAX_LITERAL - 2;
        while (ip < inFast && op < outFast) {
            int ctrl = in[ip++] & 0xFF;
            if (ctrl < 32) {
                LONGS.set(out, op, (long) LONGS.get(in, ip));
                if (ctrl >= WORD) {
                    LONGS.set(out, op + WORD, (long) LONGS.get(in, ip + WORD));
                    if (ctrl >= 2 * WORD) {
                        System.arraycopy(in, ip + 2 * WORD, out, op + 2 * WORD, ctrl + 1 - 2 * WORD);
                    }
                }
                ip += ctrl + 1;
                op += ctrl + 1;
            } else {
                int len = (ctrl >>> 5) + 2;
                if (len == 9) {
                    len += in[ip++] & 0xFF;
                }
                int dist = ((ctrl & 0x1F) << 8) + 1 + (in[ip++] & 0xFF);
                int ref = op - dist;
                if (ref < outOff) {
                    throw new CorruptLzfException("LZF back reference before the start of the output");
                }
                copyMatch(out, ref, op, len, dist, outWild);
                op += len;
            }
        }
        while (ip < inEnd) {
            int ctrl = in[ip++] & 0xFF;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (op + run > outEnd) {
                    throw new CorruptLzfException("LZF literal run overflows the declared length " + outLen);
                }
                if (ip + run > inEnd) {
                    throw new CorruptLzfException("LZF literal run past the end of the compressed data");
                }
                if (run <= WORD && op <= outWild && ip <= inWild) {
                    LONGS.set(out, op, (long) LONGS.get(in, ip));
                } else if (run <= 2 * WORD && op <= outWild - WORD && ip <= inWild - WORD) {
                    LONGS.set(out, op, (long) LONGS.get(in, ip));
                    LONGS.set(out, op + WORD, (long) LONGS.get(in, ip + WORD));
                } else {
                    System.arraycopy(in, ip, out, op, run);
                }
                ip += run;
                op += run;
            } else {
                int len = ctrl >>> 5;
                if (len == 7) {
                    if (ip >= inEnd) {
                        throw new CorruptLzfException("LZF back reference truncated");
                    }
                    len += in[ip++] & 0xFF;
                }
                if (ip >= inEnd) {
                    throw new CorruptLzfException("LZF back reference truncated");
                }
                int dist = ((ctrl & 0x1F) << 8) + 1 + (in[ip++] & 0xFF);
                int ref = op - dist;
                len += 2;
                if (ref < outOff) {
                    throw new CorruptLzfException("LZF back reference before the start of the output");
                }
                if (op + len > outEnd) {
                    throw new CorruptLzfException("LZF back reference overflows the declared length " + outLen);
                }
                copyMatch(out, ref, op, len, dist, outWild);
                op += len;
            }
        }
        if (op != outEnd) {
            throw new CorruptLzfException("LZF data decompressed to " + (op - outOff) + " bytes, declared " + outLen);
        }
    }

    /**
     * Copies the back reference {@code out[ref, ref+len)} to {@code out[op, op+len)}, where
     * {@code dist = op - ref} (the ranges overlap when {@code dist < len}: the copy then repeats
     * the last {@code dist} bytes, as a byte-by-byte copy would).
     */
    private static void copyMatch(byte[] out, int ref, int op, int len, int dist, int outWild) {
        if (op + len <= outWild) {
            if (dist == 1) {
                // a run of one byte: write it a word at a time
                long w = (out[ref] & 0xFFL) * 0x0101010101010101L;
                for (int i = 0; i < len; i += WORD) {
                    LONGS.set(out, op + i, w);
                }
                return;
            }
            int i = 0;
            int from = ref;
            if (dist < WORD) {
                // the first word byte by byte (the copy repeats the last dist bytes); after it, copying
                // from a multiple of dist that is at least 8 back gives the same bytes, a word at a time
                for (; i < WORD; i++) {
                    out[op + i] = out[ref + i];
                }
                from = op - PERIOD_OF_AT_LEAST_8[dist];
            }
            // each 8-byte read lies wholly before the write position: the bytes it reads are final
            for (; i < len; i += WORD) {
                LONGS.set(out, op + i, (long) LONGS.get(out, from + i));
            }
        } else if (dist >= len) {
            System.arraycopy(out, ref, out, op, len);
        } else {
            for (int i = 0; i < len; i++) {
                out[op + i] = out[ref + i];
            }
        }
    }

    private static void checkExpansion(int inLen, int outLen) throws CorruptLzfException {
        // a 3-byte back reference yields at most 264 bytes: no valid input expands more than 88-fold,
        // so reject impossible lengths before allocating them
        if ((long) outLen > (long) inLen * MAX_EXPANSION) {
            throw new CorruptLzfException("LZF data of " + inLen + " bytes cannot decompress to " + outLen + " bytes");
        }
    }

    /**
     * Compresses {@code in} with a single-probe hash table (liblzf's "very fast" flavour).
     * Returns null when the result would not be smaller than the input.
     */
    public static byte[] compress(byte[] in) {
        int n = in.length;
        if (n < 4) {
            return null;
        }
        byte[] out = new byte[n + n / 16 + 64];
        int[] table = new int[1 << 14];
        Arrays.fill(table, -1);
        int ip = 0;
        int op = 1; // reserve a control byte for the first literal run
        int lit = 0;
        int litCtrlPos = 0;
        while (ip < n) {
            if (ip < n - 2) { // a back-reference needs three bytes to hash
                int h = (((in[ip] & 0xFF) << 16) | ((in[ip + 1] & 0xFF) << 8) | (in[ip + 2] & 0xFF));
                int slot = ((h * 0x9E3779B1) >>> 18) & ((1 << 14) - 1);
                int ref = table[slot];
                table[slot] = ip;
                int off = ip - ref - 1;
                if (ref >= 0 && off < 8192 && in[ref] == in[ip] && in[ref + 1] == in[ip + 1]
                        && in[ref + 2] == in[ip + 2]) {
                    int maxLen = Math.min(n - ip, 264);
                    int len = 3;
                    while (len < maxLen && in[ref + len] == in[ip + len]) {
                        len++;
                    }
                    if (op + 3 + 1 >= out.length) {
                        return null;
                    }
                    // close the current literal run
                    if (lit > 0) {
                        out[litCtrlPos] = (byte) (lit - 1);
                    } else {
                        op--; // no literal: drop the reserved control byte
                    }
                    int l = len - 2;
                    if (l < 7) {
                        out[op++] = (byte) ((l << 5) | (off >>> 8));
                    } else {
                        out[op++] = (byte) ((7 << 5) | (off >>> 8));
                        out[op++] = (byte) (l - 7);
                    }
                    out[op++] = (byte) off;
                    ip += len;
                    lit = 0;
                    litCtrlPos = op++;
                    continue;
                }
            }
            // a literal byte; a run holds at most 32
            if (op + 2 >= out.length) {
                return null;
            }
            out[op++] = in[ip++];
            if (++lit == 32) {
                out[litCtrlPos] = (byte) (lit - 1);
                lit = 0;
                litCtrlPos = op++;
            }
        }
        if (lit > 0) {
            out[litCtrlPos] = (byte) (lit - 1);
        } else {
            op--;
        }
        if (op >= n) {
            return null;
        }
        return Arrays.copyOf(out, op);
    }
}
