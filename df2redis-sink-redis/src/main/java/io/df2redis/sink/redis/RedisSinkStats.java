package io.df2redis.sink.redis;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of the Redis sink's counters.
 *
 * @param commands commands sent to Redis (SELECT included)
 * @param errors error replies and failed connections
 * @param skippedByReason keys/commands not reproduced, per {@link UnsupportedData} reason
 * @param skipped the first {@link RedisSinkOptions#maxRecordedSkips()} unsupported keys, in order
 * @param dfMaskIgnored snapshot keys whose Dragonfly sticky flag or memcached flags were dropped
 *                      (no Redis equivalent), plus {@code STICK} / {@code _MCFLAGS} journal tokens dropped
 * @param movedRedirects cluster {@code MOVED} redirects followed (0 on a standalone target)
 * @param askRedirects cluster {@code ASK} redirects followed
 * @param clusterRetries commands re-sent after {@code TRYAGAIN}, {@code CLUSTERDOWN} or {@code LOADING}
 * @param topologyRefreshes times the cluster slot map was read
 * @param maxOpsPerSecond the commands-per-second limit ({@link RedisSinkOptions#maxOpsPerSecond()}), 0 for none
 * @param maxBytesPerSecond the bytes-per-second limit ({@link RedisSinkOptions#maxBytesPerSecond()}), 0 for none
 * @param rateLimitWaitNanos how long senders waited for the rate limits, all together, in nanoseconds
 * @param bytesSent bytes of the commands sent (their RESP encoding), what {@code maxBytesPerSecond} limits
 * @param operationsSent operations sent, what {@code maxOpsPerSecond} limits: a command each, but an
 *     {@code MSET} of batched snapshot strings one per key
 * @param inFlight commands sent and not answered yet, over every connection of the current session
 */
public record RedisSinkStats(long commands, long errors, Map<String, Long> skippedByReason,
                             List<UnsupportedData> skipped, long dfMaskIgnored, long movedRedirects,
                             long askRedirects, long clusterRetries, long topologyRefreshes,
                             long maxOpsPerSecond, long maxBytesPerSecond, long rateLimitWaitNanos, long bytesSent,
                             long operationsSent, long inFlight) {
    /**
     * Total keys/commands not reproduced.
     *
     * @return the sum of {@link #skippedByReason()}
     */
    public long skippedTotal() {
        return skippedByReason.values().stream().mapToLong(Long::longValue).sum();
    }
}
