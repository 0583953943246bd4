package io.df2redis.replica.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The byte limit each flow's queue actually gets: the configured
 * {@link io.df2redis.replica.ReplicatorOptions#flowQueueMaxBytes()}, lowered when the queues of all
 * flows together could otherwise take more than a quarter of the JVM's maximum heap. A Dragonfly
 * master has one flow per thread, so 16 flows of the 64 MiB default would ask for 1 GiB of queues: in
 * a JVM started with {@code -Xmx256m} that is an {@link OutOfMemoryError} instead of backpressure.
 * The rest of the heap is left to the sink's in-flight writes, the decoder and the collector's
 * headroom. Never below 1 MiB (nor above the configured value).
 */
final class FlowQueueLimit {
    /** The smallest per-flow limit the heap cap lowers to. */
    static final long FLOOR = 1L << 20;
    /** Share of the maximum heap all queues together may take: 1 / {@value}. */
    static final int HEAP_SHARE_DIVISOR = 4;

    private static final Logger LOG = LoggerFactory.getLogger(FlowQueueLimit.class);

    private FlowQueueLimit() {
    }

    /**
     * The limit of flow {@code flow} of {@code flows} in this JVM ({@link #perFlow} with
     * {@link Runtime#maxMemory()}); logs once per session (for flow 0) when the heap cap lowers it.
     */
    static long of(int flow, int flows, long configured) {
        long maxHeap = Runtime.getRuntime().maxMemory();
        long limit = perFlow(configured, flows, maxHeap);
        if (limit < configured && flow == 0) {
            LOG.info("flow queues limited to {} bytes each instead of flowQueueMaxBytes {}: {} flows hold at most "
                    + "a quarter of the maximum heap ({} bytes)", limit, configured, flows, maxHeap);
        }
        return limit;
    }

    /**
     * The per-flow queue limit.
     *
     * @param configured the configured per-flow limit
     * @param flows the session's number of flows
     * @param maxHeap the JVM's maximum heap ({@link Runtime#maxMemory()}; {@link Long#MAX_VALUE} when unlimited)
     * @return {@code min(configured, max(FLOOR, maxHeap / 4 / flows))}
     */
    static long perFlow(long configured, int flows, long maxHeap) {
        long share = maxHeap / HEAP_SHARE_DIVISOR / Math.max(1, flows);
        return Math.min(configured, Math.max(FLOOR, share));
    }
}
