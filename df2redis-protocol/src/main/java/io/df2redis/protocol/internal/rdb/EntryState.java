package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.StringEncoding;
import io.df2redis.protocol.rdb.ValueBatch;

/** Book-keeping of one entry while its value is decoded: counters for the summary and batch emission. */
final class EntryState {
    final RdbEntry entry;
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
