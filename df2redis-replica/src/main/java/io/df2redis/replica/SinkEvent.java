package io.df2redis.replica;


import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.ValueBatch;

import java.util.List;

/**
 * What a {@link ReplicationSink} is asked to apply, per flow and in flow order.
 */
public sealed interface SinkEvent {
    /**
     * The flow the event belongs to.
     *
     * @return the flow, or -1 for events that concern all flows
     */
    int flow();

    /** A full sync starts: the target must be emptied (upsert semantics follow). Sent once, flow -1. */
    record FullSyncStart(int flow, MasterInfo master) implements SinkEvent {
    }

    /** A snapshot key starts: it replaces whatever the key held. */
    record EntryStart(int flow, RdbEntry entry) implements SinkEvent {
    }

    /** Elements of the key's value, to append. */
    record EntryBatch(int flow, RdbEntry entry, ValueBatch batch) implements SinkEvent {
    }

    /** The key is complete (apply the TTL now if deferred). */
    record EntryEnd(int flow, RdbEntry entry, EntrySummary summary) implements SinkEvent {
    }

    /**
     * A whole small key in one event: what {@link EntryStart}, at most one {@link EntryBatch} and
     * {@link EntryEnd} say, in that order (most snapshot keys: a million-key full sync is a million
     * events instead of three million). Only sinks that return true from
     * {@link ReplicationSink#acceptsWholeEntries()} get it; every other sink gets the three events.
     *
     * @param batch the key's only value batch, or null for a key whose value has no elements
     */
    record Entry(int flow, RdbEntry entry, ValueBatch batch, EntrySummary summary) implements SinkEvent {
    }

    /** A journal command to execute on {@code event.db()}. */
    record Journal(int flow, JournalEvent event) implements SinkEvent {
    }

    /**
     * A global command (FLUSHALL / FLUSHDB / DFLYCLUSTER FLUSHSLOTS): delivered once, after every
     * flow reached it (spec §5.7).
     */
    record GlobalCommand(int flow, JournalEvent event, List<Long> nextLsns) implements SinkEvent {
        /**
         * @param flow the flow that runs it
         * @param event the command
         * @param nextLsns per flow, the LSN that flow continues at after the command (its copy of the
         *     command's LSN + 1), so that a sink keeping its position in the target can record every
         *     flow's with the command atomically; empty when unknown
         */
        public GlobalCommand {
            nextLsns = List.copyOf(nextLsns);
        }

        /**
         * A global command without the flows' positions.
         *
         * @param flow the flow that runs it
         * @param event the command
         */
        public GlobalCommand(int flow, JournalEvent event) {
            this(flow, event, List.of());
        }
    }

    /** The flow ended its snapshot (FULLSYNC_END). */
    record FullSyncEnd(int flow) implements SinkEvent {
    }
}
