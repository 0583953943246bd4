package io.df2redis.testkit;

/** The master's {@code --compression_mode} (protocol spec §4.5, §7.3). */
public enum CompressionMode {
    /** Mode 0: nothing compressed. */
    NONE,
    /** Mode 1 (SINGLE_ENTRY): RDB strings over 20 bytes LZF-encoded when that pays; no blob compression. */
    LZF,
    /** Mode 2: flushes of 256 B..1 MiB that shrink to at most 95 % are sent as ZSTD blobs (0xC9). */
    ZSTD,
    /** Mode 3 (Dragonfly's default): as {@link #ZSTD} with LZ4 frames (0xCA). */
    LZ4
}
