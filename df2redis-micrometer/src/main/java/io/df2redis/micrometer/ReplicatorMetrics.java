package io.df2redis.micrometer;

import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.RedisSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Objects;

/**
 * Micrometer meters for a {@link Replicator} and, optionally, the {@link RedisSink} it writes into:
 *
 * <pre>{@code
 * ReplicatorMetrics.of(replicator).withSink(sink).withTags("pipeline", "orders").bindTo(registry);
 * }</pre>
 *
 * <p>Every meter is a gauge or a {@code FunctionCounter} that reads {@link Replicator#stats()} and
 * {@link RedisSink#stats()} when the registry asks (a scrape): no thread, no timer, nothing counted
 * on the replication path. Counters only grow, so a registry derives rates ({@code rate()} in
 * Prometheus): applied entries/s from {@code df2redis.flow.journal.applied}, bytes/s from
 * {@code df2redis.flow.received}. Units are Micrometer base units: a Prometheus registry appends them
 * ({@code _bytes}, {@code _seconds}) and {@code _total} to counters.
 *
 * <table>
 * <caption>Meters (each one's meaning: {@link MeterNames})</caption>
 * <tr><th>Micrometer name</th><th>Prometheus series</th><th>kind</th><th>tags</th></tr>
 * <tr><td>{@code df2redis.replicator.state}</td><td>{@code df2redis_replicator_state}</td><td>gauge 0/1</td>
 *     <td>{@code state}</td></tr>
 * <tr><td>{@code df2redis.replicator.flows}</td><td>{@code df2redis_replicator_flows}</td><td>gauge</td><td></td></tr>
 * <tr><td>{@code df2redis.replicator.sessions}, {@code .reconnects}, {@code .full.syncs},
 *     {@code .handler.retries}, {@code .dead.letters}</td><td>{@code df2redis_replicator_sessions_total} …</td>
 *     <td>counters</td><td></td></tr>
 * <tr><td>{@code df2redis.flow.received.lsn}, {@code .applied.lsn}, {@code .acked.lsn}</td>
 *     <td>{@code df2redis_flow_applied_lsn} …</td><td>gauges</td><td>{@code flow}</td></tr>
 * <tr><td>{@code df2redis.flow.lag.entries}</td><td>{@code df2redis_flow_lag_entries}</td><td>gauge</td>
 *     <td>{@code flow}</td></tr>
 * <tr><td>{@code df2redis.flow.lag}</td><td>{@code df2redis_flow_lag_seconds}</td><td>time gauge</td>
 *     <td>{@code flow}</td></tr>
 * <tr><td>{@code df2redis.flow.snapshot.entries}, {@code .journal.received}, {@code .journal.applied}</td>
 *     <td>{@code df2redis_flow_journal_applied_total} …</td><td>counters</td><td>{@code flow}</td></tr>
 * <tr><td>{@code df2redis.flow.received}, {@code .applied}</td><td>{@code df2redis_flow_received_bytes_total},
 *     {@code df2redis_flow_applied_bytes_total}</td><td>counters (bytes)</td><td>{@code flow}</td></tr>
 * <tr><td>{@code df2redis.flow.queued}, {@code .queued.max}, {@code .spilled}</td>
 *     <td>{@code df2redis_flow_queued_bytes} …</td><td>gauges (bytes)</td><td>{@code flow}</td></tr>
 * <tr><td>{@code df2redis.flow.spill.written}</td><td>{@code df2redis_flow_spill_written_bytes_total}</td>
 *     <td>counter (bytes)</td><td>{@code flow}</td></tr>
 * <tr><td>{@code df2redis.flow.spill.age}</td><td>{@code df2redis_flow_spill_age_seconds}</td><td>time gauge</td>
 *     <td>{@code flow}</td></tr>
 * <tr><td>{@code df2redis.flow.pauses}, {@code .paused}</td><td>{@code df2redis_flow_pauses_total},
 *     {@code df2redis_flow_paused_seconds_total}</td><td>counters</td><td>{@code flow}</td></tr>
 * <tr><td>{@code df2redis.sink.commands}, {@code .operations}, {@code .errors}, {@code .cluster.retries},
 *     {@code .topology.refreshes}, {@code .flags.dropped}</td><td>{@code df2redis_sink_commands_total} …</td>
 *     <td>counters</td><td></td></tr>
 * <tr><td>{@code df2redis.sink.in.flight}</td><td>{@code df2redis_sink_in_flight}</td><td>gauge</td>
 *     <td></td></tr>
 * <tr><td>{@code df2redis.sink.skipped}</td><td>{@code df2redis_sink_skipped_total}</td><td>counter</td>
 *     <td>{@code reason}</td></tr>
 * <tr><td>{@code df2redis.sink.redirects}</td><td>{@code df2redis_sink_redirects_total}</td><td>counter</td>
 *     <td>{@code type}: {@code moved}, {@code ask}</td></tr>
 * </table>
 *
 * <p><b>Meters that appear later.</b> The flows are known after the replicator's handshake and the
 * skip reasons when a key is first skipped: the {@code flow}- and {@code reason}-tagged meters are
 * registered by the first read of this binder's meters that sees them (flows already known at
 * {@link #bindTo} are registered at once). A Prometheus scrape therefore shows them from the scrape
 * after the one that found them. A flow the current session lacks reads {@code NaN} on its gauges.
 *
 * <p><b>Lag in time.</b> Dragonfly's journal carries no write time, so the lag is measured from
 * arrival: {@code FlowStats.lag()}, the time since the socket read that brought the oldest journal
 * entry not applied yet (to 1 ms; see there). Applied bytes are the replicator's estimate of the
 * decoded events the sink confirmed ({@code FlowStats.appliedBytes()}), not wire bytes. Counters built
 * from figures that restart with each session (snapshot entries, journal entries, applied and spilled
 * bytes) add the new session's figures to the total; what a session counted after the last read
 * before it ended is not seen.
 *
 * <p>Immutable and thread-safe; {@code with*} return a new instance. Each {@link #bindTo} registers
 * an independent set of meters (one per registry). Meter functions run on the registry's threads.
 */
public final class ReplicatorMetrics implements MeterBinder {
    private final Replicator replicator;
    private final RedisSink sink;
    private final Tags tags;

    private ReplicatorMetrics(Replicator replicator, RedisSink sink, Tags tags) {
        this.replicator = replicator;
        this.sink = sink;
        this.tags = tags;
    }

    /**
     * Meters for a replicator (without sink meters).
     *
     * @param replicator the replicator; it may be bound before or after {@link Replicator#start()}
     * @return the binder
     */
    public static ReplicatorMetrics of(Replicator replicator) {
        return new ReplicatorMetrics(Objects.requireNonNull(replicator, "replicator"), null, Tags.empty());
    }

    /**
     * The same meters plus the {@code df2redis.sink.*} meters of {@code sink}.
     *
     * @param sink the Redis sink the replicator writes into
     * @return a new binder
     */
    public ReplicatorMetrics withSink(RedisSink sink) {
        return new ReplicatorMetrics(replicator, Objects.requireNonNull(sink, "sink"), tags);
    }

    /**
     * The same meters with extra common tags (for instance to tell several pipelines apart).
     *
     * @param keyValues tag keys and values, alternating
     * @return a new binder
     */
    public ReplicatorMetrics withTags(String... keyValues) {
        return withTags(Tags.of(keyValues));
    }

    /**
     * The same meters with extra common tags.
     *
     * @param extra the tags
     * @return a new binder
     */
    public ReplicatorMetrics withTags(Iterable<Tag> extra) {
        return new ReplicatorMetrics(replicator, sink, tags.and(extra));
    }

    /**
     * Registers the meters in {@code registry}.
     *
     * @param registry the registry
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        new ReplicatorBinding(replicator, tags, registry).bind();
        if (sink != null) {
            new SinkBinding(sink, tags, registry).bind();
        }
    }

    @Override
    public String toString() {
        return "ReplicatorMetrics[" + replicator + (sink == null ? "" : ", " + sink) + ", tags=" + tags + "]";
    }
}
