package io.df2redis.micrometer;

import io.df2redis.replica.FlowStats;
import io.df2redis.replica.ReplicationState;
import io.df2redis.replica.ReplicationStats;
import io.df2redis.replica.Replicator;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import static io.df2redis.micrometer.MeterNames.*;

/**
 * The replicator's meters in one registry: the replicator-wide ones at {@link #bind()}, each flow's
 * when a read of {@link #stats()} first sees it. Threads: the registry's (any); the flow map is
 * concurrent and a flow's meters are registered once (by the read that put it in the map first).
 * The meters reference the replicator weakly (Micrometer's way: a replicator no longer referenced by
 * the host reads NaN) and this object through their functions.
 */
final class ReplicatorBinding {
    private final Replicator replicator;
    private final Tags tags;
    private final MeterRegistry registry;
    private final Map<Integer, FlowMeters> flows = new ConcurrentHashMap<>();

    ReplicatorBinding(Replicator replicator, Tags tags, MeterRegistry registry) {
        this.replicator = replicator;
        this.tags = tags;
        this.registry = registry;
    }

    void bind() {
        for (ReplicationState s : ReplicationState.values()) {
            Gauge.builder(REPLICATOR_STATE, replicator, r -> r.state() == s ? 1 : 0)
                    .tags(tags).tag("state", s.name().toLowerCase(Locale.ROOT))
                    .description("1 for the replicator's current state, else 0")
                    .register(registry);
        }
        Gauge.builder(REPLICATOR_FLOWS, replicator, r -> stats().flows().size()).tags(tags)
                .description("flows of the current session").register(registry);
        counter(REPLICATOR_SESSIONS, "replication sessions started", ReplicationStats::sessions);
        counter(REPLICATOR_RECONNECTS, "sessions after the first", s -> Math.max(0, s.sessions() - 1));
        counter(REPLICATOR_FULL_SYNCS, "full syncs started", ReplicationStats::fullSyncs);
        counter(REPLICATOR_HANDLER_RETRIES, "failed host callbacks retried", ReplicationStats::handlerRetries);
        counter(REPLICATOR_DEAD_LETTERS, "failures handed to the dead-letter handler", ReplicationStats::deadLetters);
        stats(); // registers the flows known already
    }

    private void counter(String name, String description, ToLongFunction<ReplicationStats> f) {
        FunctionCounter.builder(name, replicator, r -> f.applyAsLong(stats())).tags(tags).description(description)
                .register(registry);
    }

    /** The replicator's figures; registers the meters of flows seen for the first time. */
    ReplicationStats stats() {
        ReplicationStats st = replicator.stats();
        for (FlowStats f : st.flows()) {
            if (!flows.containsKey(f.flow())) {
                FlowMeters m = new FlowMeters(f.flow());
                if (flows.putIfAbsent(f.flow(), m) == null) {
                    register(m); // outside any map operation: a registry may read a meter while registering it
                }
            }
        }
        return st;
    }

    /** Flow {@code flow}'s figures now, or null when the current session has no such flow. */
    private FlowStats flow(int flow) {
        List<FlowStats> all = stats().flows();
        if (flow < all.size() && all.get(flow).flow() == flow) {
            return all.get(flow);
        }
        for (FlowStats f : all) {
            if (f.flow() == flow) {
                return f;
            }
        }
        return null;
    }

    private void register(FlowMeters m) {
        Tags t = tags.and("flow", Integer.toString(m.flow));
        gauge(m, t, FLOW_RECEIVED_LSN, "LSN of the last journal entry received", null, FlowStats::receivedLsn);
        gauge(m, t, FLOW_APPLIED_LSN, "next LSN not applied yet", null, FlowStats::appliedLsn);
        gauge(m, t, FLOW_ACKED_LSN, "LSN of the last REPLCONF ACK", null, FlowStats::ackedLsn);
        gauge(m, t, FLOW_LAG_ENTRIES, "journal entries received and not applied", null, FlowStats::lagEntries);
        gauge(m, t, FLOW_QUEUED, "events decoded and not applied", "bytes", FlowStats::queuedBytes);
        gauge(m, t, FLOW_QUEUED_MAX, "highest queued bytes of the session", "bytes", FlowStats::maxQueuedBytes);
        gauge(m, t, FLOW_SPILLED, "bytes spilled and not decoded yet", "bytes", FlowStats::spilledBytes);
        TimeGauge.builder(FLOW_LAG, replicator, TimeUnit.MILLISECONDS, r -> m.read(f -> f.lag().toNanos() / 1e6)).tags(t)
                .description("time the oldest journal entry not applied has waited since it arrived")
                .register(registry);
        TimeGauge.builder(FLOW_SPILL_AGE, replicator, TimeUnit.MILLISECONDS,
                        r -> m.read(f -> (double) f.oldestSpilled().toMillis())).tags(t)
                .description("age of the oldest spilled byte").register(registry);
        FunctionCounter.builder(FLOW_SNAPSHOT_ENTRIES, replicator, r -> m.snapshot.update(m.readLong(FlowStats::entries)))
                .tags(t).description("snapshot keys decoded").register(registry);
        FunctionCounter.builder(FLOW_JOURNAL_RECEIVED, replicator, r -> m.journal.update(m.readLong(FlowStats::journalEntries)))
                .tags(t).description("journal entries received").register(registry);
        FunctionCounter.builder(FLOW_JOURNAL_APPLIED, replicator, r -> m.applied.update(
                        m.readLong(f -> Math.max(0, f.journalEntries() - f.lagEntries()))))
                .tags(t).description("journal entries applied").register(registry);
        FunctionCounter.builder(FLOW_RECEIVED, replicator, r -> m.bytes.update(m.readLong(FlowStats::bytesReceived)))
                .tags(t).baseUnit("bytes").description("bytes read from the master").register(registry);
        FunctionCounter.builder(FLOW_APPLIED, replicator, r -> m.appliedBytes.update(m.readLong(FlowStats::appliedBytes)))
                .tags(t).baseUnit("bytes").description("decoded events the sink confirmed (estimated size)")
                .register(registry);
        FunctionCounter.builder(FLOW_PAUSES, replicator, r -> m.pauses.update(m.readLong(FlowStats::pauses)))
                .tags(t).description("times reading was paused by back-pressure").register(registry);
        FunctionCounter.builder(FLOW_PAUSED, replicator, r -> m.paused.update(m.readLong(FlowStats::pausedMillis)) / 1000.0)
                .tags(t).baseUnit("seconds").description("time reading was paused").register(registry);
        FunctionCounter.builder(FLOW_SPILL_WRITTEN, replicator,
                        r -> m.spilled.update(m.readLong(FlowStats::spilledBytesTotal)))
                .tags(t).baseUnit("bytes").description("bytes spilled to disk").register(registry);
    }

    private void gauge(FlowMeters m, Tags t, String name, String description, String unit, ToLongFunction<FlowStats> f) {
        Gauge.builder(name, replicator, r -> m.read(s -> (double) f.applyAsLong(s))).tags(t).description(description)
                .baseUnit(unit).register(registry);
    }

    /** One flow's meter state: the monotonic totals. Threads: any. */
    private final class FlowMeters {
        private final int flow;
        private final MonotonicTotal appliedBytes = new MonotonicTotal();
        private final MonotonicTotal snapshot = new MonotonicTotal();
        private final MonotonicTotal journal = new MonotonicTotal();
        private final MonotonicTotal applied = new MonotonicTotal();
        private final MonotonicTotal bytes = new MonotonicTotal();
        private final MonotonicTotal pauses = new MonotonicTotal();
        private final MonotonicTotal paused = new MonotonicTotal();
        private final MonotonicTotal spilled = new MonotonicTotal();

        FlowMeters(int flow) {
            this.flow = flow;
        }

        /** Reads the flow's figures; NaN without the flow. */
        double read(ToDoubleFunction<FlowStats> f) {
            FlowStats s = flow(flow);
            return s == null ? Double.NaN : f.applyAsDouble(s);
        }

        /** Like {@link #read} for a counter: -1 without the flow. */
        long readLong(ToLongFunction<FlowStats> f) {
            FlowStats s = flow(flow);
            return s == null ? -1 : f.applyAsLong(s);
        }
    }
}
