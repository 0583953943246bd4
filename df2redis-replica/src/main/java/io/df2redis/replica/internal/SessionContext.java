package io.df2redis.replica.internal;

import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.ReplicationListener;
import io.df2redis.replica.ReplicatorOptions;
import io.df2redis.replica.SinkEvent;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** What a flow pipeline needs from its session. Every method may be called from any applier thread. */
interface SessionContext {
    ReplicatorOptions options();

    ReplicationListener listener();

    /** Whether the listener overrides callback {@code method}: one it does not is not called ({@link ListenerCalls}). */
    default boolean listens(String method) {
        return true;
    }

    /** The replicator's handler-failure policy runner. */
    HandlerGuard guard();

    /** Whether the sink takes {@link SinkEvent.Entry} (else each is applied as its three events). */
    default boolean wholeEntries() {
        return false;
    }

    /** Hands an event to the sink (completed stage when there is none); may throw what the sink throws. */
    CompletionStage<Void> apply(SinkEvent event);

    /** The host's journal handlers, in registration order. */
    List<HandlerRegistration> handlers();

    GlobalCommandBarrier barrier();

    void flowFullSyncApplied(int flow);

    void flowStable(int flow);

    void flowFailed(int flow, ReplicationException e);

    /** Asks for an ACK on {@code flow} as soon as possible. */
    void ackSoon(int flow);
}
