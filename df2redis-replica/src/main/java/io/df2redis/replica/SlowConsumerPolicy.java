package io.df2redis.replica;

/**
 * What the replicator does when listeners or the sink consume a flow slower than the master
 * sends it and the flow's queue reaches its byte limit
 * ({@link ReplicatorOptions#flowQueueMaxBytes()}).
 *
 * <p>Why it matters: Dragonfly blocks every write of a shard while that shard's replica connection
 * is not drained (its stream output buffer is full) and cancels the replica after
 * {@code --replication_timeout} (30 s). Only {@link #SPILL} keeps the socket drained whatever the
 * target's speed, within the {@link SpillOptions#maxBytes() disk budget}.
 */
public enum SlowConsumerPolicy {
    /**
     * Stop reading the flow's socket until the queue drained to half its limit (TCP then
     * slows the master down). Logged as a warning, counted in {@link FlowStats}, reported to
     * {@link ReplicationListener#onBackpressure}. Dragonfly cancels a replica whose socket does
     * not drain for {@code --replication_timeout} (30 s): a stall that long ends in a reconnect,
     * and while it lasts the master's clients wait for their writes to that shard.
     */
    PAUSE_READING,
    /** End the session with a {@link SlowConsumerException} (and reconnect). */
    FAIL,
    /**
     * The default: keep reading the socket at full speed and append the flow's undecoded bytes to
     * a bounded log on disk ({@link ReplicatorOptions#spillOptions()}); they are decoded, in order,
     * once the queue drained to half its limit, and the flow reads directly again when the log is
     * empty. The applied LSN, the ACKs and checkpoints still cover only what the sink confirmed.
     * When the disk budget is exhausted, {@link SpillOptions#whenFull()} applies
     * ({@link #PAUSE_READING} with a warning, or {@link #FAIL} with a {@link SpillFullException}).
     */
    SPILL
}
