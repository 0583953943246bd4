package io.df2redis.protocol.rdb;

/**
 * The byte values of the RDB format that are not value types, in one place: the top-level
 * record opcodes of Redis RDB files and Dragonfly replication flows (spec §4.2), the
 * special-encoding prefixes of RDB strings (spec §2.3) and the opcodes of a module value's field
 * stream (Redis' module API). {@link RdbDecoder} and {@link RdbEncoder} both use this table; a
 * value-type byte is an {@link RdbType#code()} instead.
 *
 * <p>Constants only; {@link #name(int)} names a record opcode for diagnostics.
 */
public final class RdbOpcodes {
    // ------------------------------------------------------------------ Dragonfly record opcodes

    /** FULLSYNC_END (200): the flow's snapshot is complete; 8 padding bytes follow. */
    public static final int FULLSYNC_END = 0xC8;
    /** COMPRESSED_ZSTD_BLOB_START (201): a ZSTD-compressed run of records. */
    public static final int ZSTD_BLOB = 0xC9;
    /** COMPRESSED_LZ4_BLOB_START (202): an LZ4-compressed run of records. */
    public static final int LZ4_BLOB = 0xCA;
    /** COMPRESSED_BLOB_END (203): defined by Dragonfly but never sent on the wire. */
    public static final int BLOB_END = 0xCB;
    /** JOURNAL_BLOB (210): journal entries written during the full sync. */
    public static final int JOURNAL_BLOB = 0xD2;
    /** JOURNAL_OFFSET (211): the LSN the journal continues from; 8 bytes LE. */
    public static final int JOURNAL_OFFSET = 0xD3;
    /** DF_MASK (220): flags of the next entry (and memcached flags when present). */
    public static final int DF_MASK = 0xDC;
    /** VECTOR_INDEX (222): an HNSW vector index graph (skipped by the decoder). */
    public static final int VECTOR_INDEX = 0xDE;
    /** SHARD_DOC_INDEX (223): a search index's key-to-document mapping (skipped by the decoder). */
    public static final int SHARD_DOC_INDEX = 0xDF;
    /** TAGGED_CHUNK (224): one chunk of an entry interleaved with other entries' chunks. */
    public static final int TAGGED_CHUNK = 0xE0;

    // ------------------------------------------------------------------ Redis record opcodes

    /** SLOT_INFO (244): cluster slot sizes. */
    public static final int SLOT_INFO = 0xF4;
    /** FUNCTION2 (245): a function library's code. */
    public static final int FUNCTION2 = 0xF5;
    /** FUNCTION_PRE_GA (246): Redis 7.0 RC function format (not supported). */
    public static final int FUNCTION_PRE_GA = 0xF6;
    /** MODULE_AUX (247): module auxiliary data. */
    public static final int MODULE_AUX = 0xF7;
    /** IDLE (248): LRU idle time of the next entry. */
    public static final int IDLE = 0xF8;
    /** FREQ (249): LFU frequency of the next entry. */
    public static final int FREQ = 0xF9;
    /** AUX (250): a key/value pair of metadata. */
    public static final int AUX = 0xFA;
    /** RESIZEDB (251): database size hints. */
    public static final int RESIZEDB = 0xFB;
    /** EXPIRETIME_MS (252): absolute expiry of the next entry in Unix ms, 8 bytes LE. */
    public static final int EXPIRETIME_MS = 0xFC;
    /** EXPIRETIME (253): absolute expiry of the next entry in Unix seconds, 4 bytes LE. */
    public static final int EXPIRETIME = 0xFD;
    /** SELECTDB (254): the database of the following entries. */
    public static final int SELECTDB = 0xFE;
    /** EOF (255): end of the RDB part; a CRC-64 follows from RDB version 5. */
    public static final int EOF = 0xFF;

    // ------------------------------------------------------------------ RDB string encodings

    /** String prefix (0xC0): an int8 follows. */
    public static final int STRING_INT8 = 0xC0;
    /** String prefix (0xC1): an int16 LE follows. */
    public static final int STRING_INT16 = 0xC1;
    /** String prefix (0xC2): an int32 LE follows. */
    public static final int STRING_INT32 = 0xC2;
    /** String prefix (0xC3): compressed length, uncompressed length and LZF data follow. */
    public static final int STRING_LZF = 0xC3;
    /** Length prefix (0x80): a 32-bit big-endian length follows. */
    public static final int LENGTH_32 = 0x80;
    /** Length prefix (0x81): a 64-bit big-endian length follows. */
    public static final int LENGTH_64 = 0x81;

    // ------------------------------------------------------------------ module value fields

    /** Module field opcode 0: end of the module value. */
    public static final int MODULE_EOF = 0;
    /** Module field opcode 1: a signed integer, written as an unsigned 64-bit length. */
    public static final int MODULE_SINT = 1;
    /** Module field opcode 2: an unsigned integer (RDB length). */
    public static final int MODULE_UINT = 2;
    /** Module field opcode 3: a 4-byte float. */
    public static final int MODULE_FLOAT = 3;
    /** Module field opcode 4: an 8-byte double. */
    public static final int MODULE_DOUBLE = 4;
    /** Module field opcode 5: an RDB string. */
    public static final int MODULE_STRING = 5;

    /** Length of the eof token that follows a replication flow's EOF and checksum. */
    public static final int EOF_TOKEN_LENGTH = 40;

    /**
     * Unix seconds of the base of Dragonfly's member/field expiries (2023-02-01T00:00:00Z): a
     * set member's or hash field's expiry is stored as seconds since this instant.
     */
    public static final long MEMBER_EXPIRY_BASE = 1675209600L;

    private RdbOpcodes() {
    }

    /**
     * The name of a record opcode, e.g. {@code "AUX"} for 0xFA, as used in the spec and in
     * decoder errors.
     *
     * @param opcode the byte value (0–255)
     * @return the name, or {@code null} when {@code opcode} is not a record opcode (it may be a
     *     value type or unknown)
     */
    public static String name(int opcode) {
        switch (opcode) {
            case FULLSYNC_END: return "FULLSYNC_END";
            case ZSTD_BLOB: return "COMPRESSED_ZSTD_BLOB_START";
            case LZ4_BLOB: return "COMPRESSED_LZ4_BLOB_START";
            case BLOB_END: return "COMPRESSED_BLOB_END";
            case JOURNAL_BLOB: return "JOURNAL_BLOB";
            case JOURNAL_OFFSET: return "JOURNAL_OFFSET";
            case DF_MASK: return "DF_MASK";
            case VECTOR_INDEX: return "VECTOR_INDEX";
            case SHARD_DOC_INDEX: return "SHARD_DOC_INDEX";
            case TAGGED_CHUNK: return "TAGGED_CHUNK";
            case SLOT_INFO: return "SLOT_INFO";
            case FUNCTION2: return "FUNCTION2";
            case FUNCTION_PRE_GA: return "FUNCTION_PRE_GA";
            case MODULE_AUX: return "MODULE_AUX";
            case IDLE: return "IDLE";
            case FREQ: return "FREQ";
            case AUX: return "AUX";
            case RESIZEDB: return "RESIZEDB";
            case EXPIRETIME_MS: return "EXPIRETIME_MS";
            case EXPIRETIME: return "EXPIRETIME";
            case SELECTDB: return "SELECTDB";
            case EOF: return "EOF";
            default: return null;
        }
    }
}
