package io.df2redis.protocol.internal;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.apache.commons.compress.compressors.lz4.XXHash32;

import java.util.Arrays;

/**
 * The two blob compressions of Dragonfly's snapshot serializer (spec §4.5): one LZ4 frame
 * (linked 64 KB blocks, content size in the descriptor) or one ZSTD frame. Decoding uses
 * commons-compress (which, unlike lz4-java's frame stream, supports dependent blocks) and
 * zstd-jni; output is always bounded by a caller-supplied maximum.
 */
public final class BlobCodec {
    private static final int LZ4_MAGIC = 0x184D2204;
    /**
     * Bounds on how much a frame can expand, checked before allocating its declared content
     * size: an LZ4 match grows by at most 255 bytes per input byte; a ZSTD RLE block turns 4
     * bytes into at most 128 KiB.
     */
    private static final long LZ4_MAX_RATIO = 256;
    private static final long ZSTD_MAX_RATIO = 32768;

    private BlobCodec() {
    }

    /** Thrown for corrupt or oversized blobs; the caller adds offset and context. */
    public static final class BadBlobException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean limit;

        BadBlobException(String message, boolean limit, Throwable cause) {
            super(message, cause, false, false);
            this.limit = limit;
        }

        /** Whether the blob was rejected for exceeding the size limit rather than for corruption. */
        public boolean isLimit() {
            return limit;
        }
    }

    /** Content size declared in an LZ4 frame descriptor, or -1 when absent. */
    public static long lz4ContentSize(byte[] frame) throws BadBlobException {
        if (frame.length < 7 || readIntLE(frame, 0) != LZ4_MAGIC) {
            throw new BadBlobException("not an LZ4 frame (bad magic)", false, null);
        }
        int flg = frame[4] & 0xFF;
        if ((flg >>> 6) != 1) {
            throw new BadBlobException("unsupported LZ4 frame version " + (flg >>> 6), false, null);
        }
        if ((flg & 0x08) == 0) {
            return -1;
        }
        if (frame.length < 14) {
            throw new BadBlobException("LZ4 frame descriptor truncated", false, null);
        }
        long size = readLongLE(frame, 6);
        if (size < 0) {
            throw new BadBlobException("LZ4 content size out of range", true, null);
        }
        return size;
    }

    /**
     * Decompresses one LZ4 frame, refusing to produce more than {@code maxOut} bytes. The frame
     * layout (descriptor, block headers, checksums) is walked here and each block decoded in place
     * into the output, so a linked block (as Dragonfly's are, spec §4.5) reads its matches from
     * the output of the blocks before it without any copying.
     */
    public static byte[] decompressLz4(byte[] frame, int maxOut) throws BadBlobException {
        Decompressed d = decompressLz4Into(frame, maxOut);
        return d.length() == d.bytes().length ? d.bytes() : Arrays.copyOf(d.bytes(), d.length());
    }

    /**
     * Decompressed bytes: the first {@code length} bytes of {@code bytes} (spared the copy that would
     * trim the array to its length).
     *
     * @param bytes the array holding them
     * @param length how many there are
     */
    public record Decompressed(byte[] bytes, int length) {
    }

    /**
     * As {@link #decompressLz4}, without trimming the output array.
     *
     * @param frame the LZ4 frame
     * @param maxOut the most bytes it may decompress to
     * @return the bytes and their count
     * @throws BadBlobException as {@link #decompressLz4}
     */
    public static Decompressed decompressLz4Into(byte[] frame, int maxOut) throws BadBlobException {
        return decompressLz4Into(frame, maxOut, null);
    }

    /**
     * As {@link #decompressLz4Into(byte[], int)}, into {@code reuse} when the frame declares its
     * content size and {@code reuse} holds it (the bytes past that size are left as they were);
     * otherwise into a new array. The caller must be done with {@code reuse}'s earlier content.
     *
     * @param frame the LZ4 frame
     * @param maxOut the most bytes it may decompress to
     * @param reuse an array to decompress into, or null
     * @return the bytes (possibly {@code reuse}) and their count
     * @throws BadBlobException as {@link #decompressLz4}
     */
    public static Decompressed decompressLz4Into(byte[] frame, int maxOut, byte[] reuse) throws BadBlobException {
        long declared = lz4ContentSize(frame);
        if (declared > maxOut) {
            throw new BadBlobException("LZ4 blob declares " + declared + " bytes, limit is " + maxOut, true, null);
        }
        if (declared > (long) frame.length * LZ4_MAX_RATIO + 65536) {
            throw new BadBlobException("LZ4 frame of " + frame.length + " bytes cannot hold the " + declared
                    + " bytes it declares", false, null);
        }
        int flg = frame[4] & 0xFF;
        int bd = frame[5] & 0xFF;
        if ((flg & 0x02) != 0 || (bd & 0x8F) != 0) {
            throw new BadBlobException("LZ4 frame descriptor has reserved bits set", false, null);
        }
        boolean linked = (flg & 0x20) == 0;
        boolean blockChecksum = (flg & 0x10) != 0;
        boolean contentChecksum = (flg & 0x04) != 0;
        int maxBlock;
        switch ((bd >> 4) & 7) {
            case 4:
                maxBlock = 64 << 10;
                break;
            case 5:
                maxBlock = 256 << 10;
                break;
            case 6:
                maxBlock = 1 << 20;
                break;
            case 7:
                maxBlock = 4 << 20;
                break;
            default:
                throw new BadBlobException("LZ4 frame with invalid block size code " + ((bd >> 4) & 7), false, null);
        }
        int pos = 6 + ((flg & 0x08) != 0 ? 8 : 0) + ((flg & 0x01) != 0 ? 4 : 0);
        if (pos >= frame.length) {
            throw new BadBlobException("LZ4 frame descriptor truncated", false, null);
        }
        XXHash32 hc = new XXHash32();
        hc.update(frame, 4, pos - 4);
        if (((hc.getValue() >> 8) & 0xFF) != (frame[pos] & 0xFF)) {
            throw new BadBlobException("LZ4 frame descriptor checksum mismatch", false, null);
        }
        pos++;
        byte[] out = declared >= 0 && reuse != null && reuse.length >= declared ? reuse
                : new byte[declared >= 0 ? (int) declared : Math.min(maxOut, 64 * 1024)];
        // the output's bound: the declared size exactly (more is an error, room() says so), else the array
        int cap = declared >= 0 ? (int) declared : out.length;
        int n = 0;
        while (true) {
            if (pos + 4 > frame.length) {
                throw new BadBlobException("LZ4 frame truncated before its end mark", false, null);
            }
            int header = readIntLE(frame, pos);
            pos += 4;
            if (header == 0) {
                break;
            }
            boolean stored = (header & 0x80000000) != 0;
            int len = header & 0x7FFFFFFF;
            if (len > maxBlock || len > frame.length - pos) {
                throw new BadBlobException("LZ4 block of " + len + " bytes exceeds the block size or the frame", false,
                        null);
            }
            // a declared content size sized the output exactly (more is an error, room() says so);
            // without one, grow ahead of the block
            if (declared < 0 && n + (long) maxBlock > out.length && out.length < maxOut) {
                out = Arrays.copyOf(out, (int) Math.min(maxOut, Math.max((long) out.length * 2, n + (long) maxBlock)));
                cap = out.length;
            }
            if (stored) {
                if (n + len > cap) {
                    throw tooBig(maxOut, declared);
                }
                System.arraycopy(frame, pos, out, n, len);
                n += len;
            } else {
                n = decodeBlock(frame, pos, len, out, cap, n, linked, maxBlock, maxOut, declared);
            }
            pos += len + (blockChecksum ? 4 : 0);
        }
        pos += contentChecksum ? 4 : 0;
        if (pos != frame.length) {
            throw new BadBlobException("LZ4 frame has " + (frame.length - pos) + " bytes after its end", false, null);
        }
        if (declared >= 0 && n != declared) {
            throw new BadBlobException("LZ4 blob decompressed to " + n + " bytes, declared " + declared, false, null);
        }
        return new Decompressed(out, n);
    }

    /**
     * Decodes one LZ4 block (token, literals, 2-byte offset, match) into {@code out} at {@code n}.
     * Matches may reach back into earlier blocks' output when the frame links its blocks (at most
     * 64 KiB, the offset's range), never before the block's start otherwise. Every length and
     * offset is checked before it is used.
     */
    private static int decodeBlock(byte[] src, int pos, int len, byte[] out, int cap, int n, boolean linked,
                                   int maxBlock, int maxOut, long declared) throws BadBlobException {
        int end = pos + len;
        int start = n;
        int low = linked ? 0 : start;
        long blockLimit = (long) start + maxBlock;
        while (true) {
            if (pos >= end) {
                throw corruptLz4("block ends before its last literals");
            }
            int token = src[pos++] & 0xFF;
            int lit = token >>> 4;
            if (lit == 15) {
                int e = lengthEnd(src, pos, end, "literal");
                lit += extension(src, pos, e);
                pos = e;
            }
            if (lit > end - pos) {
                throw corruptLz4("literals run past the block");
            }
            room(n, lit, cap, blockLimit, maxBlock, maxOut, declared);
            System.arraycopy(src, pos, out, n, lit);
            pos += lit;
            n += lit;
            if (pos == end) {
                return n; // the last sequence: literals only
            }
            if (end - pos < 2) {
                throw corruptLz4("match offset truncated");
            }
            int off = (src[pos] & 0xFF) | (src[pos + 1] & 0xFF) << 8;
            pos += 2;
            if (off == 0 || n - off < low) {
                throw corruptLz4("match offset " + off + " points before the available output");
            }
            int ml = token & 15;
            if (ml == 15) {
                int e = lengthEnd(src, pos, end, "match");
                ml += extension(src, pos, e);
                pos = e;
            }
            ml += 4;
            room(n, ml, cap, blockLimit, maxBlock, maxOut, declared);
            int from = n - off;
            if (off >= ml) {
                System.arraycopy(out, from, out, n, ml);
            } else {
                for (int i = 0; i < ml; i++) {
                    out[n + i] = out[from + i]; // overlapping copy repeats the last off bytes
                }
            }
            n += ml;
            if (pos == end) {
                return n; // tolerated: a block that ends on a match
            }
        }
    }

    /**
     * The end of the LZ4 length extension at {@code pos}: bytes of 255 up to and including the
     * first byte below 255, which must lie before {@code end}.
     */
    private static int lengthEnd(byte[] src, int pos, int end, String what) throws BadBlobException {
        int b;
        do {
            if (pos >= end) {
                throw corruptLz4(what + " length runs past the block");
            }
            b = src[pos++] & 0xFF;
        } while (b == 255);
        return pos;
    }

    /** What the extension {@code src[from, to)} adds to a length: the sum of its bytes (255 each but the last). */
    private static int extension(byte[] src, int from, int to) {
        return 255 * (to - from - 1) + (src[to - 1] & 0xFF);
    }

    private static void room(int n, int add, int cap, long blockLimit, int maxBlock, int maxOut, long declared)
            throws BadBlobException {
        if (n + (long) add > blockLimit) {
            throw new BadBlobException("LZ4 block decompresses beyond the frame's block size " + maxBlock, false, null);
        }
        if (n + (long) add > cap) {
            throw tooBig(maxOut, declared);
        }
    }

    private static BadBlobException corruptLz4(String what) {
        return new BadBlobException("corrupt LZ4 block: " + what, false, null);
    }

    private static BadBlobException tooBig(int maxOut, long declared) {
        return declared >= 0
                ? new BadBlobException("LZ4 blob longer than its declared content size " + declared, false, null)
                : new BadBlobException("LZ4 blob decompresses to more than " + maxOut + " bytes", true, null);
    }

    /** Decompresses one ZSTD frame (its header must carry the content size, as Dragonfly's do). */
    public static byte[] decompressZstd(byte[] frame, int maxOut) throws BadBlobException {
        long size;
        try {
            size = Zstd.getFrameContentSize(frame);
        } catch (RuntimeException e) {
            throw new BadBlobException("corrupt ZSTD frame header: " + e.getMessage(), false, e);
        }
        if (size < 0) {
            throw new BadBlobException("ZSTD frame without a valid content size (code " + size + ")", false, null);
        }
        if (size > maxOut) {
            throw new BadBlobException("ZSTD blob declares " + size + " bytes, limit is " + maxOut, true, null);
        }
        if (size > (long) frame.length * ZSTD_MAX_RATIO + 131072) {
            throw new BadBlobException("ZSTD frame of " + frame.length + " bytes cannot hold the " + size
                    + " bytes it declares", false, null);
        }
        try {
            byte[] out = new byte[(int) size];
            long n = Zstd.decompressByteArray(out, 0, out.length, frame, 0, frame.length);
            if (n != size) {
                throw new BadBlobException("ZSTD blob decompressed to " + n + " bytes, declared " + size, false, null);
            }
            return out;
        } catch (ZstdException e) {
            throw new BadBlobException("corrupt ZSTD frame: " + e.getMessage(), false, e);
        } catch (RuntimeException e) {
            throw new BadBlobException("corrupt ZSTD frame: " + e, false, e);
        }
    }

    /**
     * Compresses {@code data} into one LZ4 frame in Dragonfly's format: FLG 0x48 (linked-block
     * frame, content size present, no checksums), BD 0x40 (64 KB blocks). Blocks are compressed
     * with lz4-java (each without reference to the previous one, which a linked-block frame
     * allows); a block that does not shrink is stored raw.
     */
    public static byte[] compressLz4(byte[] data) {
        LZ4Compressor c = LZ4Factory.fastestInstance().fastCompressor();
        int blocks = (data.length + 65535) / 65536;
        byte[] out = new byte[15 + blocks * (4 + c.maxCompressedLength(65536)) + 4];
        writeIntLE(out, 0, LZ4_MAGIC);
        out[4] = 0x48;
        out[5] = 0x40;
        for (int i = 0; i < 8; i++) {
            out[6 + i] = (byte) ((long) data.length >>> (8 * i));
        }
        XXHash32 hash = new XXHash32();
        hash.update(out, 4, 10);
        out[14] = (byte) ((hash.getValue() >> 8) & 0xFF);
        int pos = 15;
        for (int off = 0; off < data.length; off += 65536) {
            int len = Math.min(65536, data.length - off);
            int clen = c.compress(data, off, len, out, pos + 4, out.length - pos - 4);
            if (clen >= len) {
                writeIntLE(out, pos, len | 0x80000000);
                System.arraycopy(data, off, out, pos + 4, len);
                pos += 4 + len;
            } else {
                writeIntLE(out, pos, clen);
                pos += 4 + clen;
            }
        }
        writeIntLE(out, pos, 0);
        return Arrays.copyOf(out, pos + 4);
    }

    private static void writeIntLE(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    /** Compresses {@code data} into one ZSTD frame with the content size in its header. */
    public static byte[] compressZstd(byte[] data, int level) {
        return Zstd.compress(data, level);
    }

    private static int readIntLE(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    private static long readLongLE(byte[] b, int off) {
        return (readIntLE(b, off) & 0xFFFFFFFFL) | ((long) readIntLE(b, off + 4) << 32);
    }
}
