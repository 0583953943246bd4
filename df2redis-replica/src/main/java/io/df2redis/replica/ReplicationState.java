package io.df2redis.replica;

/** Lifecycle of a {@link Replicator}. */
public enum ReplicationState {
    /** Built, not started. */
    NEW,
    /** Connecting and performing the handshake. */
    CONNECTING,
    /** Receiving the snapshot of every flow. */
    FULL_SYNC,
    /** Following the journal of every flow. */
    STABLE_SYNC,
    /** The session broke; waiting before the next attempt. */
    RECONNECTING,
    /** Stopping: draining queued events, closing connections. */
    STOPPING,
    /** Stopped by the host. */
    STOPPED,
    /**
     * Stopped by an error that a reconnect cannot fix, or by host code that failed under the
     * {@link HandlerFailurePolicy} (see {@link Replicator#failure()}).
     */
    FAILED
}
