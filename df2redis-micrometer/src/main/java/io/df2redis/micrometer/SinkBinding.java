package io.df2redis.micrometer;

import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.RedisSinkStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

import static io.df2redis.micrometer.MeterNames.*;

/**
 * The sink's meters in one registry. A {@code df2redis.sink.skipped} counter per reason is registered
 * by the first read that sees the reason. Threads: the registry's (any). The meters reference the
 * sink weakly (Micrometer's way: a sink no longer referenced by the host reads NaN) and this object
 * through their functions.
 */
final class SinkBinding {
    private final RedisSink sink;
    private final Tags tags;
    private final MeterRegistry registry;
    private final Set<String> reasons = ConcurrentHashMap.newKeySet();

    SinkBinding(RedisSink sink, Tags tags, MeterRegistry registry) {
        this.sink = sink;
        this.tags = tags;
        this.registry = registry;
    }

    void bind() {
        counter(SINK_COMMANDS, Tags.empty(), "commands sent to Redis", RedisSinkStats::commands);
        counter(SINK_OPERATIONS, Tags.empty(), "operations sent to Redis (an MSET counts per key)",
                RedisSinkStats::operationsSent);
        counter(SINK_ERRORS, Tags.empty(), "error replies and failed connections", RedisSinkStats::errors);
        counter(SINK_REDIRECTS, Tags.of("type", "moved"), "cluster redirects followed", RedisSinkStats::movedRedirects);
        counter(SINK_REDIRECTS, Tags.of("type", "ask"), "cluster redirects followed", RedisSinkStats::askRedirects);
        counter(SINK_CLUSTER_RETRIES, Tags.empty(), "commands re-sent after TRYAGAIN, CLUSTERDOWN or LOADING",
                RedisSinkStats::clusterRetries);
        counter(SINK_TOPOLOGY_REFRESHES, Tags.empty(), "cluster slot map reads", RedisSinkStats::topologyRefreshes);
        counter(SINK_FLAGS_DROPPED, Tags.empty(), "Dragonfly sticky/memcached flags dropped",
                RedisSinkStats::dfMaskIgnored);
        io.micrometer.core.instrument.Gauge.builder(SINK_IN_FLIGHT, sink, s -> stats().inFlight()).tags(tags)
                .description("commands sent to Redis and not answered yet").register(registry);
        stats();
    }

    private void counter(String name, Tags extra, String description, ToLongFunction<RedisSinkStats> f) {
        FunctionCounter.builder(name, sink, s -> f.applyAsLong(stats())).tags(tags).tags(extra)
                .description(description).register(registry);
    }

    /** The sink's counters; registers a skipped counter for each reason seen for the first time. */
    RedisSinkStats stats() {
        RedisSinkStats st = sink.stats();
        for (String reason : st.skippedByReason().keySet()) {
            if (reasons.add(reason)) {
                FunctionCounter.builder(SINK_SKIPPED, sink,
                                s -> stats().skippedByReason().getOrDefault(reason, 0L))
                        .tags(tags).tag("reason", reason)
                        .description("keys or commands not reproduced").register(registry);
            }
        }
        return st;
    }
}
