package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.resp.RespReply;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How a {@link FlowWriter} writes stable-sync journal entries exactly once: each entry's commands go
 * into a transaction that also moves the target's checkpoint past the entry —
 * {@link CheckpointBatch} on a standalone target (one hash, one transaction per group of entries),
 * {@link ClusterCheckpointBatch} on a Redis Cluster (one transaction per slot, with that slot's
 * hash, {@link SlotCheckpoints}).
 *
 * <p>Per entry the writer calls {@link #beginEvent}, {@link #add} for each command, then
 * {@link #endEvent} (or {@link #discardEvent} when translating it failed). Thread ownership: every
 * call but {@link #commit} on the flow's applier thread; {@link #commit} also on the sink's linger
 * timer; implementations say how they guard the open transaction.
 */
interface CheckpointWriter {

    /** Applier: an entry of {@code flow} with {@code lsn} starts. */
    void beginEvent(int flow, long lsn);

    /**
     * Applier: buffers a command of the current entry.
     *
     * @param db the target db
     * @param routingKey the command's key (its slot on a cluster), or null
     * @param args the command
     * @return completes with the command's reply when its transaction ran
     */
    CompletableFuture<RespReply> add(int db, byte[] routingKey, List<byte[]> args);

    /** Applier: the current entry failed while translated; none of its commands is sent. */
    void discardEvent(Throwable cause);

    /**
     * Applier: the current entry is complete: its commands join the open transaction(s).
     *
     * @param checkpointFields what a standalone transaction writes into the checkpoint hash
     * @param commitNow commit at once (a global command)
     */
    void endEvent(List<byte[]> checkpointFields, boolean commitNow);

    /** Commits whatever transaction is open, without waiting for its reply. */
    void commit();
}
