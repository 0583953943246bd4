package io.df2redis.protocol.internal;

import java.util.Arrays;

/**
 * LZF in liblzf's raw block format (no header), as used by RDB strings: decompression with
 * strict bounds checks, and a simple hash-table compressor for the encoders.
 */
public final class Lzf {
    /** Largest ratio of decompressed to compressed size liblzf's format allows (264 bytes from 3). */
    public static final int MAX_EXPANSION = 88;

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
        // a 3-byte back reference yields at most 264 bytes: no valid input expands more than 88-fold,
        // so reject impossible lengths before allocating them
        if ((long) outLen > (long) inLen * MAX_EXPANSION) {
            throw new CorruptLzfException("LZF data of " + inLen + " bytes cannot decompress to " + outLen + " bytes");
        }
        byte[] out = new byte[outLen];
        int ip = inOff;
        int inEnd = inOff + inLen;
        int op = 0;
        while (ip < inEnd) {
            int ctrl = in[ip++] & 0xFF;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (op + run > outLen) {
                    throw new CorruptLzfException("LZF literal run overflows the declared length " + outLen);
                }
                if (ip + run > inEnd) {
                    throw new CorruptLzfException("LZF literal run past the end of the compressed data");
                }
                System.arraycopy(in, ip, out, op, run);
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
                int ref = op - ((ctrl & 0x1F) << 8) - 1 - (in[ip++] & 0xFF);
                len += 2;
                if (ref < 0) {
                    throw new CorruptLzfException("LZF back reference before the start of the output");
                }
                if (op + len > outLen) {
                    throw new CorruptLzfException("LZF back reference overflows the declared length " + outLen);
                }
                for (int i = 0; i < len; i++) {
                    out[op++] = out[ref++];
                }
            }
        }
        if (op != outLen) {
            throw new CorruptLzfException("LZF data decompressed to " + op + " bytes, declared " + outLen);
        }
        return out;
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
