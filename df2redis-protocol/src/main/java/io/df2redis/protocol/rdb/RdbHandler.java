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
 */
public interface RdbHandler extends JournalHandler {

    /** The magic: {@code REDIS} followed by the 4-digit RDB version. */
    default void onHeader(int rdbVersion) {
    }

    /** An AUX field (e.g. {@code redis-ver}, {@code lua}). Int-encoded values arrive as decimal text. */
    default void onAux(byte[] key, byte[] value) {
    }

    default void onSelectDb(int db) {
    }

    default void onResizeDb(long dbSize, long expiresSize) {
    }

    /** A SLOT_INFO record of a Redis cluster RDB. */
    default void onSlotInfo(long slot, long slotSize, long expiresSlotSize) {
    }

    /** A FUNCTION2 record: the library code. */
    default void onFunction(byte[] code) {
    }

    /** A MODULE_AUX record (skipped, reported opaque). */
    default void onModuleAux(long moduleId, String moduleName, int whenOpcode, long when) {
    }

    default void onEntryStart(RdbEntry entry) {
    }

    default void onValueBatch(RdbEntry entry, ValueBatch batch) {
    }

    default void onEntryEnd(RdbEntry entry, EntrySummary summary) {
    }

    /** Dragonfly FULLSYNC_END: the static snapshot of this flow is complete. */
    default void onFullSyncEnd() {
    }

    /**
     * FULLSYNC_END with the observation whether its 8 padding bytes were zero (they always are
     * on the wire; the decoder ignores them either way). Defaults to {@link #onFullSyncEnd()}.
     */
    default void onFullSyncEnd(boolean paddingZero) {
        onFullSyncEnd();
    }

    /** Dragonfly JOURNAL_OFFSET: the next LSN of this flow's journal. */
    default void onJournalOffset(long nextLsn) {
    }

    /** A compressed blob starts; the records inside follow, with blob-relative offsets. */
    default void onCompressedBlobStart(Compression compression, int compressedLength, int uncompressedLength) {
    }

    default void onCompressedBlobEnd(Compression compression) {
    }

    /** A JOURNAL_BLOB record with {@code count} journal items; the entries follow via {@link #onJournalEntry}. */
    default void onJournalBlobStart(long count) {
    }

    default void onJournalBlobEnd() {
    }

    /**
     * A TAGGED_CHUNK record (spec §4.4) starts; its payload's events follow.
     *
     * @param first whether this chunk opened the entry
     */
    default void onTaggedChunkStart(int id, int length, boolean first) {
    }

    /**
     * The TAGGED_CHUNK's payload was consumed.
     *
     * @param entry the entry this chunk belongs to (null if the payload did not even hold the header)
     * @param completesEntry whether the entry's value ended inside this chunk
     */
    default void onTaggedChunkEnd(int id, RdbEntry entry, boolean completesEntry) {
    }

    /** The EOF opcode and its checksum (0 when not computed). */
    default void onEof(long checksum) {
    }

    /** Replication flows only: the 40-byte eof token after the checksum. */
    default void onEofToken(byte[] token) {
    }

    /** Dragonfly search/HNSW index records (opcodes 222/223): skipped, reported by opcode. */
    default void onIndexRecord(int opcode) {
    }
}
