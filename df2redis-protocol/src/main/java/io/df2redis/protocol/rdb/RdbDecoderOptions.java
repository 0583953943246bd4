package io.df2redis.protocol.rdb;

/**
 * Immutable settings of an {@link RdbDecoder}: how values are batched and the safety limits
 * that bound memory whatever the input declares. Create with {@link #builder()}; derive with
 * {@link #toBuilder()}.
 */
public final class RdbDecoderOptions {
    private static final RdbDecoderOptions DEFAULTS = builder().build();

    private final int batchMaxElements;
    private final int batchMaxBytes;
    private final int stringChunkBytes;
    private final int maxElementBytes;
    private final int maxBlobBytes;
    private final boolean verifyChecksum;

    private RdbDecoderOptions(Builder b) {
        this.batchMaxElements = b.batchMaxElements;
        this.batchMaxBytes = b.batchMaxBytes;
        this.stringChunkBytes = b.stringChunkBytes;
        this.maxElementBytes = b.maxElementBytes;
        this.maxBlobBytes = b.maxBlobBytes;
        this.verifyChecksum = b.verifyChecksum;
    }

    /** The default options. */
    public static RdbDecoderOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to derive changed options from. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.batchMaxElements = batchMaxElements;
        b.batchMaxBytes = batchMaxBytes;
        b.stringChunkBytes = stringChunkBytes;
        b.maxElementBytes = maxElementBytes;
        b.maxBlobBytes = maxBlobBytes;
        b.verifyChecksum = verifyChecksum;
        return b;
    }

    /** Most elements in one {@link ValueBatch} (default 1000). */
    public int batchMaxElements() {
        return batchMaxElements;
    }

    /** A batch is emitted once its elements reach this many bytes (default 1 MiB). */
    public int batchMaxBytes() {
        return batchMaxBytes;
    }

    /** Strings longer than this arrive as several {@link ValueBatch.StringChunk}s of this size (default 1 MiB). */
    public int stringChunkBytes() {
        return stringChunkBytes;
    }

    /**
     * Largest single element the decoder buffers whole: a container member, an encoded
     * listpack/ziplist/intset, an LZF string, a journal blob (default 512 MiB).
     */
    public int maxElementBytes() {
        return maxElementBytes;
    }

    /** Largest compressed blob or tagged chunk, compressed or decompressed (default 256 MiB). */
    public int maxBlobBytes() {
        return maxBlobBytes;
    }

    /** Whether a non-zero CRC64 after EOF is verified (default true). */
    public boolean verifyChecksum() {
        return verifyChecksum;
    }

    /** Builder of {@link RdbDecoderOptions}. */
    public static final class Builder {
        private int batchMaxElements = 1000;
        private int batchMaxBytes = 1 << 20;
        private int stringChunkBytes = 1 << 20;
        private int maxElementBytes = 512 << 20;
        private int maxBlobBytes = 256 << 20;
        private boolean verifyChecksum = true;

        private Builder() {
        }

        /** See {@link RdbDecoderOptions#batchMaxElements()}. */
        public Builder batchMaxElements(int n) {
            this.batchMaxElements = positive(n, "batchMaxElements");
            return this;
        }

        /** See {@link RdbDecoderOptions#batchMaxBytes()}. */
        public Builder batchMaxBytes(int n) {
            this.batchMaxBytes = positive(n, "batchMaxBytes");
            return this;
        }

        /** See {@link RdbDecoderOptions#stringChunkBytes()}. */
        public Builder stringChunkBytes(int n) {
            this.stringChunkBytes = positive(n, "stringChunkBytes");
            return this;
        }

        /** See {@link RdbDecoderOptions#maxElementBytes()}. */
        public Builder maxElementBytes(int n) {
            this.maxElementBytes = positive(n, "maxElementBytes");
            return this;
        }

        /** See {@link RdbDecoderOptions#maxBlobBytes()}. */
        public Builder maxBlobBytes(int n) {
            this.maxBlobBytes = positive(n, "maxBlobBytes");
            return this;
        }

        /** See {@link RdbDecoderOptions#verifyChecksum()}. */
        public Builder verifyChecksum(boolean v) {
            this.verifyChecksum = v;
            return this;
        }

        /** The options. */
        public RdbDecoderOptions build() {
            return new RdbDecoderOptions(this);
        }

        private static int positive(int n, String name) {
            if (n <= 0) {
                throw new IllegalArgumentException(name + " must be positive: " + n);
            }
            return n;
        }
    }
}
