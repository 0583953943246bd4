package io.df2redis.replica;

import java.util.concurrent.CompletionStage;

/**
 * Where replicated data goes (e.g. the Redis sink). The replicator calls {@link #apply} from
 * one applier thread per flow, in flow order, without waiting for earlier stages: a sink may
 * pipeline. A flow's applied LSN — and so {@code REPLCONF ACK} and checkpoints — advances only
 * over events whose stages completed successfully, in order.
 *
 * <p>Failures: {@code open} or {@code apply} throwing, or a stage completing exceptionally, are
 * handled by the replicator's {@link HandlerFailurePolicy} (default: stop in FAILED; the failed
 * event is not acknowledged). The exception is the one the sink gave (wrapped in a
 * {@link HandlerException}); a non-retryable {@link ReplicationException} is never retried. One
 * exception is not a handler failure: a {@link ConnectionException} (the sink lost its target
 * connection) ends the session, and the replicator reconnects with its reconnect back-off and
 * resumes from the last applied entry, as after a broken connection to Dragonfly.
 */
public interface ReplicationSink extends AutoCloseable {

    /** Called once per session before any event, with the master and its flow count. */
    default void open(MasterInfo master) {
    }

    /**
     * Asked after {@link #open} when the session could resume with a partial sync from the
     * positions this sink confirmed: why it cannot — its target no longer holds what it confirmed
     * (a target restarted without persistence, or replaced) — or empty when it still holds
     * everything. A reason makes the session ask for a full sync instead, logged at WARN with the
     * reason. The default (empty) suits sinks that keep nothing or keep it themselves.
     *
     * @return the reason a partial sync would lose data, or empty
     */
    default java.util.Optional<String> resumeRefusal() {
        return java.util.Optional.empty();
    }

    /**
     * Who this sink's target is, for {@link Checkpoint}s: asked once per session after
     * {@link #open}, on the replicator's supervisor thread, and saved with every checkpoint of that
     * session. A replicator started later with a {@link CheckpointStore} resumes from a checkpoint
     * only if the identity then is the same (both empty counts as the same): a different identity
     * means a different target, which does not hold what the checkpoint says was applied, and a
     * full sync follows. It should change exactly when the target no longer holds what it confirmed
     * (e.g. a new data set id), and never contain a secret (it is logged and stored in clear). An
     * exception is handled like one from {@link #open}. The default is empty: no identity.
     *
     * @return the target's identity, or empty
     */
    default java.util.Optional<String> targetIdentity() {
        return java.util.Optional.empty();
    }

    /** Applies one event; the stage completes when the target confirmed it. */
    CompletionStage<Void> apply(SinkEvent event);

    /**
     * Whether this sink handles {@link SinkEvent.Entry} (a whole small key in one event). Default false:
     * the sink gets {@code EntryStart}, {@code EntryBatch} and {@code EntryEnd} for every key, so a sink
     * written before that event existed never misses a key.
     *
     * @return true to receive whole small keys as one {@link SinkEvent.Entry}
     */
    default boolean acceptsWholeEntries() {
        return false;
    }

    /** Releases the sink's resources. Called by the replicator's close only if it owns the sink. */
    @Override
    default void close() {
    }
}
