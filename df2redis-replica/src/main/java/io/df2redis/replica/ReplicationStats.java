package io.df2redis.replica;

import java.util.List;

/**
 * A snapshot of a replicator's progress.
 *
 * @param state current state
 * @param sessions replication sessions started (1 + reconnects)
 * @param fullSyncs full syncs started
 * @param flows per-flow figures of the current session (empty before the handshake)
 * @param handlerRetries calls of failed listener callbacks, journal handlers and sink stages
 *     that were retried under {@link HandlerFailurePolicy#retry} (all sessions)
 * @param deadLetters failures handed to the dead-letter handler under
 *     {@link HandlerFailurePolicy#skip} (all sessions)
 * @param notificationFailures exceptions thrown by informational listener callbacks
 *     ({@code onStateChange}, {@code onError}, {@code onReconnect}, {@code onBackpressure}),
 *     logged and ignored (all sessions)
 */
public record ReplicationStats(ReplicationState state, long sessions, long fullSyncs, List<FlowStats> flows,
                               long handlerRetries, long deadLetters, long notificationFailures) {

    /** @return the bytes queued in every flow together */
    public long totalQueuedBytes() {
        return flows.stream().mapToLong(FlowStats::queuedBytes).sum();
    }

    /** @return the bytes every flow holds spilled to disk and not decoded yet, together */
    public long totalSpilledBytes() {
        return flows.stream().mapToLong(FlowStats::spilledBytes).sum();
    }

    /** @return the age of the oldest spilled byte of any flow; zero when nothing is spilled */
    public java.time.Duration oldestSpilled() {
        return flows.stream().map(FlowStats::oldestSpilled).max(java.time.Duration::compareTo)
                .orElse(java.time.Duration.ZERO);
    }

    /** @return the bytes received on every flow together */
    public long totalBytesReceived() {
        return flows.stream().mapToLong(FlowStats::bytesReceived).sum();
    }
}
