package io.df2redis.sink.redis.internal;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Where a sink keeps its exactly-once checkpoint, as its writers need it: the hash, its db, the
 * sink's linger timer for open transactions ({@link CheckpointBatch}), the header of the last
 * saved checkpoint, which a global command's transaction writes again, and on a cluster the slots'
 * checkpoints ({@link ClusterCheckpointBatch}).
 *
 * @param key the checkpoint hash's name
 * @param db the db it is in
 * @param timer the sink's linger timer
 * @param header the header of the last checkpoint saved with positions ({@code field value …}), or empty
 * @param slots a Redis Cluster target's per-slot checkpoints, or null for a standalone target
 */
public record CheckpointTarget(byte[] key, int db, ScheduledExecutorService timer, Supplier<List<String>> header,
                               SlotCheckpoints slots) {
}
