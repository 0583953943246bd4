package io.df2redis.sink.redis;

import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.MapReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.resp.SimpleString;
import io.df2redis.replica.AuthenticationException;
import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.ReplicationSink;
import io.df2redis.replica.SinkEvent;
import io.df2redis.replica.SinkException;
import io.df2redis.sink.redis.internal.DbMapping;
import io.df2redis.sink.redis.internal.FlowWriter;
import io.df2redis.sink.redis.internal.Lane;
import io.df2redis.sink.redis.internal.RespConnection;
import io.df2redis.sink.redis.internal.StandaloneLane;
import io.df2redis.sink.redis.internal.TargetInfo;
import io.df2redis.sink.redis.internal.cluster.ClusterLane;
import io.df2redis.sink.redis.internal.cluster.ClusterRouter;
import io.df2redis.sink.redis.internal.cluster.NodeAddress;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

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
 * pipelined on its own connection (at most {@link Builder#maxInFlight} unanswered), so flow order
 * is Redis order. The db of every command is selected with {@code SELECT} when the connection's
 * current db differs. A {@link SinkEvent.GlobalCommand} (FLUSHALL/FLUSHDB) runs once, on the
 * control connection, after the replicator drained every flow.
 *
 * <p><b>Full sync and keys already in the target.</b> What happens to them is the explicit
 * {@link FullSyncTargetPolicy} ({@link Builder#fullSyncTargetPolicy}), checked at
 * {@link SinkEvent.FullSyncStart} with {@code INFO keyspace} on the target (every master of a
 * cluster), in the dbs the sink may write ({@link Builder#writesTo}):
 * {@link FullSyncTargetPolicy#REFUSE_NON_EMPTY} (the default) fails with a non-retryable
 * {@link TargetNotEmptyException} naming the dbs and their key counts, writing nothing;
 * {@link FullSyncTargetPolicy#FLUSH} runs {@code FLUSHDB} on each of them that holds keys, logged at
 * WARN with the key count per db and the target's address; {@link FullSyncTargetPolicy#UPSERT} keeps
 * them. A full sync that comes again in this sink's lifetime (the replicator reconnected and could not
 * resume) flushes the dbs this sink wrote, logged at WARN, under {@code REFUSE_NON_EMPTY} as under
 * {@code FLUSH}, so that keys the source deleted meanwhile do not survive. When the dbs were empty or
 * flushed, snapshot values are written without a {@code DEL} first (the key cannot exist yet: its
 * snapshot entry precedes every journal write to it); under {@code UPSERT}, and in a db several
 * source dbs are {@linkplain Builder#mapDatabase merged} into, every snapshot key is an upsert
 * ({@code DEL} then native writes, or {@code SET} for strings).
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
 * <p><b>Translation.</b> Snapshot values are written with native commands: strings {@code SET}
 * (+ {@code APPEND} for chunks of big strings), lists {@code RPUSH}, sets {@code SADD}, hashes
 * {@code HSET}, sorted sets {@code ZADD}, streams {@code XADD} with explicit ids, {@code XSETID …
 * ENTRIESADDED … MAXDELETEDID}, {@code XGROUP CREATE … ENTRIESREAD}, {@code XGROUP CREATECONSUMER}
 * and the pending entries via {@code XCLAIM … TIME … RETRYCOUNT … FORCE JUSTID}; the key's
 * absolute TTL is applied at entry end with {@code PEXPIREAT} (a key whose TTL passed is deleted).
 * JSON needs the ReJSON module on the target ({@code JSON.SET key $ text}); hash field TTLs need
 * Redis 7.4 ({@code HPEXPIREAT … FIELDS}); Bloom, Cuckoo, CMS, Top-K and module values, set member
 * TTLs, and the same data arriving through the journal go to the {@link UnsupportedDataPolicy}.
 * Dragonfly's sticky flag and memcached flags have no Redis equivalent: they are dropped and
 * counted ({@link RedisSinkStats#dfMaskIgnored()}). Journal commands run verbatim except
 * Dragonfly-only forms: {@code SET … STICK / _MCFLAGS n} (tokens dropped), {@code STICK} (no-op),
 * {@code RESTORE} (payload passed through when the target understands its type and RDB version,
 * otherwise decoded and written natively), {@code SADDEX} ({@code SADD} + policy), {@code HSETEX}
 * ({@code HSET} + {@code HEXPIRE} on 7.4, else + policy), {@code FIELDEXPIRE}, {@code PREPEND}
 * (an atomic script), {@code JSON.*}, {@code BF.*}, {@code CF.*}, {@code CMS.*}, {@code TOPK.*}.
 *
 * <p><b>Cluster.</b> The slot map comes from {@code CLUSTER SHARDS} ({@code CLUSTER SLOTS} on
 * servers without it) and is read again at every {@link #open}, after a {@code MOVED} and after
 * {@code CLUSTERDOWN}. Each flow keeps one pipelined connection per master; commands are routed
 * by the CRC16 slot of their key (hash tags honoured). {@code MOVED} updates the map and re-sends,
 * {@code ASK} re-sends once with {@code ASKING}, {@code TRYAGAIN}/{@code CLUSTERDOWN}/{@code LOADING}
 * back off and re-send; the flow's order per key survives redirects (see the cluster lane).
 * {@code FLUSHALL}/{@code FLUSHDB} run on every master. Multi-key journal commands whose keys span
 * slots are split per slot when that keeps their meaning ({@code DEL}, {@code UNLINK},
 * {@code TOUCH}, {@code EXISTS}, {@code MSET}); others ({@code RENAME} across slots, {@code MSETNX},
 * {@code SMOVE}…) go to the {@link UnsupportedDataPolicy}. A cluster holds db 0 only: data of any
 * other db fails the session with a non-retryable {@link RedisClusterException} unless the host
 * maps that db with {@link Builder#mapDatabase}.
 *
 * <p><b>Completion.</b> The stage {@link #apply} returns completes when Redis answered every
 * command the event produced; an error reply fails it with a {@link RedisCommandException} naming
 * command and key, a broken connection with a {@code ConnectionException}. The replicator only
 * advances (and acknowledges) its applied LSN over completed stages, so no write is acknowledged
 * to the master before Redis confirmed it. A multi-key transaction the master split across flows
 * is applied per flow, not atomically.
 *
 * <p>Thread-safety: {@link #apply} may be called concurrently for different flows. Threads: the
 * full-sync state ({@code claimed}, {@code snapshotIntoEmpty}) is written only by the thread that
 * applies {@link SinkEvent.FullSyncStart} (the replicator's session thread, while no flow applies
 * anything) and read by the flow appliers (volatile); {@code writtenDbs} is filled by every applier
 * (a concurrent set); {@link #open}/{@link #close} are synchronized.
 */
public final class RedisSink implements ReplicationSink {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSink.class);

    private final Builder options;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final LongAdder commands = new LongAdder();
    private volatile ClusterRouter router;
    private final LongAdder errors = new LongAdder();
    private final LongAdder dfMask = new LongAdder();
    private final Map<String, LongAdder> skipped = new ConcurrentHashMap<>();
    private final List<UnsupportedData> skippedKeys = Collections.synchronizedList(new ArrayList<>());
    private final FlowWriter.Host host = new Host();
    private volatile FlowWriter control;
    private volatile FlowWriter[] flows = new FlowWriter[0];
    private volatile TargetInfo target;
    private volatile boolean closed;
    /** {@code run_id} of every target node as last seen, by address (guarded by this sink's lock). */
    private final Map<String, String> runIds = new HashMap<>();
    /** {@code run_id} (or address, when it reports none) of every node probed by the current session. */
    private final List<String> sessionNodeIds = new ArrayList<>();
    /** Why the current session must not resume, or null (guarded by this sink's lock). */
    private String resumeRefusal;
    /** Target dbs this sink sent commands into during its lifetime (filled by every applier). */
    private final Set<Integer> writtenDbs = ConcurrentHashMap.newKeySet();
    /** Whether a full sync passed the target policy once in this sink's lifetime (session thread). */
    private volatile boolean claimed;
    /** Whether the current full sync writes into empty (or flushed) dbs: no DEL before snapshot keys. */
    private volatile boolean snapshotIntoEmpty;

    private RedisSink(Builder b) {
        this.options = b;
        this.ownsGroup = b.group == null;
        this.group = b.group != null ? b.group : new NioEventLoopGroup(Math.max(1, b.ioThreads));
    }

    /**
     * A sink for one Redis server: {@code host:port}, {@code redis://[user:password@]host[:port][/db]}
     * or {@code rediss://…} (TLS with the JVM's trust store unless {@link Builder#ssl} is set). The
     * password never appears in messages, logs or {@code toString()}.
     */
    public static Builder standalone(String uri) {
        return new Builder(uri);
    }

    /**
     * A sink for a Redis Cluster, found through any of its nodes: each seed is {@code host:port} or
     * a {@code redis://} / {@code rediss://} URI; credentials and TLS come from the first seed that
     * has them, or from the builder. The cluster's own node addresses are used after discovery.
     */
    public static Builder cluster(String... seeds) {
        if (seeds.length == 0) {
            throw new IllegalArgumentException("no cluster seed node");
        }
        Builder b = new Builder(seeds[0]);
        b.seeds = new ArrayList<>();
        for (String s : seeds) {
            Builder one = new Builder(s);
            b.seeds.add(new NodeAddress(one.host, one.port));
            if (b.password == null && one.password != null) {
                b.password = one.password;
                b.user = one.user;
            }
            b.tls |= one.tls;
            if (one.database != 0) {
                throw new IllegalArgumentException("a Redis Cluster has only db 0: " + Builder.redact(s));
            }
        }
        b.seeds = List.copyOf(b.seeds);
        return b;
    }

    /** Whether this sink writes into a Redis Cluster. */
    public boolean isCluster() {
        return options.seeds != null;
    }

    /** The target's {@code major.minor} version, known after {@link #open}; null before. */
    public String targetVersion() {
        TargetInfo t = target;
        return t == null ? null : t.major() + "." + t.minor();
    }

    /** The current counters. */
    public RedisSinkStats stats() {
        Map<String, Long> by = new LinkedHashMap<>();
        skipped.forEach((k, v) -> by.put(k, v.sum()));
        List<UnsupportedData> keys;
        synchronized (skippedKeys) {
            keys = List.copyOf(skippedKeys);
        }
        ClusterRouter r = router;
        return new RedisSinkStats(commands.sum(), errors.sum(), Map.copyOf(by), keys, dfMask.sum(),
                r == null ? 0 : r.moved(), r == null ? 0 : r.asked(), r == null ? 0 : r.retried(),
                r == null ? 0 : r.refreshes());
    }

    /**
     * Connects (again, on every session): control connection, {@code AUTH}, {@code INFO server},
     * {@code INFO replication}, {@code MODULE LIST}, then one connection per flow. Connections of an
     * earlier session are closed.
     *
     * @throws SameServerException when the target (any master of a cluster) is the source itself
     * @throws AuthenticationException when the target requires a password or rejects the credentials
     */
    @Override
    public synchronized void open(MasterInfo master) {
        if (closed) {
            throw new SinkException("Redis sink closed");
        }
        resumeRefusal = null;
        sessionNodeIds.clear();
        closeConnections();
        DbMapping dbs = new DbMapping(options.dbMap);
        FlowWriter[] fs = new FlowWriter[Math.max(1, master.flowCount())];
        if (isCluster()) {
            if (router == null) {
                router = new ClusterRouter(options.seeds, (n, name) -> connect(n.host(), n.port(), name), options.tls,
                        options.maxRedirects, options.clusterRetryTimeout, options.connectTimeout.plusSeconds(5));
            }
            ClusterRouter r = router;
            r.refresh();
            NodeAddress first = r.topology().masters().get(0);
            TargetInfo t = probe(first.host(), first.port(), master);
            for (NodeAddress other : r.topology().masters()) {
                if (!other.equals(first)) {
                    probe(other.host(), other.port(), master);
                }
            }
            target = t;
            control = new FlowWriter(new ClusterLane(r, "control", commands), t, host, dbs);
            for (int i = 0; i < fs.length; i++) {
                fs[i] = new FlowWriter(new ClusterLane(r, "flow-" + i, commands), t, host, dbs);
            }
        } else {
            TargetInfo t = probe(options.host, options.port, master);
            target = t;
            Duration replyTimeout = options.connectTimeout.plusSeconds(30);
            List<Lane> made = new ArrayList<>();
            try {
                Lane c = new StandaloneLane(connect(options.host, options.port, "control"), options.database,
                        commands, replyTimeout);
                made.add(c);
                control = new FlowWriter(c, t, host, dbs);
                for (int i = 0; i < fs.length; i++) {
                    Lane l = new StandaloneLane(connect(options.host, options.port, "flow-" + i), options.database,
                            commands, replyTimeout);
                    made.add(l);
                    fs[i] = new FlowWriter(l, t, host, dbs);
                }
            } catch (RuntimeException e) {
                made.forEach(Lane::close); // a half-opened session must not leak connections
                control = null;
                throw e;
            }
        }
        flows = fs;
    }

    /**
     * INFO server, INFO replication and MODULE LIST on a short-lived connection; refuses a server
     * that is the source itself.
     */
    private TargetInfo probe(String h, int p, MasterInfo master) {
        RespConnection c = connect(h, p, "probe");
        try {
            String info = text(call(c, "INFO", "server"));
            RespReply repl = call0(c, "INFO", "replication");
            ServerIdentity id = ServerIdentity.parse(info + "\n" + (repl instanceof ErrorReply ? "" : text(repl)));
            String address = new NodeAddress(h, p).toString();
            noteRunId(address, id.runId());
            sessionNodeIds.add(id.runId() == null || id.runId().isEmpty() ? "address " + address : id.runId());
            if (master != null && id.hasReplicationId(master.masterId())) {
                throw new SameServerException(address, "the target " + address + " is the source itself: its INFO "
                        + "shows " + id.describe() + ", the replication id of the source"
                        + (master.release().isEmpty() ? "" : " (" + master.release() + ")")
                        + "; writing the source's data into it would destroy it. Nothing was written: point the "
                        + "sink at another server");
            }
            return TargetInfo.parse(info, TargetInfo.moduleNames(call0(c, "MODULE", "LIST")));
        } finally {
            c.close();
        }
    }

    /**
     * Remembers the {@code run_id} of a target node; a node whose {@code run_id} changed since an
     * earlier session restarted in between, and may have lost writes it had confirmed (without
     * persistence it lost all of them), so a resume from the confirmed positions is refused.
     */
    private void noteRunId(String address, String runId) {
        if (runId == null || runId.isEmpty()) {
            return;
        }
        String before = runIds.put(address, runId);
        if (before != null && !before.equals(runId) && resumeRefusal == null) {
            resumeRefusal = "the target Redis " + address + " restarted since the sink's previous session (run_id "
                    + before + " is now " + runId + "), so it may no longer hold the writes it confirmed";
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
        return Optional.ofNullable(resumeRefusal);
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
        if (sessionNodeIds.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder(isCluster() ? "redis-cluster run_ids " : "redis run_id ")
                .append(String.join(",", sessionNodeIds.stream().sorted().toList()));
        if (!options.dbMap.isEmpty()) {
            sb.append(" map-db ").append(options.dbMap.entrySet().stream()
                    .sorted(Map.Entry.<Integer, Integer>comparingByKey().thenComparing(Map.Entry.comparingByValue()))
                    .map(e -> e.getKey() + ":" + e.getValue()).collect(java.util.stream.Collectors.joining(",")));
        }
        return Optional.of(sb.toString());
    }

    @Override
    public CompletionStage<Void> apply(SinkEvent event) {
        FlowWriter ctl = control;
        if (ctl == null) {
            return CompletableFuture.failedFuture(new SinkException("Redis sink not open"));
        }
        if (event instanceof SinkEvent.FullSyncStart) {
            try {
                return prepareFullSync(ctl);
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

    /**
     * Applies the {@link FullSyncTargetPolicy} at a full-sync start: reads the target's keyspace
     * (blocking the calling thread, the replicator's session thread, for at most the reply timeout),
     * then refuses, flushes or keeps as the policy says; the stage completes when any flush was
     * answered.
     */
    private CompletableFuture<Void> prepareFullSync(FlowWriter ctl) {
        DbMapping map = new DbMapping(options.dbMap);
        boolean cluster = isCluster();
        Map<Integer, Long> held = ctl.keyspace(options.replyTimeout);
        Map<Integer, Long> inScope = new TreeMap<>();
        Map<Integer, Long> elsewhere = new TreeMap<>();
        held.forEach((db, n) -> (map.writes(db, cluster) ? inScope : elsewhere).put(db, n));
        String where = options.describeTarget();
        String kept = elsewhere.isEmpty() ? "" : "; keys in dbs the sink never writes are kept ("
                + TargetNotEmptyException.describe(elsewhere) + ")";
        boolean again = claimed;
        switch (options.fullSyncPolicy) {
            case UPSERT -> {
                snapshotIntoEmpty = false;
                claimed = true;
                if (!inScope.isEmpty()) {
                    LOG.info("full sync into {} with FullSyncTargetPolicy.UPSERT: the keys it holds are kept unless "
                            + "the source has them ({}){}", where, TargetNotEmptyException.describe(inScope), kept);
                }
                return CompletableFuture.completedFuture(null);
            }
            case FLUSH -> {
                snapshotIntoEmpty = true;
                claimed = true;
                if (inScope.isEmpty()) {
                    LOG.info("full sync into {} with FullSyncTargetPolicy.FLUSH: the target holds no key in the dbs "
                            + "the sink writes, nothing to flush{}", where, kept);
                    return CompletableFuture.completedFuture(null);
                }
                LOG.warn("full sync into {} with FullSyncTargetPolicy.FLUSH: flushing (FLUSHDB) {}{}", where,
                        TargetNotEmptyException.describe(inScope), kept);
                return ctl.flush(inScope.keySet());
            }
            default -> {
                Map<Integer, Long> ours = new TreeMap<>();
                Map<Integer, Long> foreign = new TreeMap<>();
                inScope.forEach((db, n) -> (again && writtenDbs.contains(db) ? ours : foreign).put(db, n));
                if (!foreign.isEmpty()) {
                    throw new TargetNotEmptyException(where, foreign, again
                            ? "full sync again into " + where + " refused (FullSyncTargetPolicy.REFUSE_NON_EMPTY): "
                                + "since this sink's first full sync, keys appeared in dbs it never wrote:"
                            : "full sync into " + where + " refused (FullSyncTargetPolicy.REFUSE_NON_EMPTY, the "
                                + "default): the target is not empty:");
                }
                snapshotIntoEmpty = true;
                claimed = true;
                if (ours.isEmpty()) {
                    return CompletableFuture.completedFuture(null);
                }
                LOG.warn("full sync again into {} (the replicator could not resume and syncs from scratch): "
                        + "flushing (FLUSHDB) what this sink wrote there since its first full sync, so that no key "
                        + "the source deleted meanwhile survives: {}", where, TargetNotEmptyException.describe(ours));
                return ctl.flush(ours.keySet());
            }
        }
    }

    /** {@code RedisSink{Redis 127.0.0.1:6379 (auth), policy REFUSE_NON_EMPTY, open}}; never the password. */
    @Override
    public String toString() {
        return "RedisSink{" + options.describeTarget() + ", policy " + options.fullSyncPolicy
                + (closed ? ", closed" : control != null ? ", open" : "") + "}";
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeConnections();
        if (router != null) {
            router.close();
        }
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private void closeConnections() {
        if (control != null) {
            control.lane().close();
            control = null;
        }
        for (FlowWriter w : flows) {
            w.lane().close();
        }
        flows = new FlowWriter[0];
    }

    // ----------------------------------------------------------------- connecting

    private RespConnection connect(String h, int p, String name) {
        RespConnection c = RespConnection.connect(group, h, p, options.sslContext(), options.verifyHostname,
                options.connectTimeout, options.replyTimeout, options.maxInFlight, name);
        String address = new NodeAddress(h, p).toString();
        try {
            if (options.password != null) {
                RespReply r = options.user != null ? call0(c, "AUTH", options.user, options.password)
                        : call0(c, "AUTH", options.password);
                if (r instanceof ErrorReply e) {
                    throw new AuthenticationException("the target Redis at " + address + " rejected the credentials"
                            + (options.user != null ? " of user '" + options.user + "'" : "") + ": " + e.message());
                }
            }
            RespReply pong = call0(c, "PING");
            if (pong instanceof ErrorReply e && e.message().startsWith("NOAUTH")) {
                throw new AuthenticationException("the target Redis at " + address + " requires a password ("
                        + e.message() + "): set it with RedisSink.Builder.password(…) or user(…, …)");
            } else if (pong instanceof ErrorReply e) {
                errors.increment();
                throw new RedisCommandException("PING", null, 0, e.message());
            }
            if (options.database != 0 && !isCluster()) {
                call(c, "SELECT", Integer.toString(options.database));
            }
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private RespReply call(RespConnection c, String... args) {
        RespReply r = call0(c, args);
        if (r instanceof ErrorReply e) {
            errors.increment();
            throw new RedisCommandException(args[0], null, 0, e.message());
        }
        return r;
    }

    private RespReply call0(RespConnection c, String... args) {
        List<byte[]> a = new ArrayList<>();
        for (String s : args) {
            a.add(s.getBytes(StandardCharsets.UTF_8));
        }
        commands.increment();
        try {
            return c.send(a).get(options.connectTimeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkException("interrupted talking to Redis");
        } catch (java.util.concurrent.ExecutionException e) {
            errors.increment();
            if (e.getCause() instanceof io.df2redis.replica.ReplicationException re) {
                throw re; // typed already (a ConnectionException names the connection and the cause)
            }
            throw new SinkException("Redis did not answer " + args[0] + ": " + e.getCause(), e.getCause());
        } catch (Exception e) {
            errors.increment();
            throw new SinkException("Redis did not answer " + args[0] + ": " + e, e);
        }
    }

    private static String text(RespReply r) {
        if (r instanceof BulkString b) {
            return b.asString();
        }
        if (r instanceof SimpleString s) {
            return s.value();
        }
        return String.valueOf(r);
    }

    private final class Host implements FlowWriter.Host {
        @Override
        public RuntimeException unsupported(UnsupportedData d) {
            if (options.policy == UnsupportedDataPolicy.FAIL) {
                return new UnsupportedDataException(d);
            }
            skipped.computeIfAbsent(d.reason(), k -> new LongAdder()).increment();
            synchronized (skippedKeys) {
                if (skippedKeys.size() < options.maxRecordedSkips) {
                    skippedKeys.add(d);
                }
            }
            if (options.policy == UnsupportedDataPolicy.CALLBACK) {
                options.callback.onUnsupported(d.key(), d.db(), d.type(), d.reason());
            }
            return null;
        }

        @Override
        public void dfMaskIgnored() {
            dfMask.increment();
        }

        @Override
        public void commandFailed(Throwable t) {
            errors.increment();
        }

        @Override
        public boolean snapshotIntoEmpty() {
            return snapshotIntoEmpty;
        }

        @Override
        public void wrote(int targetDb) {
            if (!writtenDbs.contains(targetDb)) {
                writtenDbs.add(targetDb);
            }
        }
    }

    /**
     * Options of a {@link RedisSink}. Each setter returns a new, immutable builder, so a builder can
     * be shared and specialised safely.
     */
    public static final class Builder implements Cloneable {
        private String host;
        private int port;
        private int database;
        private String user;
        private String password;
        private boolean tls;
        private boolean verifyHostname = true;
        private SslContext ssl;
        private int maxInFlight = 1024;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration replyTimeout = RespConnection.DEFAULT_REPLY_TIMEOUT;
        private UnsupportedDataPolicy policy = UnsupportedDataPolicy.FAIL;
        private UnsupportedDataCallback callback;
        private EventLoopGroup group;
        private int ioThreads = 2;
        private FullSyncTargetPolicy fullSyncPolicy = FullSyncTargetPolicy.REFUSE_NON_EMPTY;
        private int maxRecordedSkips = 10_000;
        private List<NodeAddress> seeds;
        private Map<Integer, Integer> dbMap = Map.of();
        private int maxRedirects = 16;
        private Duration clusterRetryTimeout = Duration.ofSeconds(60);

        private Builder(String uri) {
            Objects.requireNonNull(uri, "uri");
            if (uri.contains("://")) {
                URI u;
                try {
                    u = new URI(uri);
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalArgumentException("not a valid URI: " + redact(uri));
                }
                if (!u.getScheme().equals("redis") && !u.getScheme().equals("rediss")) {
                    throw new IllegalArgumentException("not a redis:// or rediss:// URI: " + redact(uri));
                }
                tls = u.getScheme().equals("rediss");
                host = u.getHost();
                port = u.getPort() < 0 ? 6379 : u.getPort();
                if (u.getUserInfo() != null) {
                    String ui = u.getUserInfo();
                    int colon = ui.indexOf(':');
                    if (colon < 0) {
                        password = ui;
                    } else {
                        user = ui.substring(0, colon).isEmpty() ? null : ui.substring(0, colon);
                        password = ui.substring(colon + 1);
                    }
                }
                String path = u.getPath();
                if (path != null && path.length() > 1) {
                    try {
                        database = Integer.parseInt(path.substring(1));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("not a db number after the port: " + redact(uri));
                    }
                }
            } else {
                if (uri.indexOf('@') >= 0) {
                    throw new IllegalArgumentException("credentials need a redis:// or rediss:// URI (or password(…)): "
                            + redact(uri));
                }
                int colon = uri.lastIndexOf(':');
                host = colon < 0 ? uri : uri.substring(0, colon);
                try {
                    port = colon < 0 ? 6379 : Integer.parseInt(uri.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not HOST:PORT: " + uri);
                }
            }
            if (host == null || host.isEmpty()) {
                throw new IllegalArgumentException("no host in " + redact(uri));
            }
        }

        /**
         * The URI without its user info (passwords never reach messages or logs): everything between
         * {@code ://} and the last {@code @} (a password may itself hold {@code @} or {@code /}).
         */
        static String redact(String uri) {
            int scheme = uri.indexOf("://");
            int at = uri.lastIndexOf('@');
            if (scheme >= 0 && at > scheme) {
                return uri.substring(0, scheme + 3) + "***" + uri.substring(at);
            }
            if (scheme < 0 && at >= 0) {
                return "***" + uri.substring(at); // user:password@host:port without a scheme
            }
            return uri;
        }

        private Builder copy() {
            try {
                return (Builder) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        /** {@code AUTH password} on every connection. */
        public Builder password(String password) {
            Builder b = copy();
            b.password = password;
            b.user = null;
            return b;
        }

        /** {@code AUTH user password} (ACL) on every connection. */
        public Builder user(String user, String password) {
            Builder b = copy();
            b.user = user;
            b.password = password;
            return b;
        }

        /** TLS with this client context (implies TLS). */
        public Builder ssl(SslContext ctx) {
            Builder b = copy();
            b.ssl = ctx;
            b.tls = ctx != null;
            return b;
        }

        /**
         * Whether a TLS server certificate must name the host connected to (default true). Turn off
         * only for certificates without the right subject alternative names, on trusted networks.
         */
        public Builder verifyHostname(boolean on) {
            Builder b = copy();
            b.verifyHostname = on;
            return b;
        }

        /** Commands written but not yet answered, per connection (pipelining window); default 1024. */
        public Builder maxInFlight(int commands) {
            if (commands < 1) {
                throw new IllegalArgumentException("maxInFlight must be >= 1");
            }
            Builder b = copy();
            b.maxInFlight = commands;
            return b;
        }

        /**
         * How long outstanding commands may go without any reply before the connection is declared
         * dead and the session fails (and reconnects); default 5 min, generous because one command
         * (a FLUSHALL of a big db, a DEL of a huge key) can legitimately take long.
         */
        public Builder replyTimeout(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("replyTimeout must be positive");
            }
            Builder b = copy();
            b.replyTimeout = d;
            return b;
        }

        /** Connect (and first reply) timeout; default 10 s. */
        public Builder connectTimeout(Duration d) {
            Builder b = copy();
            b.connectTimeout = Objects.requireNonNull(d);
            return b;
        }

        /** What to do with data Redis cannot hold; default {@link UnsupportedDataPolicy#FAIL}. */
        public Builder unsupportedDataPolicy(UnsupportedDataPolicy p) {
            if (p == UnsupportedDataPolicy.CALLBACK && callback == null) {
                throw new IllegalArgumentException("CALLBACK needs onUnsupported(callback)");
            }
            Builder b = copy();
            b.policy = Objects.requireNonNull(p);
            return b;
        }

        /** Sets {@link UnsupportedDataPolicy#CALLBACK} with this callback. */
        public Builder onUnsupported(UnsupportedDataCallback cb) {
            Builder b = copy();
            b.callback = Objects.requireNonNull(cb);
            b.policy = UnsupportedDataPolicy.CALLBACK;
            return b;
        }

        /** Runs the connections on the host's event loop group (not shut down by the sink). */
        public Builder eventLoopGroup(EventLoopGroup g) {
            Builder b = copy();
            b.group = g;
            return b;
        }

        /** Threads of the sink's own event loop group when none is injected; default 2. */
        public Builder ioThreads(int n) {
            Builder b = copy();
            b.ioThreads = n;
            return b;
        }

        /**
         * What a full sync does with keys the target already holds in the dbs it writes; default
         * {@link FullSyncTargetPolicy#REFUSE_NON_EMPTY} (a non-empty target fails the session with a
         * {@link TargetNotEmptyException}). See {@link FullSyncTargetPolicy}.
         */
        public Builder fullSyncTargetPolicy(FullSyncTargetPolicy policy) {
            Builder b = copy();
            b.fullSyncPolicy = Objects.requireNonNull(policy, "policy");
            return b;
        }

        /** How many unsupported keys {@link RedisSinkStats#skipped()} keeps; default 10 000. */
        public Builder maxRecordedSkips(int n) {
            Builder b = copy();
            b.maxRecordedSkips = n;
            return b;
        }

        /**
         * Writes source db {@code sourceDb} into target db {@code targetDb}. On a cluster target, every
         * db other than 0 must be mapped to 0 (merging it into db 0), or its first key fails the
         * session. A {@code FLUSHDB} of a db that shares its target db with others goes to the
         * unsupported-data policy (it would flush their keys too).
         */
        public Builder mapDatabase(int sourceDb, int targetDb) {
            if (sourceDb < 0 || targetDb < 0) {
                throw new IllegalArgumentException("db numbers are >= 0");
            }
            Builder b = copy();
            Map<Integer, Integer> m = new java.util.HashMap<>(dbMap);
            m.put(sourceDb, targetDb);
            b.dbMap = Map.copyOf(m);
            return b;
        }

        /** How often one command may be redirected ({@code MOVED}/{@code ASK}) before failing; default 16. */
        public Builder maxRedirects(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxRedirects must be >= 1");
            }
            Builder b = copy();
            b.maxRedirects = n;
            return b;
        }

        /**
         * How long a cluster command may keep being refused ({@code TRYAGAIN}, {@code CLUSTERDOWN},
         * {@code LOADING}, redirects) before it fails; default 60 s.
         */
        public Builder clusterRetryTimeout(Duration d) {
            Builder b = copy();
            b.clusterRetryTimeout = Objects.requireNonNull(d);
            return b;
        }

        public String host() {
            return host;
        }

        /** The cluster seed nodes as {@code host:port}, or an empty list for a standalone target. */
        public List<String> seeds() {
            return seeds == null ? List.of() : seeds.stream().map(NodeAddress::toString).toList();
        }

        /** The db mapping ({@link #mapDatabase}). */
        public Map<Integer, Integer> databaseMapping() {
            return dbMap;
        }

        public int port() {
            return port;
        }

        public UnsupportedDataPolicy unsupportedDataPolicy() {
            return policy;
        }

        /** The {@link FullSyncTargetPolicy} ({@link #fullSyncTargetPolicy(FullSyncTargetPolicy)}). */
        public FullSyncTargetPolicy fullSyncTargetPolicy() {
            return fullSyncPolicy;
        }

        /**
         * Whether a sync may write into target db {@code targetDb}: the dbs the
         * {@link FullSyncTargetPolicy} checks and flushes. On a cluster db 0 only; on a standalone
         * target every db except those {@linkplain #mapDatabase mapped away} (a source db mapped
         * elsewhere whose number no other source db maps to).
         */
        public boolean writesTo(int targetDb) {
            return new DbMapping(dbMap).writes(targetDb, seeds != null);
        }

        /**
         * The target for messages and logs, never with credentials: {@code Redis 10.0.0.1:6379 db 2
         * (tls, user app, password set)} or {@code Redis Cluster a:7000,b:7000 (…)}.
         */
        public String describeTarget() {
            List<String> notes = new ArrayList<>();
            if (tls) {
                notes.add(verifyHostname ? "tls" : "tls without host-name check");
            }
            if (user != null) {
                notes.add("user " + user);
            }
            if (password != null) {
                notes.add("password set");
            }
            String where = seeds != null ? "Redis Cluster " + String.join(",", seeds())
                    : "Redis " + new NodeAddress(host, port) + (database != 0 ? " db " + database : "");
            return where + (notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")");
        }

        /** The options, never the password. */
        @Override
        public String toString() {
            return "RedisSink.Builder{" + describeTarget() + ", fullSyncTargetPolicy " + fullSyncPolicy
                    + ", unsupportedDataPolicy " + policy + (dbMap.isEmpty() ? "" : ", mapDatabase " + dbMap) + "}";
        }

        public int maxInFlight() {
            return maxInFlight;
        }

        SslContext sslContext() {
            if (!tls) {
                return null;
            }
            if (ssl == null) {
                try {
                    ssl = SslContextBuilder.forClient().build();
                } catch (javax.net.ssl.SSLException e) {
                    throw new SinkException("cannot build a TLS context: " + e.getMessage(), e);
                }
            }
            return ssl;
        }

        public RedisSink build() {
            return new RedisSink(copy());
        }
    }
}
