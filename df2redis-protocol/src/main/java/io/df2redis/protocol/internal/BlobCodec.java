package io.df2redis.protocol.internal;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.XXHash32;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The two blob compressions of Dragonfly's snapshot serializer (spec §4.5): one LZ4 frame
 * (linked 64 KB blocks, content size in the descriptor) or one ZSTD frame. Decoding uses
 * commons-compress (which, unlike lz4-java's frame stream, supports dependent blocks) and
 * zstd-jni; output is always bounded by a caller-supplied maximum.
 */
public final class BlobCodec {
    private static final int LZ4_MAGIC = 0x184D2204;

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

    /** Decompresses one LZ4 frame, refusing to produce more than {@code maxOut} bytes. */
    public static byte[] decompressLz4(byte[] frame, int maxOut) throws BadBlobException {
        long declared = lz4ContentSize(frame);
        if (declared > maxOut) {
            throw new BadBlobException("LZ4 blob declares " + declared + " bytes, limit is " + maxOut, true, null);
        }
        try (InputStream in = new FramedLZ4CompressorInputStream(new ByteArrayInputStream(frame), false)) {
            byte[] out = new byte[declared >= 0 ? (int) declared : Math.min(maxOut, 64 * 1024)];
            int n = 0;
            while (true) {
                if (n == out.length) {
                    if (declared >= 0) {
                        if (in.read() != -1) {
                            throw new BadBlobException("LZ4 blob longer than its declared content size " + declared,
                                    false, null);
                        }
                        break;
                    }
                    if (out.length >= maxOut) {
                        if (in.read() != -1) {
                            throw new BadBlobException("LZ4 blob decompresses to more than " + maxOut + " bytes",
                                    true, null);
                        }
                        break;
                    }
                    out = Arrays.copyOf(out, (int) Math.min(maxOut, (long) out.length * 2));
                }
                int r = in.read(out, n, out.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            if (declared >= 0 && n != declared) {
                throw new BadBlobException("LZ4 blob decompressed to " + n + " bytes, declared " + declared, false,
                        null);
            }
            return n == out.length ? out : Arrays.copyOf(out, n);
        } catch (BadBlobException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadBlobException("corrupt LZ4 frame: " + e.getMessage(), false, e);
        }
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
     * Compresses {@code data} into one LZ4 frame exactly like Dragonfly: linked 64 KB blocks, no
     * checksums, the content size in the descriptor (FLG 0x48, BD 0x40).
     */
    public static byte[] compressLz4(byte[] data) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(data.length / 2 + 64);
        try (FramedLZ4CompressorOutputStream out = new FramedLZ4CompressorOutputStream(bos,
                new FramedLZ4CompressorOutputStream.Parameters(FramedLZ4CompressorOutputStream.BlockSize.K64,
                        false, false, true))) {
            out.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] plain = bos.toByteArray();
        // plain = magic(4) FLG BD HC blocks...; insert the content size and recompute HC.
        byte[] framed = new byte[plain.length + 8];
        System.arraycopy(plain, 0, framed, 0, 4);
        framed[4] = (byte) (plain[4] | 0x08);
        framed[5] = plain[5];
        for (int i = 0; i < 8; i++) {
            framed[6 + i] = (byte) ((long) data.length >>> (8 * i));
        }
        XXHash32 hash = new XXHash32();
        hash.update(framed, 4, 10);
        framed[14] = (byte) ((hash.getValue() >> 8) & 0xFF);
        System.arraycopy(plain, 7, framed, 15, plain.length - 7);
        return framed;
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
