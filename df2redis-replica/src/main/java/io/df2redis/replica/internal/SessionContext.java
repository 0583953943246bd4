package io.df2redis.replica.internal;

import io.df2redis.replica.JournalEvent;
import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.ReplicationListener;
import io.df2redis.replica.ReplicatorOptions;
import io.df2redis.replica.SinkEvent;

import java.util.concurrent.CompletionStage;

/** What a flow pipeline needs from its session. */
interface SessionContext {
    ReplicatorOptions options();

    ReplicationListener listener();

    /** Hands an event to the sink (completed stage when there is none). */
    CompletionStage<Void> apply(SinkEvent event);

    /** Runs the host's journal handlers; false when one filtered the entry out. */
    boolean handle(JournalEvent event);

    GlobalCommandBarrier barrier();

    void flowFullSyncApplied(int flow);

    void flowStable(int flow);

    void flowFailed(int flow, ReplicationException e);

    /** Asks for an ACK on {@code flow} as soon as possible. */
    void ackSoon(int flow);
}
