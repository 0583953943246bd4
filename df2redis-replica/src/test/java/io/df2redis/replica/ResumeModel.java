package io.df2redis.replica;

import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.ValueBatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a listener-only host builds across replicator restarts: one {@link KeyspaceModel} fed by
 * several replicators in turn, each through its own {@link Gate}. Journal entries are checked by
 * their per-flow LSN (contiguous in stable sync, spec §5.1): an LSN at or below the last one applied
 * on that flow is a repeat (at-least-once: counted, not applied again), a jump is a missing entry.
 * A {@link Gate#crash()} cuts its replicator off at once, as a killed process would stop: nothing
 * it delivers afterwards reaches the model.
 */
final class ResumeModel {
    final KeyspaceModel keyspace = new KeyspaceModel();
    // guarded by this
    private final Map<Integer, Long> last = new HashMap<>();
    private final List<String> gaps = new ArrayList<>();
    private int repeats;
    private int snapshots;
    private int journalEntries;

    synchronized int repeats() {
        return repeats;
    }

    synchronized int snapshots() {
        return snapshots;
    }

    synchronized int journalEntries() {
        return journalEntries;
    }

    synchronized List<String> gaps() {
        return new ArrayList<>(gaps);
    }

    /** The last LSN applied on {@code flow}, or -1. */
    synchronized long lastLsn(int flow) {
        return last.getOrDefault(flow, -1L);
    }

    /** A listener for one replicator. */
    Gate gate() {
        return new Gate();
    }

    /** One replicator's way into the model; closed by {@link #crash()}. */
    final class Gate implements ReplicationListener {
        // guarded by the model
        private boolean open = true;
        final List<ReplicationException> errors = new java.util.concurrent.CopyOnWriteArrayList<>();

        /** From now on nothing this replicator delivers reaches the model. */
        void crash() {
            synchronized (ResumeModel.this) {
                open = false;
            }
        }

        @Override
        public void onFullSyncStart(MasterInfo master) {
            synchronized (ResumeModel.this) {
                if (open) {
                    snapshots++;
                    last.clear();
                    keyspace.onFullSyncStart(master);
                }
            }
        }

        @Override
        public void onEntryStart(int flow, RdbEntry entry) {
            synchronized (ResumeModel.this) {
                if (open) {
                    keyspace.onEntryStart(flow, entry);
                }
            }
        }

        @Override
        public void onValueBatch(int flow, RdbEntry entry, ValueBatch batch) {
            synchronized (ResumeModel.this) {
                if (open) {
                    keyspace.onValueBatch(flow, entry, batch);
                }
            }
        }

        @Override
        public void onEntryEnd(int flow, RdbEntry entry, EntrySummary summary) {
            synchronized (ResumeModel.this) {
                if (open) {
                    keyspace.onEntryEnd(flow, entry, summary);
                }
            }
        }

        @Override
        public void onJournalEntry(JournalEvent e) {
            synchronized (ResumeModel.this) {
                if (!open) {
                    return;
                }
                if (e.lsn() > 0) {
                    Long l = last.get(e.flow());
                    if (l != null && e.lsn() <= l) {
                        repeats++;
                        return;
                    }
                    if (l != null && e.lsn() != l + 1) {
                        gaps.add("flow " + e.flow() + ": LSN " + e.lsn() + " after " + l);
                    }
                    last.put(e.flow(), e.lsn());
                    journalEntries++;
                }
                keyspace.onJournalEntry(e);
            }
        }

        @Override
        public void onError(ReplicationException error) {
            errors.add(error);
        }
    }
}
