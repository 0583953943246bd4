package io.df2redis.micrometer;

/**
 * The names of the meters {@link ReplicatorMetrics} registers (Micrometer's dotted form; Prometheus
 * shows {@code df2redis.flow.applied.lsn} as {@code df2redis_flow_applied_lsn}, counters with
 * {@code _total}, time gauges in seconds with {@code _seconds}). Tags: {@code flow} (the flow
 * index) on every {@code df2redis.flow.*} meter, {@code state}, {@code reason} and {@code type}
 * where noted, plus the tags given to {@link ReplicatorMetrics#withTags(String...)}.
 */
public final class MeterNames {
    /** Gauge, tag {@code state} (one per {@code ReplicationState}, lower case): 1 for the current state, else 0. */
    public static final String REPLICATOR_STATE = "df2redis.replicator.state";
    /** Gauge: flows of the current session (0 before the handshake). */
    public static final String REPLICATOR_FLOWS = "df2redis.replicator.flows";
    /** FunctionCounter: replication sessions started (1 + reconnects). */
    public static final String REPLICATOR_SESSIONS = "df2redis.replicator.sessions";
    /** FunctionCounter: reconnects (sessions after the first). */
    public static final String REPLICATOR_RECONNECTS = "df2redis.replicator.reconnects";
    /** FunctionCounter: full syncs started. */
    public static final String REPLICATOR_FULL_SYNCS = "df2redis.replicator.full.syncs";
    /** FunctionCounter: failed host callbacks retried under {@code HandlerFailurePolicy.retry}. */
    public static final String REPLICATOR_HANDLER_RETRIES = "df2redis.replicator.handler.retries";
    /** FunctionCounter: failures handed to the dead-letter handler under {@code HandlerFailurePolicy.skip}. */
    public static final String REPLICATOR_DEAD_LETTERS = "df2redis.replicator.dead.letters";

    /** Gauge, tag {@code flow}: LSN of the last journal entry received (0 before stable sync). */
    public static final String FLOW_RECEIVED_LSN = "df2redis.flow.received.lsn";
    /** Gauge, tag {@code flow}: the next LSN not applied yet (what {@code REPLCONF ACK} reports). */
    public static final String FLOW_APPLIED_LSN = "df2redis.flow.applied.lsn";
    /** Gauge, tag {@code flow}: the LSN of the last {@code REPLCONF ACK} sent. */
    public static final String FLOW_ACKED_LSN = "df2redis.flow.acked.lsn";
    /** Gauge, tag {@code flow}: journal entries received and not applied yet. */
    public static final String FLOW_LAG_ENTRIES = "df2redis.flow.lag.entries";
    /**
     * TimeGauge (milliseconds; seconds in Prometheus), tag {@code flow}: how long the oldest journal
     * entry not applied yet has waited since it arrived ({@code FlowStats.lag()}); 0 when nothing
     * received is waiting.
     */
    public static final String FLOW_LAG = "df2redis.flow.lag";
    /** FunctionCounter, tag {@code flow}: snapshot keys decoded (all applied once the full sync is reached). */
    public static final String FLOW_SNAPSHOT_ENTRIES = "df2redis.flow.snapshot.entries";
    /** FunctionCounter, tag {@code flow}: journal entries received (decoded). */
    public static final String FLOW_JOURNAL_RECEIVED = "df2redis.flow.journal.received";
    /** FunctionCounter, tag {@code flow}: journal entries applied (received minus the lag in entries). */
    public static final String FLOW_JOURNAL_APPLIED = "df2redis.flow.journal.applied";
    /** FunctionCounter (bytes), tag {@code flow}: bytes read from the master (snapshot and journal). */
    public static final String FLOW_RECEIVED = "df2redis.flow.received";
    /**
     * FunctionCounter (bytes), tag {@code flow}: decoded events the sink confirmed, snapshot and journal
     * (the replicator's size estimate, as {@link #FLOW_QUEUED}).
     */
    public static final String FLOW_APPLIED = "df2redis.flow.applied";
    /** Gauge (bytes), tag {@code flow}: events decoded and not applied yet (estimated). */
    public static final String FLOW_QUEUED = "df2redis.flow.queued";
    /** Gauge (bytes), tag {@code flow}: the highest {@link #FLOW_QUEUED} of the session. */
    public static final String FLOW_QUEUED_MAX = "df2redis.flow.queued.max";
    /** FunctionCounter, tag {@code flow}: times reading was paused by back-pressure. */
    public static final String FLOW_PAUSES = "df2redis.flow.pauses";
    /** FunctionCounter (seconds), tag {@code flow}: total time reading was paused. */
    public static final String FLOW_PAUSED = "df2redis.flow.paused";
    /** Gauge (bytes), tag {@code flow}: bytes spilled to disk and not decoded yet. */
    public static final String FLOW_SPILLED = "df2redis.flow.spilled";
    /** FunctionCounter (bytes), tag {@code flow}: every byte spilled to disk. */
    public static final String FLOW_SPILL_WRITTEN = "df2redis.flow.spill.written";
    /** TimeGauge, tag {@code flow}: age of the oldest spilled byte; 0 when nothing is spilled. */
    public static final String FLOW_SPILL_AGE = "df2redis.flow.spill.age";

    /** FunctionCounter: commands sent to Redis ({@code SELECT} included). */
    public static final String SINK_COMMANDS = "df2redis.sink.commands";
    /**
     * FunctionCounter: operations sent to Redis, what a rate limit counts: a command each, an
     * {@code MSET} of batched snapshot strings one per key.
     */
    public static final String SINK_OPERATIONS = "df2redis.sink.operations";
    /** Gauge: commands sent to Redis and not answered yet, over every connection of the session. */
    public static final String SINK_IN_FLIGHT = "df2redis.sink.in.flight";
    /** FunctionCounter: error replies and failed connections. */
    public static final String SINK_ERRORS = "df2redis.sink.errors";
    /** FunctionCounter, tag {@code reason}: keys or commands not reproduced (unsupported-data policy). */
    public static final String SINK_SKIPPED = "df2redis.sink.skipped";
    /** FunctionCounter, tag {@code type} ({@code moved} or {@code ask}): cluster redirects followed. */
    public static final String SINK_REDIRECTS = "df2redis.sink.redirects";
    /** FunctionCounter: commands re-sent after {@code TRYAGAIN}, {@code CLUSTERDOWN} or {@code LOADING}. */
    public static final String SINK_CLUSTER_RETRIES = "df2redis.sink.cluster.retries";
    /** FunctionCounter: times the cluster slot map was read. */
    public static final String SINK_TOPOLOGY_REFRESHES = "df2redis.sink.topology.refreshes";
    /** FunctionCounter: Dragonfly sticky/memcached flags dropped (no Redis equivalent). */
    public static final String SINK_FLAGS_DROPPED = "df2redis.sink.flags.dropped";

    private MeterNames() {
    }
}
