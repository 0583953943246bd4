package io.df2redis.protocol.rdb;

import io.df2redis.protocol.journal.JournalHandler;

/**
 * Receives what an {@link RdbDecoder} reads, in stream order. Every method has an empty
 * default: implement only what you need. Objects passed in are not reused by the decoder and
 * may be kept.
 *
 * <p>Entries: {@link #onEntryStart}, zero or more {@link #onValueBatch}, {@link #onEntryEnd}.
 * Entries sent as TAGGED_CHUNKs (Dragonfly v1.39+) may interleave with other records; the
 * {@link RdbEntry} passed to the batches tells which entry they belong to, and each entry's
 * batches keep their order.
 *
 * <p>Callbacks run on the thread that feeds the decoder ({@link RdbDecoder#decode},
 * {@link RdbDecoder#feed}). A runtime exception a callback throws reaches that caller as it was
 * thrown, not as a protocol error, and the decoder takes no more input.
 */
public interface RdbHandler extends JournalHandler {

    /**
     * The magic: {@code REDIS} followed by the 4-digit RDB version.
     *
     * @param rdbVersion the version (Dragonfly writes 9)
     */
    default void onHeader(int rdbVersion) {
    }

    /**
     * An AUX field (e.g. {@code redis-ver}, {@code lua}). Int-encoded values arrive as decimal text.
     *
     * @param key the field's name
     * @param value its value
     */
    default void onAux(byte[] key, byte[] value) {
    }

    /**
     * A SELECTDB record: the entries that follow belong to database {@code db} (Dragonfly repeats
     * it often, also for the db already selected).
     *
     * @param db the database index
     */
    default void onSelectDb(int db) {
    }

    /**
     * A RESIZEDB record: the sizes the writer announced for the current database (Redis writes
     * them, Dragonfly does not); a hint for pre-sizing, not a promise.
     *
     * @param dbSize keys in the database
     * @param expiresSize keys of it with an expiry
     */
    default void onResizeDb(long dbSize, long expiresSize) {
    }

    /**
     * A SLOT_INFO record of a Redis cluster RDB.
     *
     * @param slot the hash slot
     * @param slotSize keys in the slot
     * @param expiresSlotSize keys of it with an expiry
     */
    default void onSlotInfo(long slot, long slotSize, long expiresSlotSize) {
    }

    /**
     * A FUNCTION2 record: the library code.
     *
     * @param code the library's source, as {@code FUNCTION LOAD} takes it
     */
    default void onFunction(byte[] code) {
    }

    /**
     * A MODULE_AUX record (skipped, reported opaque).
     *
     * @param moduleId the 64-bit module id
     * @param moduleName the 9-character module name the id encodes
     * @param whenOpcode the opcode of the "when" field
     * @param when whether the module's aux data was written before or after the keyspace
     */
    default void onModuleAux(long moduleId, String moduleName, int whenOpcode, long when) {
    }

    /**
     * An entry starts: its key, type, expiry and flags are known, its value follows as
     * {@link #onValueBatch} calls.
     *
     * @param entry the entry's header; the same object is passed to its batches and its end
     */
    default void onEntryStart(RdbEntry entry) {
    }

    /**
     * The next elements of an entry's value (a string's bytes, list elements, hash fields…), in
     * the order the writer stored them.
     *
     * @param entry the entry they belong to, as passed to {@link #onEntryStart}
     * @param batch the elements
     */
    default void onValueBatch(RdbEntry entry, ValueBatch batch) {
    }

    /**
     * An entry's value is complete.
     *
     * @param entry the entry, as passed to {@link #onEntryStart}
     * @param summary what the decoder saw of its encoding (element counts, nodes, chunks)
     */
    default void onEntryEnd(RdbEntry entry, EntrySummary summary) {
    }

    /** Dragonfly FULLSYNC_END: the static snapshot of this flow is complete. */
    default void onFullSyncEnd() {
    }

    /**
     * FULLSYNC_END with the observation whether its 8 padding bytes were zero (they always are
     * on the wire; the decoder ignores them either way). Defaults to {@link #onFullSyncEnd()}.
     *
     * @param paddingZero whether the 8 bytes after the opcode were all zero
     */
    default void onFullSyncEnd(boolean paddingZero) {
        onFullSyncEnd();
    }

    /**
     * Dragonfly JOURNAL_OFFSET: the next LSN of this flow's journal.
     *
     * @param nextLsn the LSN the flow's first journal entry after the snapshot will have
     */
    default void onJournalOffset(long nextLsn) {
    }

    /**
     * A compressed blob starts; the records inside follow, with blob-relative offsets.
     *
     * @param compression ZSTD or LZ4
     * @param compressedLength the blob's bytes on the wire
     * @param uncompressedLength the bytes it decompresses to
     */
    default void onCompressedBlobStart(Compression compression, int compressedLength, int uncompressedLength) {
    }

    /**
     * The records of a compressed blob have all been delivered.
     *
     * @param compression the blob's compression, as at its start
     */
    default void onCompressedBlobEnd(Compression compression) {
    }

    /**
     * A JOURNAL_BLOB record with {@code count} journal items; the entries follow via {@link #onJournalEntry}.
     *
     * @param count the journal items the blob holds
     */
    default void onJournalBlobStart(long count) {
    }

    /** The journal entries of a JOURNAL_BLOB record have all been delivered. */
    default void onJournalBlobEnd() {
    }

    /**
     * A TAGGED_CHUNK record (spec §4.4) starts; its payload's events follow.
     *
     * @param id the tagged stream the chunk continues (one per big entry being written)
     * @param length the chunk's payload bytes
     * @param first whether this chunk opened the entry
     */
    default void onTaggedChunkStart(int id, int length, boolean first) {
    }

    /**
     * The TAGGED_CHUNK's payload was consumed.
     *
     * @param id the tagged stream, as at the chunk's start
     * @param entry the entry this chunk belongs to (null if the payload did not even hold the header)
     * @param completesEntry whether the entry's value ended inside this chunk
     */
    default void onTaggedChunkEnd(int id, RdbEntry entry, boolean completesEntry) {
    }

    /**
     * The EOF opcode and its checksum (0 when not computed).
     *
     * @param checksum the CRC-64 the writer appended; Dragonfly's flows send 0
     */
    default void onEof(long checksum) {
    }

    /**
     * Replication flows only: the 40-byte eof token after the checksum.
     *
     * @param token the token's bytes
     */
    default void onEofToken(byte[] token) {
    }

    /**
     * Dragonfly search/HNSW index records (opcodes 222/223): skipped, reported by opcode.
     *
     * @param opcode the record's opcode
     */
    default void onIndexRecord(int opcode) {
    }
}
