package io.df2redis.sink.redis;

import io.df2redis.protocol.client.RespClientOptions;
import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.ReplicationSink;
import io.df2redis.replica.SinkEvent;
import io.df2redis.sink.redis.internal.CheckpointTarget;
import io.df2redis.sink.redis.internal.ClusterCheckpointKeys;
import io.df2redis.sink.redis.internal.SlotCheckpoints;
import io.df2redis.sink.redis.internal.ConnectFailures;
import io.df2redis.sink.redis.internal.DbMapping;
import io.df2redis.sink.redis.internal.FlowWriter;
import io.df2redis.sink.redis.internal.FullSyncGate;
import io.df2redis.sink.redis.internal.Lane;
import io.df2redis.sink.redis.internal.SinkState;
import io.df2redis.sink.redis.internal.StandaloneLane;
import io.df2redis.sink.redis.internal.TargetConnection;
import io.df2redis.sink.redis.internal.TargetInfo;
import io.df2redis.sink.redis.internal.TargetNodes;
import io.df2redis.sink.redis.internal.cluster.ClusterLane;
import io.df2redis.sink.redis.internal.cluster.ClusterRouter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ReplicationSink} that writes the replicated keyspace into a standalone Redis server
 * ({@link #standalone}) or a Redis Cluster ({@link #cluster}).
 *
 * <pre>{@code
 * RedisSink sink = RedisSink.standalone("redis://default:secret@redis.internal:6379")
 *         .unsupportedDataPolicy(UnsupportedDataPolicy.SKIP_AND_COUNT)
 *         .build();
 * Replicator.builder().source("dragonfly.internal", 6379).ownedSink(sink).build().start();
 * }</pre>
 *
 * <p><b>Connections and order.</b> At {@link #open} (once per replication session) the sink opens
 * one control connection and one connection per replication flow; each flow's commands are
 * pipelined on its own connection (at most {@link RedisSinkOptions#maxInFlight()} unanswered), so flow order
 * is Redis order. The db of every command is selected with {@code SELECT} when the connection's
 * current db differs. A {@link SinkEvent.GlobalCommand} (FLUSHALL/FLUSHDB) runs once, on the
 * control connection, after the replicator drained every flow.
 *
 * <p><b>Full sync and keys already in the target.</b> What happens to them is the explicit
 * {@link FullSyncTargetPolicy} ({@link RedisSinkOptions.Builder#fullSyncTargetPolicy}), checked at
 * {@link SinkEvent.FullSyncStart} with {@code INFO keyspace} on the target (every master of a
 * cluster), in the dbs the sink may write ({@link RedisSink.Builder#writesTo}):
 * {@link FullSyncTargetPolicy#REFUSE_NON_EMPTY} (the default) fails with a non-retryable
 * {@link TargetNotEmptyException} naming the dbs and their key counts, writing nothing;
 * {@link FullSyncTargetPolicy#FLUSH} runs {@code FLUSHDB} on each of them that holds keys, logged at
 * WARN with the key count per db and the target's address; {@link FullSyncTargetPolicy#UPSERT} keeps
 * them. A full sync that comes again in this sink's lifetime (the replicator reconnected and could not
 * resume) flushes the dbs this sink wrote, logged at WARN, under {@code REFUSE_NON_EMPTY} as under
 * {@code FLUSH}, so that keys the source deleted meanwhile do not survive. When the dbs were empty or
 * flushed, snapshot values are written without a {@code DEL} first (the key cannot exist yet: its
 * snapshot entry precedes every journal write to it); under {@code UPSERT}, and in a db several
 * source dbs are {@linkplain RedisSinkOptions.Builder#mapDatabase merged} into, every snapshot key is an upsert
 * ({@code DEL} then native writes, or {@code SET} for strings) unless the {@link KeyConflictPolicy}
 * keeps the target's key or stops at it.
 *
 * <p><b>The target must not be the source.</b> At {@link #open} the sink reads {@code INFO server}
 * and {@code INFO replication} of the target (each master of a cluster); a target whose
 * {@code master_replid} is the source's replication id ({@link MasterInfo#masterId()}) is the source
 * itself under another address, and the session fails with a non-retryable
 * {@link SameServerException} before anything is written. There is no override: replicating a
 * server into itself can only destroy its data.
 *
 * <p><b>Secrets.</b> The password is sent in {@code AUTH} only: {@link #toString()},
 * {@link Builder#toString()}, exceptions and log lines name the target by address, never with
 * credentials.
 *
 * <p><b>Translation and Redis Cluster.</b> How each value type and Dragonfly-only command is
 * written, and how commands are routed, redirected and split on a cluster: see the
 * {@linkplain io.df2redis.sink.redis package documentation}.
 *
 * <p><b>Completion.</b> The stage {@link #apply} returns completes when Redis answered every
 * command the event produced; an error reply fails it with a {@link RedisCommandException} naming
 * command and key, a broken connection with a {@link TargetConnectionException}; every failure is a
 * {@link RedisSinkException} naming the target endpoint. The replicator only
 * advances (and acknowledges) its applied LSN over completed stages, so no write is acknowledged
 * to the master before Redis confirmed it. A multi-key transaction the master split across flows
 * is applied per flow, not atomically.
 *
 * <p><b>Options.</b> {@link #standalone} and {@link #cluster} return a mutable {@link Builder}
 * (address from a URI, then the settings of {@link RedisSinkOptions.Builder}); or build the parts
 * yourself and call {@link #create(RedisEndpoint, RedisSinkOptions)}.
 *
 * <p>Thread ownership: {@link #apply} may be called concurrently for different flows (each flow's
 * {@link FlowWriter} is used by its applier only). {@code control}, {@code flows}, {@code target}
 * and {@code router} are volatile, written under this sink's lock by {@link #open}/{@link #close}
 * (synchronized) and read by the appliers; {@code nodes} is guarded by the lock; the counters and
 * the full-sync state live in {@link SinkState} (see there).
 *
 * <p>Why one class: it is the sink's public face and lifecycle (open per session, apply, close)
 * over parts that live elsewhere (options, endpoint, lanes, writers, the full-sync gate, the
 * checkpoint store); what remains here is the per-session wiring of those parts, which splitting
 * would only scatter.
 */
public final class RedisSink implements ReplicationSink {
    private final RedisEndpoint endpoint;
    private final RedisSinkOptions options;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final RespClientOptions clientOptions;
    private final SinkState state;
    private final TargetNodes nodes = new TargetNodes();
    private volatile ClusterRouter router;
    private volatile FlowWriter control;
    private volatile FlowWriter[] flows = new FlowWriter[0];
    private volatile TargetInfo target;
    private volatile boolean closed;
    private volatile TargetCheckpointStore checkpointStore;
    private ScheduledExecutorService lingerTimer; // guarded by this sink's lock

    private RedisSink(RedisEndpoint endpoint, RedisSinkOptions options) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.options = Objects.requireNonNull(options, "options");
        this.state = new SinkState(options);
        this.clientOptions = ClientOptions.of(options, "Redis target");
        this.ownsGroup = options.eventLoopGroup() == null;
        this.group = ownsGroup ? new NioEventLoopGroup(options.ioThreads()) : options.eventLoopGroup();
    }

    /**
     * A sink writing into {@code endpoint} with {@code options}.
     *
     * @param endpoint the standalone server or cluster
     * @param options the settings
     * @return the sink (connects at {@link #open})
     */
    public static RedisSink create(RedisEndpoint endpoint, RedisSinkOptions options) {
        return new RedisSink(endpoint, options);
    }

    /**
     * A sink for one Redis server: {@code host:port}, {@code redis://[user:password@]host[:port][/db]}
     * or {@code rediss://…} (TLS with the JVM's trust store unless {@link Builder#ssl} is set). The
     * password never appears in messages, logs or {@code toString()}.
     *
     * @param uri the server
     * @return a builder with the address, credentials and TLS of the URI
     * @throws IllegalArgumentException when the URI cannot be parsed (the message hides its credentials)
     */
    public static Builder standalone(String uri) {
        RedisUri u = RedisUri.parse(uri);
        Builder b = new Builder(RedisEndpoint.standalone(u.address(), u.database()));
        b.options(o -> o.user(u.user(), u.password()).tls(u.tls()));
        return b;
    }

    /**
     * A sink for a Redis Cluster, found through any of its nodes: each seed is {@code host:port} or
     * a {@code redis://} / {@code rediss://} URI; credentials and TLS come from the first seed that
     * has them, or from the builder. The cluster's own node addresses are used after discovery.
     *
     * @param seeds at least one node
     * @return a builder
     * @throws IllegalArgumentException when there is no seed, one cannot be parsed or names a db
     */
    public static Builder cluster(String... seeds) {
        RedisUri.Cluster c = RedisUri.cluster(seeds);
        Builder b = new Builder(c.endpoint());
        b.options(o -> o.user(c.user(), c.password()).tls(c.tls()));
        return b;
    }

    /** Where this sink writes. */
    public RedisEndpoint endpoint() {
        return endpoint;
    }

    /** The sink's settings. */
    public RedisSinkOptions options() {
        return options;
    }

    /** Whether this sink writes into a Redis Cluster. */
    public boolean isCluster() {
        return endpoint.isCluster();
    }

    /** The target's {@code major.minor} version, known after {@link #open}; null before. */
    public String targetVersion() {
        return target == null ? null : target.major() + "." + target.minor();
    }

    /**
     * The sink's exactly-once checkpoint store, kept in the target ({@link TargetCheckpointStore}, hash
     * {@link TargetCheckpointStore#DEFAULT_KEY} in the endpoint's db; on a Redis Cluster also one hash
     * per slot): give it to {@code Replicator.builder().checkpointStore(…)}. From its first call on,
     * the sink writes every stable-sync journal entry in a transaction with the position it reaches,
     * and names its target by that checkpoint only (no {@code run_id} identity, no resume refusal: a
     * target that lost data lost the checkpoint too). Call it before the replicator starts; every call
     * returns the same store.
     *
     * @return the store
     */
    public synchronized TargetCheckpointStore checkpointStore() {
        if (checkpointStore == null) {
            String key = TargetCheckpointStore.DEFAULT_KEY;
            checkpointStore = isCluster()
                    ? new TargetCheckpointStore(key, 0, options.describe(endpoint), null, options.replyTimeout(),
                        new ClusterCheckpointKeys(this::router, state.commands, new SlotCheckpoints(key), key,
                                options.replyTimeout(), "the checkpoint of " + options.describe(endpoint)))
                    : new TargetCheckpointStore(key, endpoint.database(), options.describe(endpoint),
                        () -> connect(endpoint.address(), "checkpoint"), options.replyTimeout());
        }
        return checkpointStore;
    }

    /** The cluster router, created on first use (a session's open or the checkpoint store). */
    private synchronized ClusterRouter router() {
        if (router == null) {
            router = new ClusterRouter(endpoint.seeds(), this::connect, options.tls(),
                    options.maxRedirects(), options.clusterRetryTimeout(), options.connectTimeout().plusSeconds(5));
        }
        return router;
    }

    /** The sink's linger timer (open transactions and MSET batches), created on first use. */
    private synchronized ScheduledExecutorService timer() {
        if (lingerTimer == null) {
            lingerTimer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "df2redis-sink-linger");
                t.setDaemon(true);
                return t;
            });
        }
        return lingerTimer;
    }

    /** The checkpoint of this session's writers, or null without a {@link #checkpointStore()}. */
    private CheckpointTarget checkpointTarget() {
        TargetCheckpointStore store = checkpointStore;
        if (store == null) {
            return null;
        }
        return new CheckpointTarget(store.key().getBytes(StandardCharsets.UTF_8), isCluster() ? 0 : endpoint.database(),
                timer(), store::header, store.slots());
    }

    /** The current counters. */
    public RedisSinkStats stats() {
        long inFlight = 0;
        FlowWriter c = control;
        if (c != null) {
            inFlight += c.lane().inFlight();
        }
        for (FlowWriter w : flows) {
            inFlight += w.lane().inFlight();
        }
        return state.stats(router, inFlight);
    }

    /**
     * Connects (again, on every session): probes each target node ({@code AUTH}, {@code INFO server},
     * {@code INFO replication}, {@code MODULE LIST}) on a short-lived connection, then opens a control
     * connection and one connection per flow. Connections of an earlier session are closed.
     *
     * @throws SameServerException when the target (any master of a cluster) is the source itself
     * @throws TargetAuthenticationException when the target requires a password or rejects the credentials
     * @throws TargetConnectionException when the target cannot be reached
     */
    @Override
    public synchronized void open(MasterInfo master) {
        if (closed) {
            throw new RedisSinkException(endpoint.describeAddress(), "Redis sink closed", null);
        }
        nodes.newSession();
        closeConnections();
        DbMapping dbs = new DbMapping(options.databaseMapping());
        FlowWriter[] fs = new FlowWriter[Math.max(1, master.flowCount())];
        List<Lane> made = new ArrayList<>();
        try {
            if (isCluster()) {
                ClusterRouter r = router();
                r.refresh();
                TargetInfo t = null;
                for (HostAndPort m : r.topology().masters()) {
                    TargetInfo one = probe(m, master);
                    t = t == null ? one : t;
                }
                target = t;
                CheckpointTarget ck = checkpointTarget();
                control = new FlowWriter(add(made, new ClusterLane(r, "control", state.commands)), t, state, dbs, ck,
                        options.keyFilter(), timer());
                for (int i = 0; i < fs.length; i++) {
                    fs[i] = new FlowWriter(add(made, new ClusterLane(r, "flow-" + i, state.commands)), t, state, dbs,
                            ck, options.keyFilter(), timer());
                }
            } else {
                TargetInfo t = probe(endpoint.address(), master);
                target = t;
                Duration replyTimeout = options.connectTimeout().plusSeconds(30);
                CheckpointTarget ck = checkpointTarget();
                control = new FlowWriter(add(made, new StandaloneLane(connect(endpoint.address(), "control"),
                        endpoint.database(), state.commands, replyTimeout)), t, state, dbs, ck, options.keyFilter(),
                        timer());
                for (int i = 0; i < fs.length; i++) {
                    fs[i] = new FlowWriter(add(made, new StandaloneLane(connect(endpoint.address(), "flow-" + i),
                            endpoint.database(), state.commands, replyTimeout)), t, state, dbs, ck,
                            options.keyFilter(), timer());
                }
            }
        } catch (RuntimeException e) {
            made.forEach(Lane::close); // a half-opened session must not leak connections
            control = null;
            throw e;
        }
        flows = fs;
    }

    private static Lane add(List<Lane> made, Lane l) {
        made.add(l);
        return l;
    }

    /** Probes one node on a short-lived connection; refuses a server that is the source itself. */
    private TargetInfo probe(HostAndPort at, MasterInfo master) {
        try (TargetConnection c = connect(at, "probe")) {
            state.commands.add(3);
            return nodes.probe(c, master, options.connectTimeout().plusSeconds(5));
        } catch (RedisCommandException e) {
            state.errors.increment();
            throw e;
        }
    }

    /**
     * Opens one connection: TCP, TLS, {@code AUTH}, {@code PING} and (standalone, db other than 0)
     * {@code SELECT}, blocking the calling thread for at most the connect timeout plus a reply.
     */
    private TargetConnection connect(HostAndPort at, String name) {
        int db = isCluster() ? 0 : endpoint.database();
        state.commands.add(1 + (options.hasPassword() ? 1 : 0) + (db != 0 ? 1 : 0));
        try {
            return TargetConnection.connect(group, at, clientOptions, name, options.maxInFlight(), db,
                    ConnectFailures.TARGET, state.throttle);
        } catch (RuntimeException e) {
            state.errors.increment();
            throw e;
        }
    }

    /**
     * Refuses a resume when a target node restarted since the previous session (its
     * {@code run_id} changed): even with persistence it may have lost confirmed writes (an RDB
     * snapshot is older than the last write; without persistence it is empty), so the replicator
     * runs a full sync, under this sink's full-sync target policy for keys it wrote itself.
     */
    @Override
    public synchronized Optional<String> resumeRefusal() {
        return checkpointStore != null ? Optional.empty() : nodes.resumeRefusal();
    }

    /**
     * The target as a checkpoint names it: the {@code run_id} of every node this session opened
     * (the one server, or every master of the cluster; random per process start, so another server
     * or a restarted one — which may have lost confirmed writes — has another) and the db mapping.
     * A checkpoint saved with another identity is not resumed from: the replicator runs a full sync.
     * For example {@code redis run_id 5f0c…} or {@code redis-cluster run_ids 1a…,9c… map-db 1:0};
     * never a secret. Empty before the first {@link #open}.
     */
    @Override
    public synchronized Optional<String> targetIdentity() {
        if (checkpointStore != null) {
            return Optional.empty(); // the checkpoint in the target is the identity
        }
        return nodes.identity(isCluster(), options.databaseMapping());
    }

    /**
     * The identity a target of these nodes has, in the format of {@link #targetIdentity()}, for
     * hosts that probe the target themselves before a session (e.g. with {@link ServerProbe}) and
     * compare it with a checkpoint's.
     *
     * @param cluster whether the target is a Redis Cluster
     * @param runIdByNode every node ({@code host:port}: the one server, or every master) and its
     *     {@code run_id} ({@link ServerIdentity#runId()}), null when it reports none
     * @param databaseMapping the sink's db mapping ({@link RedisSinkOptions#databaseMapping()})
     * @return the identity, e.g. {@code redis-cluster run_ids 1a…,9c… map-db 1:0}; never a secret
     */
    public static String identityOf(boolean cluster, Map<String, String> runIdByNode,
                                    Map<Integer, Integer> databaseMapping) {
        return TargetNodes.format(cluster, runIdByNode, databaseMapping);
    }

    /**
     * Applies one event: a full-sync start applies the {@link FullSyncTargetPolicy} (on the calling
     * thread), a global command runs on the control connection, anything else on its flow's
     * connection. The stage completes when Redis answered every command of the event.
     */
    @Override
    public CompletionStage<Void> apply(SinkEvent event) {
        FlowWriter ctl = control;
        if (ctl == null) {
            return CompletableFuture.failedFuture(new RedisSinkException(endpoint.describeAddress(),
                    "Redis sink not open", null));
        }
        if (event instanceof SinkEvent.FullSyncStart) {
            try {
                TargetCheckpointStore ck = checkpointStore;
                int ownKeyDb = ck != null && ck.exists() ? (isCluster() ? 0 : endpoint.database()) : -1;
                return FullSyncGate.prepare(ctl, state, options.fullSyncTargetPolicy(),
                        new DbMapping(options.databaseMapping()), isCluster(), options.describe(endpoint),
                        options.replyTimeout(), ownKeyDb, options.keyConflictPolicy());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        if (event instanceof SinkEvent.GlobalCommand) {
            return ctl.apply(event);
        }
        FlowWriter[] fs = flows;
        int f = event.flow();
        FlowWriter w = f >= 0 && f < fs.length ? fs[f] : ctl;
        return w.apply(event);
    }

    /** True: a whole small key comes as one {@link SinkEvent.Entry}, written like its three events. */
    @Override
    public boolean acceptsWholeEntries() {
        return true;
    }

    /** {@code RedisSink{Redis 127.0.0.1:6379 (password set), policy REFUSE_NON_EMPTY, open}}; never the password. */
    @Override
    public String toString() {
        return "RedisSink{" + options.describe(endpoint) + ", policy " + options.fullSyncTargetPolicy()
                + (closed ? ", closed" : control != null ? ", open" : "") + "}";
    }

    /** Closes every connection and, unless injected, the event loop group; the sink cannot be opened again. */
    @Override
    public synchronized void close() {
        closed = true;
        closeConnections();
        if (checkpointStore != null) {
            checkpointStore.close();
        }
        if (lingerTimer != null) {
            lingerTimer.shutdownNow();
        }
        if (router != null) {
            router.close();
        }
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private void closeConnections() {
        if (control != null) {
            control.commitCheckpoint();
            control.lane().close();
            control = null;
        }
        for (FlowWriter w : flows) {
            w.commitCheckpoint();
            w.lane().close();
        }
        flows = new FlowWriter[0];
    }

    /**
     * Builds a {@link RedisSink}: the endpoint from {@link #standalone} / {@link #cluster}, the
     * settings of {@link RedisSinkOptions.Builder} through the setters of
     * {@link AbstractRedisSinkBuilder} (each sets the same option there and validates it the same
     * way). A normal mutable builder: every setter changes this builder and returns it, in any
     * order; {@link #build()} may be called more than once. Not thread-safe. {@link #toString()}
     * never shows the password.
     */
    public static final class Builder extends AbstractRedisSinkBuilder<Builder> {
        private Builder(RedisEndpoint endpoint) {
            super(endpoint);
        }

        /**
         * The sink.
         *
         * @throws IllegalArgumentException when the options do not fit together
         */
        public RedisSink build() {
            return new RedisSink(endpoint(), buildOptions());
        }
    }
}
