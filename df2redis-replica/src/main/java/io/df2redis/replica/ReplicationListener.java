package io.df2redis.replica;

import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.ValueBatch;

/**
 * Callbacks of a {@link Replicator}, all with empty defaults: implement what you need.
 *
 * <p>Threading: flow events ({@code onEntry*}, {@code onAux}, {@code onFullSyncEnd(int)},
 * {@code onJournalEntry}) are called from the flow's own applier thread, in stream order; events
 * of different flows run concurrently. Session events (handshake, state changes, reconnects,
 * errors, overall full-sync start/end) come from the replicator's supervisor thread. Never
 * from a network event loop: a listener may block, at the price of back-pressure (see
 * {@link SlowConsumerPolicy}). An exception thrown by a listener ends the session with a
 * {@link ReplicationException} and a reconnect.
 */
public interface ReplicationListener {

    /** The handshake completed. */
    default void onHandshake(MasterInfo master) {
    }

    /** A full sync starts (all flows); the snapshot follows. A target should be emptied first. */
    default void onFullSyncStart(MasterInfo master) {
    }

    /** Flow {@code flow} starts sending its snapshot. */
    default void onFlowFullSyncStart(int flow) {
    }

    /** An AUX field of a flow's snapshot header. */
    default void onAux(int flow, byte[] key, byte[] value) {
    }

    /** A key of the snapshot starts; its value follows as batches. */
    default void onEntryStart(int flow, RdbEntry entry) {
    }

    /** Part of a key's value (elements of a container, a chunk of a big string…). */
    default void onValueBatch(int flow, RdbEntry entry, ValueBatch batch) {
    }

    /** A key of the snapshot is complete. */
    default void onEntryEnd(int flow, RdbEntry entry, EntrySummary summary) {
    }

    /** Flow {@code flow} finished its static snapshot (FULLSYNC_END). */
    default void onFullSyncEnd(int flow) {
    }

    /** Every flow finished its snapshot and the master switched to stable sync. */
    default void onFullSyncComplete() {
    }

    /** A journal entry (a write command, or a PING), in flow order. */
    default void onJournalEntry(JournalEvent event) {
    }

    default void onStateChange(ReplicationState from, ReplicationState to) {
    }

    /** The session broke and a new attempt starts after {@code delayMillis}. */
    default void onReconnect(int attempt, long delayMillis, ReplicationException cause) {
    }

    /** An error: the session ends (and is retried if {@link ReplicationException#isRetryable()}). */
    default void onError(ReplicationException error) {
    }

    /**
     * A flow's queue exceeded its byte limit and reading from the master was paused
     * ({@link SlowConsumerPolicy#PAUSE_READING}); {@code resumed} tells when it continues.
     */
    default void onBackpressure(int flow, boolean paused, long queuedBytes) {
    }
}
