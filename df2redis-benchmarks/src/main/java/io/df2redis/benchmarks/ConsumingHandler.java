package io.df2redis.benchmarks;

import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.ValueBatch;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The consumer used by every benchmark of our decoders: counts what it is given and sinks every
 * object into a {@link Blackhole}, so that no decoded value can be optimised away. It does no
 * other work, so the figures measure the decoder (and the allocation of what it hands out).
 */
public final class ConsumingHandler implements RdbHandler {
    private final Blackhole bh;

    /** Key/value entries completed ({@code onEntryEnd}). */
    public long entries;
    /** Container elements delivered (list elements, set members, hash fields, zset members, stream entries, …). */
    public long elements;
    /** String value bytes delivered (sum of {@link ValueBatch.StringChunk} sizes). */
    public long stringBytes;
    /** Journal entries (stable-sync journal and those inside JOURNAL_BLOBs). */
    public long journalEntries;

    public ConsumingHandler(Blackhole bh) {
        this.bh = bh;
    }

    public void reset() {
        entries = 0;
        elements = 0;
        stringBytes = 0;
        journalEntries = 0;
    }

    @Override
    public void onAux(byte[] key, byte[] value) {
        bh.consume(key);
        bh.consume(value);
    }

    @Override
    public void onEntryStart(RdbEntry entry) {
        bh.consume(entry);
    }

    @Override
    public void onValueBatch(RdbEntry entry, ValueBatch batch) {
        if (batch instanceof ValueBatch.StringChunk) {
            stringBytes += batch.size();
        } else {
            elements += batch.size();
        }
        bh.consume(batch);
    }

    @Override
    public void onEntryEnd(RdbEntry entry, EntrySummary summary) {
        entries++;
        bh.consume(summary);
    }

    @Override
    public void onJournalEntry(JournalEntry entry) {
        journalEntries++;
        bh.consume(entry);
    }

    @Override
    public String toString() {
        return "entries=" + entries + " elements=" + elements + " stringBytes=" + stringBytes + " journalEntries="
                + journalEntries;
    }
}
