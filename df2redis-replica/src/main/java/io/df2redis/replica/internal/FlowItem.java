package io.df2redis.replica.internal;

import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.rdb.ValueBatch;
import io.df2redis.replica.SinkEvent;

/**
 * What the decoding side of a flow hands to its applier, with its estimated size in bytes. The
 * estimates are the shallow sizes of what an item keeps reachable (64-bit JVM, compressed oops),
 * measured with a class histogram of a full queue: a 32-byte string key costs ~435 bytes of heap
 * in the queue (three events), not its ~50 bytes on the wire; the queue limit bounds the heap only
 * if they are counted.
 */
sealed interface FlowItem {
    /** A {@link Sink} item (16 + 8) and its {@link SinkEvent} (16 + 8), and the queue's reference to it. */
    long EVENT_BYTES = 56;
    /** An {@code RdbEntry} (shared by the events of one entry; counted with its start). */
    long ENTRY_BYTES = 72;
    /** An {@code EntrySummary}. */
    long SUMMARY_BYTES = 88;
    /** A {@code JournalEvent} around a journal entry. */
    long JOURNAL_EVENT_BYTES = 32;

    long bytes();

    /** Heap of a {@code byte[n]}: 16-byte header, rounded up to 8 bytes. */
    static long array(int n) {
        return (16L + n + 7) & ~7L;
    }

    /**
     * Wakes the applier without data: a sink stage completed (so the applied position may move) or
     * the pipeline is stopping.
     */
    record Wake() implements FlowItem {
        @Override
        public long bytes() {
            return 0;
        }
    }

    /** The items decoded from one socket read, handed over at once (one queue signal per read). */
    record Group(java.util.List<FlowItem> items, long bytes) implements FlowItem {
    }

    /** An event for listeners and the sink. */
    record Sink(SinkEvent event, long bytes) implements FlowItem {
    }

    /** A snapshot AUX field. */
    record Aux(byte[] key, byte[] value) implements FlowItem {
        @Override
        public long bytes() {
            return key.length + value.length + 32L;
        }
    }

    /** The flow passed its eof token: stable sync starts at {@code journalOffset}. */
    record StableStart(long journalOffset) implements FlowItem {
        @Override
        public long bytes() {
            return 16;
        }
    }

    /**
     * A partial-sync flow: the journal starts at {@code lsn} without a snapshot; at once
     * (raw journal), or, when {@code incremental}, as the JOURNAL_BLOBs of an incremental stream
     * whose eof token ({@link StableStart}) begins stable sync.
     */
    record PartialStart(long lsn, boolean incremental) implements FlowItem {
        @Override
        public long bytes() {
            return 16;
        }
    }

    /** An LSN record of the journal (checked against the applied counter). */
    record LsnRecord(JournalEntry entry) implements FlowItem {
        @Override
        public long bytes() {
            return 32;
        }
    }

    /** Estimated heap size of a batch. */
    static long sizeOf(ValueBatch b) {
        long n = 64;
        if (b instanceof ValueBatch.StringChunk c) {
            return 32 + array(c.bytes().length);
        } else if (b instanceof ValueBatch.ListElements l) {
            for (byte[] e : l.elements()) {
                n += e.length + 24;
            }
        } else if (b instanceof ValueBatch.SetMembers s) {
            for (byte[] e : s.members()) {
                n += e.length + 32;
            }
        } else if (b instanceof ValueBatch.HashFields h) {
            for (int i = 0; i < h.fields().size(); i++) {
                n += h.fields().get(i).length + h.values().get(i).length + 56;
            }
        } else if (b instanceof ValueBatch.ZSetMembers z) {
            for (byte[] e : z.members()) {
                n += e.length + 32;
            }
        } else if (b instanceof ValueBatch.StreamEntries s) {
            for (ValueBatch.StreamEntry e : s.entries()) {
                n += 48;
                for (byte[] f : e.fieldsAndValues()) {
                    n += f.length + 24;
                }
            }
        } else if (b instanceof ValueBatch.FilterData f) {
            n += f.bytes().length;
        } else if (b instanceof ValueBatch.CountMinSketch c) {
            n += c.counters().length * 8L;
        } else if (b instanceof ValueBatch.TopK t) {
            n += t.counters().length + t.heapItems().size() * 48L;
        } else if (b instanceof ValueBatch.JsonDocument j) {
            n += j.text().length;
        } else if (b instanceof ValueBatch.ModuleValue m) {
            n += m.payload().length;
        } else {
            n += b.size() * 48L;
        }
        return n;
    }

    /** Estimated heap size of a journal entry. */
    static long sizeOf(JournalEntry e) {
        long n = 96;
        for (byte[] a : e.args()) {
            n += a.length + 24;
        }
        return n;
    }
}
