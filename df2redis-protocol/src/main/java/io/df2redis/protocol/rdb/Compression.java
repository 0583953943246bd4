package io.df2redis.protocol.rdb;

/** Compression of a Dragonfly blob record (spec §4.5). */
public enum Compression {
    /** COMPRESSED_ZSTD_BLOB_START (0xC9): one ZSTD frame. */
    ZSTD,
    /** COMPRESSED_LZ4_BLOB_START (0xCA): one LZ4 frame with linked blocks. */
    LZ4
}
