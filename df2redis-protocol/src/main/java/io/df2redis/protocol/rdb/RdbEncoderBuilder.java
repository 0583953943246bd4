package io.df2redis.protocol.rdb;

/**
 * Builder of {@link RdbEncoder} ({@link RdbEncoder#builder()}, {@link RdbEncoder#toBuilder()}), in the
 * style of Netty's {@code SslContextBuilder}: every setter validates its value and throws
 * {@link IllegalArgumentException} on a bad one; the call order does not matter. Not thread-safe.
 */
public final class RdbEncoderBuilder {
    int rdbVersion = 9;
    boolean lzfStrings;
    boolean lzfListNodes;
    int listNodeMaxElements = 128;
    int listNodeMaxBytes = 8 * 1024;
    int listPlainThreshold = 16 * 1024;
    int streamNodeMaxEntries = 100;
    int streamNodeMaxBytes = 4096;
    int filterChunkBytes = 64 << 20;
    int intsetMinWidth = 2;
    int zipmapFreeBytes;
    int zstdLevel = 2;

    RdbEncoderBuilder() {
    }

    /** RDB version of the magic (1–12; default 9 as Dragonfly); versions below 5 have no checksum. */
    public RdbEncoderBuilder rdbVersion(int v) {
        if (v < 1 || v > 9999) {
            throw new IllegalArgumentException("RDB version out of range: " + v);
        }
        this.rdbVersion = v;
        return this;
    }

    /** LZF for RDB strings as with Dragonfly's {@code --compression_mode=1} (default off). */
    public RdbEncoderBuilder lzfStrings(boolean on) {
        this.lzfStrings = on;
        return this;
    }

    /** Write list nodes LZF-compressed (as Dragonfly does for nodes compressed in memory; default off). */
    public RdbEncoderBuilder lzfListNodes(boolean on) {
        this.lzfListNodes = on;
        return this;
    }

    /** Most elements in one quicklist node (default 128). */
    public RdbEncoderBuilder listNodeMaxElements(int n) {
        this.listNodeMaxElements = positive(n, "listNodeMaxElements");
        return this;
    }

    /** A quicklist node is closed before its element bytes would exceed this (default 8 KiB). */
    public RdbEncoderBuilder listNodeMaxBytes(int n) {
        this.listNodeMaxBytes = positive(n, "listNodeMaxBytes");
        return this;
    }

    /** LIST_QUICKLIST_2 elements of at least this many bytes become PLAIN nodes (default 16 KiB). */
    public RdbEncoderBuilder listPlainThreshold(int n) {
        this.listPlainThreshold = positive(n, "listPlainThreshold");
        return this;
    }

    /** Most entries in one stream node (default 100, Redis' stream-node-max-entries). */
    public RdbEncoderBuilder streamNodeMaxEntries(int n) {
        this.streamNodeMaxEntries = positive(n, "streamNodeMaxEntries");
        return this;
    }

    /** A stream node is closed once its entries reach about this many bytes (default 4096). */
    public RdbEncoderBuilder streamNodeMaxBytes(int n) {
        this.streamNodeMaxBytes = positive(n, "streamNodeMaxBytes");
        return this;
    }

    /** Chunk size of SBF2 and Cuckoo filter bytes (default 64 MiB, as Dragonfly). */
    public RdbEncoderBuilder filterChunkBytes(int n) {
        this.filterChunkBytes = positive(n, "filterChunkBytes");
        return this;
    }

    /** Smallest intset width in bytes: 2 (default), 4 or 8; wider values widen it anyway. */
    public RdbEncoderBuilder intsetMinWidth(int w) {
        if (w != 2 && w != 4 && w != 8) {
            throw new IllegalArgumentException("intset width must be 2, 4 or 8: " + w);
        }
        this.intsetMinWidth = w;
        return this;
    }

    /** Unused bytes after each zipmap value (0–255, default 0). */
    public RdbEncoderBuilder zipmapFreeBytes(int n) {
        if (n < 0 || n > 255) {
            throw new IllegalArgumentException("zipmap free bytes must be 0..255: " + n);
        }
        this.zipmapFreeBytes = n;
        return this;
    }

    /** ZSTD level of compressed blobs (default 2, as Dragonfly). */
    public RdbEncoderBuilder zstdLevel(int level) {
        this.zstdLevel = level;
        return this;
    }

    /** The encoder. */
    public RdbEncoder build() {
        return new RdbEncoder(this);
    }

    private static int positive(int n, String name) {
        if (n <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + n);
        }
        return n;
    }
}
