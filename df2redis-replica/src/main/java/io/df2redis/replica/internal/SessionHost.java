package io.df2redis.replica.internal;

import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.ReplicationState;

import java.util.Optional;

/**
 * What a {@link Session} reports to its replicator. Every method is called on the replicator's
 * supervisor thread, except {@link #fullSyncApplied()}, which the applier thread of the last flow
 * to finish its snapshot calls.
 */
public interface SessionHost {
    /**
     * The session moved to {@code state}.
     *
     * @param state the new state
     */
    void state(ReplicationState state);

    /**
     * The handshake with {@code master} is done.
     *
     * @param master the master
     */
    void handshake(MasterInfo master);

    /**
     * A full sync is about to start: called before the listener and the sink hear of it (the sink
     * then empties its target). May throw to stop the session.
     *
     * @param master the master
     * @param targetIdentity the sink's target identity in this session
     */
    void fullSyncStarted(MasterInfo master, Optional<String> targetIdentity);

    /** Every flow's snapshot was applied. */
    void fullSyncApplied();

    /** Every flow is in stable sync. */
    void stableReached();
}
