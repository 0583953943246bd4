package io.df2redis.sink.redis.internal;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Where a sink keeps its exactly-once checkpoint, as its writers need it: the hash, its db, the
 * sink's linger timer for open transactions ({@link CheckpointBatch}), and the header of the last
 * saved checkpoint, which a global command's transaction writes again.
 *
 * @param key the checkpoint hash's name
 * @param db the db it is in
 * @param timer the sink's linger timer
 * @param header the header of the last checkpoint saved with positions ({@code field value …}), or empty
 */
public record CheckpointTarget(byte[] key, int db, ScheduledExecutorService timer, Supplier<List<String>> header) {
}
