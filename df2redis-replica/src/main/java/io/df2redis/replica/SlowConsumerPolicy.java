package io.df2redis.replica;

/**
 * What the replicator does when listeners or the sink consume a flow slower than the master
 * sends it and the flow's queue reaches its byte limit.
 */
public enum SlowConsumerPolicy {
    /**
     * Stop reading the flow's socket until the queue drained to half its limit (TCP then
     * slows the master down). Logged as a warning, counted in {@link FlowStats}, reported to
     * {@link ReplicationListener#onBackpressure}. Dragonfly cancels a replica whose socket does
     * not drain for {@code --replication_timeout} (30 s): a stall that long ends in a reconnect.
     */
    PAUSE_READING,
    /** End the session with a {@link SlowConsumerException} (and reconnect). */
    FAIL
}
