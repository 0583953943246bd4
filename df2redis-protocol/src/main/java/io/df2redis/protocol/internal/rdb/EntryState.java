package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.StringEncoding;
import io.df2redis.protocol.rdb.ValueBatch;

/**
 * Book-keeping of one entry while its value is decoded: counters for the summary and batch emission.
 * A {@link RecordReader} reuses one for its entries, which follow each other ({@link #reset}).
 */
final class EntryState {
    /** Longest string whose summary is shared ({@link #summary}). */
    static final int SHARED_SUMMARY_MAX_LENGTH = 512;
    /**
     * The summaries of strings of one batch, by encoding and length, made on first use and shared
     * (records of final fields: safe to publish by a racy store; a lost race only builds one twice).
     */
    private static final EntrySummary[][] STRING_SUMMARIES =
            new EntrySummary[StringEncoding.values().length][SHARED_SUMMARY_MAX_LENGTH + 1];

    RdbEntry entry;
    private final RdbHandler handler;
    long elements;
    long declaredCount = -1;
    StringEncoding stringEncoding;
    long nodes;
    long plainNodes;
    long packedNodes;
    long lzfNodes;
    int intsetWidth;
    long deletedInNodes;
    int chunks;
    long batches;

    EntryState(RdbEntry entry, RdbHandler handler) {
        this.entry = entry;
        this.handler = handler;
    }

    /** Starts over for {@code next}: every counter as a new state's. */
    EntryState reset(RdbEntry next) {
        entry = next;
        elements = 0;
        declaredCount = -1;
        stringEncoding = null;
        nodes = 0;
        plainNodes = 0;
        packedNodes = 0;
        lzfNodes = 0;
        intsetWidth = 0;
        deletedInNodes = 0;
        chunks = 0;
        batches = 0;
        return this;
    }

    void emit(ValueBatch batch) {
        batches++;
        elements += batch instanceof ValueBatch.StreamMetadata || batch instanceof ValueBatch.StreamGroup
                || batch instanceof ValueBatch.StreamConsumer || batch instanceof ValueBatch.BloomHeader
                || batch instanceof ValueBatch.CuckooHeader || batch instanceof ValueBatch.StreamPendingEntries
                || batch instanceof ValueBatch.StreamConsumerPending || batch instanceof ValueBatch.FilterData
                ? 0 : batch.size();
        handler.onValueBatch(entry, batch);
    }

    EntrySummary summary() {
        if (stringEncoding != null && batches == 1 && elements <= SHARED_SUMMARY_MAX_LENGTH && declaredCount == -1
                && nodes == 0 && plainNodes == 0 && packedNodes == 0 && lzfNodes == 0 && intsetWidth == 0
                && deletedInNodes == 0 && chunks == 0) {
            EntrySummary[] byLength = STRING_SUMMARIES[stringEncoding.ordinal()];
            EntrySummary shared = byLength[(int) elements];
            if (shared == null) {
                shared = new EntrySummary(elements, -1, stringEncoding, 0, 0, 0, 0, 0, 0, 0, 1);
                byLength[(int) elements] = shared;
            }
            return shared; // equal to the one built below
        }
        return new EntrySummary(elements, declaredCount, stringEncoding, nodes, plainNodes, packedNodes, lzfNodes,
                intsetWidth, deletedInNodes, chunks, batches);
    }

    String describe() {
        return "value of key '" + abbreviate(entry.keyAsString()) + "' (" + entry.type() + ")";
    }

    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
