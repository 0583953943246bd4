package io.df2redis.replica.internal;

import java.util.Optional;

/**
 * Where a previous session (or a checkpoint) stopped, for a partial sync. Immutable (do not change
 * the array).
 *
 * @param masterId the master's replication id
 * @param flows its flow count
 * @param nextLsns per flow, the next LSN to ask for; null when a full sync is needed
 * @param target the sink's target identity the position belongs to
 * @param origin where the position comes from, for log messages ("the previous session", "the
 *     checkpoint saved at …")
 */
public record ResumePosition(String masterId, int flows, long[] nextLsns, Optional<String> target, String origin) {
}
