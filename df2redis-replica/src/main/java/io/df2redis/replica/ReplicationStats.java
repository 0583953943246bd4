package io.df2redis.replica;

import java.util.List;

/**
 * A snapshot of a replicator's progress.
 *
 * @param state current state
 * @param sessions replication sessions started (1 + reconnects)
 * @param fullSyncs full syncs started
 * @param flows per-flow figures of the current session (empty before the handshake)
 */
public record ReplicationStats(ReplicationState state, long sessions, long fullSyncs, List<FlowStats> flows) {

    public long totalQueuedBytes() {
        return flows.stream().mapToLong(FlowStats::queuedBytes).sum();
    }

    public long totalBytesReceived() {
        return flows.stream().mapToLong(FlowStats::bytesReceived).sum();
    }
}
