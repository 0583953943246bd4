package io.df2redis.replica;

import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.ValueBatch;

/**
 * Callbacks of a {@link Replicator}, all with empty defaults: implement what you need.
 *
 * <p>Threading: flow events ({@code onEntry*}, {@code onValueBatch}, {@code onAux},
 * {@code onFlowFullSyncEnd}, {@code onJournalEntry}, {@code onBackpressure}) are called from the
 * flow's own applier thread, in stream order; events of different flows run concurrently. Session
 * events (handshake, state changes, reconnects, errors, overall full-sync start/end) come from the
 * replicator's supervisor thread. Never from a network event loop: a listener may block, at the
 * price of back-pressure (see {@link SlowConsumerPolicy}).
 *
 * <p>Exceptions. The <em>data and session callbacks</em> — {@link #onHandshake},
 * {@link #onFullSyncStart}, {@link #onFlowFullSyncStart}, {@link #onAux}, {@link #onEntryStart},
 * {@link #onValueBatch}, {@link #onEntryEnd}, {@link #onFlowFullSyncEnd}, {@link #onFullSyncComplete},
 * {@link #onJournalEntry} — are host work the replicator depends on: an exception from them is
 * handled by the {@link HandlerFailurePolicy} of the options, like a failing journal handler or
 * sink. By default the replicator stops in {@link ReplicationState#FAILED} with a
 * {@link HandlerException}, acknowledges nothing past the failed entry and does <em>not</em>
 * reconnect; {@link HandlerFailurePolicy#retry} calls the callback again with back-off and
 * {@link HandlerFailurePolicy#skip} hands the failure to a dead-letter handler and goes on. The
 * <em>informational callbacks</em> — {@link #onStateChange}, {@link #onReconnect},
 * {@link #onError}, {@link #onBackpressure} — only report what already happened: an exception from
 * them is logged at WARN, counted in {@link ReplicationStats#notificationFailures()} and otherwise
 * ignored; it never stops, retries or reconnects anything.
 */
public interface ReplicationListener {

    /**
     * The handshake completed (supervisor thread).
     *
     * @param master what the master told about itself: ids, flow count, protocol version, release
     */
    default void onHandshake(MasterInfo master) {
    }

    /**
     * A full sync starts (all flows); the snapshot follows. A target should be emptied first.
     *
     * @param master the master the snapshot comes from
     */
    default void onFullSyncStart(MasterInfo master) {
    }

    /**
     * Flow {@code flow} starts sending its snapshot.
     *
     * @param flow the flow (0 to the master's flow count - 1)
     */
    default void onFlowFullSyncStart(int flow) {
    }

    /**
     * An AUX field of a flow's snapshot header ({@code redis-ver}, {@code lua} scripts…).
     *
     * @param flow the flow
     * @param key the field's name
     * @param value its value (an int-encoded value as decimal text)
     */
    default void onAux(int flow, byte[] key, byte[] value) {
    }

    /**
     * A key of the snapshot starts; its value follows as batches.
     *
     * @param flow the flow
     * @param entry the key, its db, type, expiry and flags; passed again with its batches and end
     */
    default void onEntryStart(int flow, RdbEntry entry) {
    }

    /**
     * Part of a key's value (elements of a container, a chunk of a big string…).
     *
     * @param flow the flow
     * @param entry the key the batch belongs to, as passed to {@link #onEntryStart}
     * @param batch the elements, in the order the master stored them
     */
    default void onValueBatch(int flow, RdbEntry entry, ValueBatch batch) {
    }

    /**
     * A key of the snapshot is complete.
     *
     * @param flow the flow
     * @param entry the key, as passed to {@link #onEntryStart}
     * @param summary what the decoder saw of the value's encoding (element counts, nodes, chunks)
     */
    default void onEntryEnd(int flow, RdbEntry entry, EntrySummary summary) {
    }

    /**
     * Flow {@code flow} finished its static snapshot (FULLSYNC_END). Named like
     * {@link #onFlowFullSyncStart}: {@code onFlow…} callbacks concern one flow, {@code onFullSync…}
     * ones the whole session.
     *
     * @param flow the flow
     */
    default void onFlowFullSyncEnd(int flow) {
    }

    /** Every flow finished its snapshot and the master switched to stable sync. */
    default void onFullSyncComplete() {
    }

    /**
     * A journal entry (a write command, or a PING), in flow order, after the journal handlers let
     * it through.
     *
     * @param event the entry with its flow, LSN and whether it arrived during the full sync
     */
    default void onJournalEntry(JournalEvent event) {
    }

    /**
     * The replicator's state changed. Informational.
     *
     * @param from the state before
     * @param to the state now
     */
    default void onStateChange(ReplicationState from, ReplicationState to) {
    }

    /**
     * The session broke and a new one starts after {@code delay}. {@code attempt} counts the
     * consecutive attempts (1, 2, …) since the last session that made progress in stable sync; the
     * delay doubles with each, up to {@link ReplicatorOptions#maxReconnectDelay()}. Informational.
     *
     * @param attempt the attempt number, from 1
     * @param delay how long the replicator waits before the new session ({@link java.time.Duration#ZERO}
     *     for a full-sync restart)
     * @param cause the error that ended the session
     */
    default void onReconnect(int attempt, java.time.Duration delay, ReplicationException cause) {
    }

    /**
     * An error ended the session: it is followed by {@link #onReconnect} when the replicator tries
     * again, or by the state {@link ReplicationState#FAILED} when it gives up (then
     * {@link Replicator#failure()} holds it). Called once per error. Informational.
     *
     * @param error the error, typed by the side that failed (source, sink or host code)
     */
    default void onError(ReplicationException error) {
    }

    /**
     * Reading from the master was paused on a flow ({@code paused} true) or resumed (false): its
     * queue exceeded its byte limit under {@link SlowConsumerPolicy#PAUSE_READING}, or under
     * {@link SlowConsumerPolicy#SPILL} the spill's disk budget is exhausted or its disk is slower
     * than the network. A spill that keeps reading is not reported here (see
     * {@link FlowStats#spilledBytes()}).
     *
     * @param flow the flow
     * @param paused whether reading is paused now
     * @param queuedBytes the bytes queued at the time
     */
    default void onBackpressure(int flow, boolean paused, long queuedBytes) {
    }
}
