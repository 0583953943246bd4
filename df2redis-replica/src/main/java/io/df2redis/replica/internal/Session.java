package io.df2redis.replica.internal;

import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.ErrorKind;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.resp.SimpleString;
import io.df2redis.replica.AuthenticationException;
import io.df2redis.replica.ConnectionException;
import io.df2redis.replica.DragonflyEndpoint;
import io.df2redis.replica.FlowStats;
import io.df2redis.replica.FullSyncRestartException;
import io.df2redis.replica.HandlerFailure;
import io.df2redis.replica.HandshakeException;
import io.df2redis.replica.JournalCommandHandler;
import io.df2redis.replica.JournalEvent;
import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.ReplicationListener;
import io.df2redis.replica.ReplicationSink;
import io.df2redis.replica.ReplicationState;
import io.df2redis.replica.ReplicatorOptions;
import io.df2redis.replica.SinkEvent;
import io.df2redis.replica.UnsupportedMasterException;
import io.df2redis.protocol.client.RespClient;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One replication session (spec §1–§3, §5): handshake on the control connection, one
 * connection per flow, full (or partial) sync, then stable sync until an error or a stop.
 * {@link #run()} blocks the supervisor thread; data flows through the event loop and the
 * per-flow appliers.
 *
 * <p>Thread ownership. The supervisor thread runs {@link #run()} and owns {@code master},
 * {@code barrier}, {@code partial}, {@code fullSyncBegun} and {@code targetIdentity} (written before
 * the flows start, read by appliers after {@link Thread#start()}; all volatile, since
 * {@link #resumeState()} also reads them from the replicator's checkpoint and close threads).
 * {@link #close(boolean)} runs on the supervisor or on the replicator's close thread, concurrently
 * with {@link #run()}: everything the two share — {@code closed}, {@code pipelines}, {@code flows}, {@code ackTasks}, {@code connecting}, {@code controlOpening},
 * {@code control} — is guarded by {@code this}; the supervisor adds to those lists only while
 * the session is not closed, and close() works on a snapshot taken when it set {@code closed}, so
 * nothing opened by the supervisor escapes it. Event-loop and applier callbacks
 * ({@link FlowConnection.Events}, {@link SessionContext}) touch only futures, atomics and
 * volatiles ({@code stopping}, {@code stableSinceNanos}) or take the lock briefly.
 */
public final class Session implements SessionContext, FlowConnection.Events {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** A session stable for this long counts as healthy even without writes (resets the reconnect back-off). */
    private static final long STABLE_HEALTHY_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** What the session reports to its replicator. */
    public interface Host {
        void state(ReplicationState state);

        void handshake(MasterInfo master);

        /**
         * A full sync is about to start: called before the listener and the sink hear of it (the sink
         * then empties its target). May throw to stop the session.
         *
         * @param master the master
         * @param targetIdentity the sink's target identity in this session
         */
        void fullSyncStarted(MasterInfo master, java.util.Optional<String> targetIdentity);

        void fullSyncApplied();

        void stableReached();
    }

    /**
     * Where a previous session (or a checkpoint) stopped, for a partial sync.
     *
     * @param masterId the master's replication id
     * @param flows its flow count
     * @param nextLsns per flow, the next LSN to ask for; null when a full sync is needed
     * @param target the sink's target identity the position belongs to
     * @param origin where the position comes from, for log messages ("the previous session", "the
     *     checkpoint saved at …")
     */
    public record Resume(String masterId, int flows, long[] nextLsns, java.util.Optional<String> target,
                         String origin) {
    }

    private final ReplicatorOptions options;
    private final EventLoopGroup group;
    private final ReplicationListener listener;
    private final ReplicationSink sink;
    private final List<HandlerRegistration> handlers;
    private final HandlerGuard guard;
    private final Resume resume;
    private final Host host;
    private final CompletableFuture<ReplicationException> failure = new CompletableFuture<>();
    private final CompletableFuture<Void> allFullSyncEndDecoded = new CompletableFuture<>();
    private final CompletableFuture<Void> allStable = new CompletableFuture<>();
    private final AtomicInteger fullSyncEndDecoded = new AtomicInteger();
    private final AtomicInteger fullSyncApplied = new AtomicInteger();
    private final AtomicInteger stableFlows = new AtomicInteger();
    private final BooleanSupplier stoppingFlag = () -> this.stopping;
    // guarded by this
    private final List<FlowPipeline> pipelines = new ArrayList<>();
    private final List<FlowConnection> flows = new ArrayList<>();
    private final List<ScheduledFuture<?>> ackTasks = new ArrayList<>();
    private final List<CompletableFuture<RespClient>> connecting = new ArrayList<>();
    private CompletableFuture<ControlConnection> controlOpening;
    private ControlConnection control;
    private boolean closed;
    // any thread
    private volatile boolean stopping;
    private volatile long stableSinceNanos;
    // supervisor
    private volatile MasterInfo master;
    private volatile GlobalCommandBarrier barrier;
    private volatile boolean partial;
    private volatile boolean fullSyncBegun;
    private volatile java.util.Optional<String> targetIdentity = java.util.Optional.empty();

    public Session(ReplicatorOptions options, EventLoopGroup group, ReplicationListener listener, ReplicationSink sink,
                   List<HandlerRegistration> handlers, HandlerGuard guard, Resume resume, Host host) {
        this.options = options;
        this.group = group;
        this.listener = listener;
        this.sink = sink;
        this.handlers = handlers;
        this.guard = guard;
        this.resume = resume;
        this.host = host;
    }

    public MasterInfo master() {
        return master;
    }

    /** Runs the session until it fails (throws) or is stopped (returns). */
    public void run() {
        host.state(ReplicationState.CONNECTING);
        handshake();
        openFlows();
        ControlConnection c = control();
        if (partial) {
            expectOk(commandRetryingLoading(c, "DFLY", "STARTSTABLE", master.syncId()), "DFLY STARTSTABLE");
            await(allStable, "partial sync start");
        } else {
            fullSyncBegun = true;
            host.fullSyncStarted(master, targetIdentity);
            host.state(ReplicationState.FULL_SYNC);
            MasterInfo m = master;
            sessionCallback(HandlerFailure.Kind.LISTENER, "ReplicationListener.onFullSyncStart", null,
                    () -> "full-sync start", () -> listener.onFullSyncStart(m));
            SinkEvent.FullSyncStart start = new SinkEvent.FullSyncStart(-1, m);
            sessionCallback(HandlerFailure.Kind.SINK, "ReplicationSink.apply", start, () -> "full-sync start",
                    () -> awaitStage(apply(start), "the sink's full-sync start"));
            for (int i = 0; i < m.flowCount(); i++) {
                int flow = i;
                sessionCallback(HandlerFailure.Kind.LISTENER, "ReplicationListener.onFlowFullSyncStart", null,
                        () -> "full-sync start of flow " + flow, () -> listener.onFlowFullSyncStart(flow));
            }
            expectOk(commandRetryingLoading(c, "DFLY", "SYNC", m.syncId()), "DFLY SYNC");
            await(allFullSyncEndDecoded, "FULLSYNC_END on every flow");
            expectOk(commandRetryingLoading(c, "DFLY", "STARTSTABLE", m.syncId()), "DFLY STARTSTABLE");
            await(allStable, "stable sync on every flow");
            sessionCallback(HandlerFailure.Kind.LISTENER, "ReplicationListener.onFullSyncComplete", null,
                    () -> "end of the full sync", listener::onFullSyncComplete);
        }
        stableSinceNanos = System.nanoTime();
        host.state(ReplicationState.STABLE_SYNC);
        host.stableReached();
        await(new CompletableFuture<>(), "replication");
    }

    // ---------------------------------------------------------------- handshake

    private void handshake() {
        DragonflyEndpoint ep = options.source();
        if (ep.ssl() != null && !ep.isVerifyHostname()) {
            LOG.warn("TLS host-name verification is OFF for the Dragonfly source {} (DragonflyEndpoint.verifyHostname("
                    + "false)): any certificate the trust manager accepts is taken, whatever host it names", ep.address());
        }
        CompletableFuture<ControlConnection> opening = ControlConnection.open(group, ep, options.connectTimeout());
        synchronized (this) {
            if (closed) {
                opening.thenAccept(ControlConnection::close);
                throw new StopSignal();
            }
            controlOpening = opening;
        }
        ControlConnection c = get(opening, "connect to the Dragonfly source at " + ep.address());
        synchronized (this) {
            control = c;
        }
        c.closed().thenRun(() -> failure.complete(
                new ConnectionException("control connection to the Dragonfly source at " + ep.address() + " closed")));
        auth(c::command);
        RespReply pong = get(c.command("PING"), "PING");
        if (!(pong instanceof SimpleString s && s.value().equals("PONG"))) {
            throw replyError("PING", pong);
        }
        expectOk(c.command("REPLCONF", "listening-port", options.listeningPort()), "REPLCONF listening-port");
        if (options.announceIp() != null) {
            expectOk(c.command("REPLCONF", "ip-address", options.announceIp()), "REPLCONF ip-address");
        }
        expectOk(c.command("REPLCONF", "capa", "eof", "capa", "psync2"), "REPLCONF capa eof capa psync2");
        RespReply capa = get(c.command("REPLCONF", "capa", "dragonfly"), "REPLCONF capa dragonfly");
        MasterInfo m = parseCapa(capa);
        expectOk(c.command("REPLCONF", "CLIENT-ID", options.clientId()), "REPLCONF CLIENT-ID");
        expectOk(c.command("REPLCONF", "CLIENT-VERSION", 4), "REPLCONF CLIENT-VERSION");
        String release = "";
        RespReply info = get(c.command("INFO", "SERVER"), "INFO SERVER");
        if (info instanceof BulkString b) {
            for (String line : b.asString().split("\r?\n")) {
                if (line.startsWith("dragonfly_version:")) {
                    release = line.substring("dragonfly_version:".length()).trim();
                }
            }
        }
        MasterInfo mi = new MasterInfo(m.masterId(), m.syncId(), m.flowCount(), m.protocolVersion(), m.lineageId(),
                release);
        master = mi;
        LOG.info("handshake with {} done: master {} ({}), {} flows, session {}", ep, mi.masterId(),
                release.isEmpty() ? "unknown release" : release, mi.flowCount(), mi.syncId());
        host.handshake(mi);
        sessionCallback(HandlerFailure.Kind.LISTENER, "ReplicationListener.onHandshake", null,
                () -> "handshake with master " + mi.masterId(), () -> listener.onHandshake(mi));
        if (sink != null) {
            sessionCallback(HandlerFailure.Kind.SINK, "ReplicationSink.open", null,
                    () -> "opening the sink for master " + mi.masterId(), () -> {
                        sink.open(mi);
                        java.util.Optional<String> id = sink.targetIdentity();
                        targetIdentity = id != null ? id : java.util.Optional.empty();
                    }, false);
        }
    }

    private interface Commander {
        CompletableFuture<RespReply> command(Object... args);
    }

    private void auth(Commander c) {
        DragonflyEndpoint ep = options.source();
        if (ep.password() == null) {
            return;
        }
        RespReply r = get(ep.user() != null ? c.command("AUTH", ep.user(), ep.password())
                : c.command("AUTH", ep.password()), "AUTH");
        if (!(r instanceof SimpleString s && s.value().equals("OK"))) {
            throw replyError("AUTH", r);
        }
    }

    private MasterInfo parseCapa(RespReply r) {
        if (r instanceof SimpleString s && s.value().equals("OK")) {
            throw new UnsupportedMasterException("the source at " + options.source().address() + " answered +OK to "
                    + "REPLCONF capa dragonfly: it is not a Dragonfly server (a Redis master?) and cannot be replicated "
                    + "with this library");
        }
        if (r instanceof ErrorReply e) {
            if (e.message().contains("replica")) {
                throw new UnsupportedMasterException("the Dragonfly source at " + options.source().address()
                        + " refuses replication: " + e.message());
            }
            throw replyError("REPLCONF capa dragonfly", r);
        }
        if (!(r instanceof ArrayReply a) || a.size() < 3) {
            throw new HandshakeException("unexpected reply to REPLCONF capa dragonfly: " + r);
        }
        String id = text(a.get(0));
        String sync = text(a.get(1));
        if (id.length() != 40 || !(a.get(0) instanceof SimpleString)) {
            throw new HandshakeException("bad master id in the capa reply: " + a.get(0));
        }
        if (!(a.get(2) instanceof IntegerReply n) || n.value() < 1 || n.value() > 1024) {
            throw new HandshakeException("bad flow count in the capa reply: " + a.get(2));
        }
        int version = a.size() > 3 && a.get(3) instanceof IntegerReply v ? (int) v.value() : -1;
        String lineage = a.size() > 4 ? text(a.get(4)) : id;
        return new MasterInfo(id, sync, (int) n.value(), version, lineage, "");
    }

    // ---------------------------------------------------------------- flows

    private void openFlows() {
        MasterInfo m = master;
        int n = m.flowCount();
        barrier = new GlobalCommandBarrier(n);
        boolean askPartial = askPartial(m);
        List<FlowPipeline> ps = new ArrayList<>();
        List<FlowConnection> fcs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FlowPipeline p = new FlowPipeline(i, this);
            ps.add(p);
            fcs.add(new FlowConnection(i, p, this, options.decoderOptions()));
        }
        List<CompletableFuture<RespClient>> channels = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                throw new StopSignal();
            }
            pipelines.addAll(ps);
            flows.addAll(fcs);
            for (FlowConnection fc : fcs) {
                CompletableFuture<RespClient> f = Connections.connect(group, options.source(),
                        options.connectTimeout(), "flow " + fc.flowId() + " connection");
                connecting.add(f);
                channels.add(f);
            }
        }
        List<CompletableFuture<RespReply>> replies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FlowConnection fc = fcs.get(i);
            fc.bind(get(channels.get(i), "connect flow " + i + " to the Dragonfly source at "
                    + options.source().address()), options.source());
            int flow = i;
            auth(fc::command);
            if (askPartial) {
                replies.add(fc.flow(resume.nextLsns()[i], "DFLY", "FLOW", m.masterId(), m.syncId(), flow,
                        resume.nextLsns()[i]));
            } else {
                replies.add(fc.flow(0, "DFLY", "FLOW", m.masterId(), m.syncId(), flow));
            }
        }
        int full = 0;
        int part = 0;
        for (int i = 0; i < n; i++) {
            RespReply r = get(replies.get(i), "DFLY FLOW " + i);
            if (!(r instanceof ArrayReply a) || a.size() != 2) {
                throw replyError("DFLY FLOW", r);
            }
            String kind = text(a.get(0));
            String token = text(a.get(1));
            if (token.length() != 40) {
                throw new HandshakeException("flow " + i + ": bad eof token in the FLOW reply: " + token);
            }
            if (kind.equals("FULL")) {
                full++;
            } else if (kind.equals("PARTIAL")) {
                part++;
            } else {
                throw new HandshakeException("flow " + i + ": unexpected FLOW reply " + kind);
            }
        }
        if (full > 0 && part > 0) {
            // the PARTIAL flows cannot be turned into FULL ones in this session (spec §6.2: Dragonfly's
            // replica aborts and reconnects without LSNs); FullSyncRestartException: no position to resume
            // from, a new session with a full sync at once
            throw new FullSyncRestartException("the Dragonfly source answered the partial sync request from "
                    + resume.origin() + " (next LSNs " + java.util.Arrays.toString(resume.nextLsns())
                    + ") with FULL on " + full + " and PARTIAL on " + part + " flows (some positions are no longer in its backlog, "
                    + "--shard_repl_backlog_len): a new session starts with a full sync");
        }
        partial = part == n;
        if (partial) {
            LOG.info("partial sync from {}: next LSNs {}", resume.origin(),
                    java.util.Arrays.toString(resume.nextLsns()));
        } else if (askPartial) {
            LOG.warn("the Dragonfly source answered FULL on every flow to the partial sync request from {} (next LSNs "
                    + "{}): the positions are no longer in its backlog (--shard_repl_backlog_len) or it does not offer "
                    + "partial sync; a full sync follows", resume.origin(),
                    java.util.Arrays.toString(resume.nextLsns()));
        }
        synchronized (this) {
            if (closed) {
                throw new StopSignal();
            }
            for (int i = 0; i < n; i++) {
                FlowPipeline p = ps.get(i);
                FlowConnection fc = fcs.get(i);
                p.start();
                ackTasks.add(fc.channel().eventLoop().scheduleAtFixedRate(() -> p.ackTick(fc), 100, 100,
                        TimeUnit.MILLISECONDS));
            }
        }
    }

    /**
     * Whether to ask for a partial sync from {@link #resume}: a position exists, partial sync is on,
     * the master is the same (replication id, flow count), its release supports the raw-journal form,
     * the sink's target is the same and the sink does not refuse. Every "no" but the first is logged
     * with its reason (a full sync follows).
     */
    private boolean askPartial(MasterInfo m) {
        if (resume == null || resume.nextLsns() == null) {
            return false;
        }
        String why = null;
        if (!options.partialSync()) {
            LOG.info("not resuming from {}: partial sync is off (ReplicatorOptions.partialSync(false)); a full sync "
                    + "follows", resume.origin());
            return false;
        } else if (!resume.masterId().equals(m.masterId())) {
            why = "the master's replication id changed from " + resume.masterId() + " to " + m.masterId()
                    + " (the master restarted, or is another server): its LSNs do not continue the saved ones";
        } else if (resume.flows() != m.flowCount()) {
            why = "the master has " + m.flowCount() + " flows, the saved position has " + resume.flows();
        } else if (!supportsRawPartialSync()) {
            why = unsupportedReleaseReason(m.release());
        } else if (!resume.target().equals(targetIdentity)) {
            why = "the sink's target is " + targetIdentity.map(t -> "'" + t + "'").orElse("unidentified")
                    + ", the saved position belongs to " + resume.target().map(t -> "'" + t + "'").orElse("an "
                    + "unidentified target") + ": a different target does not hold what was applied";
        }
        if (why != null) {
            LOG.warn("not resuming from {} with a partial sync: {}; a full sync follows", resume.origin(), why);
            return false;
        }
        if (sink != null) {
            java.util.Optional<String> refusal = sink.resumeRefusal();
            if (refusal.isPresent()) {
                LOG.warn("not resuming from {} with a partial sync: {}; a full sync follows", resume.origin(),
                        refusal.get());
                return false;
            }
        }
        return true;
    }

    /** Raw-journal partial sync without DFLY SYNC exists from v1.35 (spec §6.2). */
    private boolean supportsRawPartialSync() {
        int[] v = master.releaseVersion();
        return v[0] > 1 || (v[0] == 1 && v[1] >= 35);
    }

    /** Why a master of {@code release} is not asked for a partial sync (spec §6.2). */
    static String unsupportedReleaseReason(String release) {
        int[] v = new MasterInfo("", "", 1, -1, "", release).releaseVersion();
        String r = release.isEmpty() ? "an unknown release (INFO SERVER has no dragonfly_version)"
                : "release " + release;
        if (v[0] == 1 && ((v[1] >= 16 && v[1] <= 20) || (v[1] >= 31 && v[1] <= 34))) {
            return "the master runs " + r + ", whose partial sync is an incremental snapshot after DFLY SYNC, "
                    + "which this library does not implement (it resumes from v1.35 on)";
        }
        if (v[0] == 1 && v[1] >= 21 && v[1] <= 30) {
            return "the master runs " + r + ", which has no partial sync (v1.21 to v1.30 always answer FULL)";
        }
        return "the master runs " + r + ", for which this library does not ask for a partial sync (it does from "
                + "v1.35 on)";
    }

    private synchronized ControlConnection control() {
        if (closed || control == null) {
            throw new StopSignal();
        }
        return control;
    }

    // ---------------------------------------------------------------- SessionContext

    @Override
    public ReplicatorOptions options() {
        return options;
    }

    @Override
    public ReplicationListener listener() {
        return listener;
    }

    @Override
    public HandlerGuard guard() {
        return guard;
    }

    @Override
    public CompletionStage<Void> apply(SinkEvent event) {
        return sink == null ? DONE : sink.apply(event);
    }

    @Override
    public List<HandlerRegistration> handlers() {
        return handlers;
    }

    @Override
    public GlobalCommandBarrier barrier() {
        return barrier;
    }

    @Override
    public void flowFullSyncApplied(int flow) {
        if (fullSyncApplied.incrementAndGet() == master.flowCount()) {
            host.fullSyncApplied();
        }
    }

    @Override
    public void flowStable(int flow) {
        if (stableFlows.incrementAndGet() == master.flowCount()) {
            allStable.complete(null);
        }
    }

    @Override
    public void flowFailed(int flow, ReplicationException e) {
        if (!stopping) {
            failure.complete(e);
        }
    }

    @Override
    public void fullSyncEndDecoded(int flow) {
        if (fullSyncEndDecoded.incrementAndGet() == master.flowCount()) {
            allFullSyncEndDecoded.complete(null);
        }
    }

    @Override
    public void ackSoon(int flow) {
        FlowConnection fc;
        FlowPipeline p;
        synchronized (this) {
            if (closed) {
                return;
            }
            fc = flows.get(flow);
            p = pipelines.get(flow);
        }
        Channel ch = fc.channel();
        if (ch != null) {
            ch.eventLoop().execute(() -> p.ackTick(fc));
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Where the next session can resume: the per-flow next LSNs when every flow reached stable sync
     * or this was a partial sync (a flow not yet started keeps the LSN it asked for); the previous
     * position when this session ended before a full sync began (nothing was applied); else none
     * (a full sync is needed).
     */
    public Resume resumeState() {
        MasterInfo m = master;
        if (m == null) {
            return resume;
        }
        List<FlowPipeline> ps;
        synchronized (this) {
            ps = new ArrayList<>(pipelines);
        }
        boolean allStable = stableFlows.get() == m.flowCount() && ps.size() == m.flowCount();
        if (allStable || (partial && ps.size() == m.flowCount())) {
            long[] lsns = new long[ps.size()];
            for (int i = 0; i < lsns.length; i++) {
                FlowPipeline p = ps.get(i);
                lsns[i] = p.isStable() ? p.applied() : resume.nextLsns()[i];
            }
            return new Resume(m.masterId(), m.flowCount(), lsns, targetIdentity, "the previous session");
        }
        if (!fullSyncBegun && resume != null && resume.masterId().equals(m.masterId())) {
            return resume;
        }
        return new Resume(m.masterId(), m.flowCount(), null, targetIdentity, "the previous session");
    }

    /**
     * Whether this session was healthy in stable sync: it applied a journal entry there, or stayed
     * there for a minute. The replicator then starts its reconnect back-off over.
     */
    public boolean madeProgress() {
        long since = stableSinceNanos;
        if (since == 0) {
            return false;
        }
        if (System.nanoTime() - since >= STABLE_HEALTHY_NANOS) {
            return true;
        }
        List<FlowPipeline> ps;
        synchronized (this) {
            ps = new ArrayList<>(pipelines);
        }
        return ps.stream().anyMatch(p -> p.appliedEntries() > 0);
    }

    public List<FlowStats> stats() {
        List<FlowPipeline> ps;
        List<FlowConnection> fcs;
        synchronized (this) {
            ps = new ArrayList<>(pipelines);
            fcs = new ArrayList<>(flows);
        }
        List<FlowStats> out = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            out.add(ps.get(i).stats(i < fcs.size() ? fcs.get(i) : null));
        }
        return out;
    }

    /**
     * Ends the session: optionally lets queued events be applied and ACKed first, then closes every
     * socket. Only the first call does anything: a session that already ended (it failed and was
     * closed by the supervisor) has nothing left to drain. May run concurrently with {@link #run()}:
     * whatever the supervisor opened before this call is closed here, and it opens nothing after.
     */
    public void close(boolean drain) {
        List<FlowPipeline> ps;
        List<FlowConnection> fcs;
        List<ScheduledFuture<?>> tasks;
        List<CompletableFuture<RespClient>> conns;
        CompletableFuture<ControlConnection> ctl;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = true;
            ps = new ArrayList<>(pipelines);
            fcs = new ArrayList<>(flows);
            tasks = new ArrayList<>(ackTasks);
            conns = new ArrayList<>(connecting);
            ctl = controlOpening;
        }
        // stop taking new data from the master: what was received is applied, nothing more
        ps.forEach(FlowPipeline::closing);
        for (FlowConnection fc : fcs) {
            Channel ch = fc.channel();
            if (ch != null && !ch.eventLoop().isShuttingDown()) {
                ch.eventLoop().execute(() -> ch.config().setAutoRead(false));
            }
        }
        if (drain) {
            long deadline = System.nanoTime() + options.drainTimeout().toNanos();
            for (FlowPipeline p : ps) {
                if (!p.drain(deadline)) {
                    LOG.warn("close: not every queued event was applied within {}", options.drainTimeout());
                    break;
                }
            }
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int i = 0; i < fcs.size(); i++) {
                FlowConnection fc = fcs.get(i);
                FlowPipeline p = ps.get(i);
                if (fc.channel() != null && p.isStable()) {
                    CompletableFuture<Void> f = new CompletableFuture<>();
                    fc.channel().eventLoop().execute(() -> {
                        fc.writeAck(p.applied());
                        f.complete(null);
                    });
                    acks.add(f);
                }
            }
            try {
                CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("final ACKs not confirmed: {}", e.toString());
            }
        }
        tasks.forEach(t -> t.cancel(false));
        // the applied LSNs must be final before resumeState() is read: settle what the sink holds
        long settleBy = System.nanoTime() + options.drainTimeout().toNanos();
        try {
            for (FlowPipeline p : ps) {
                p.stopAndSettle(settleBy);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ps.forEach(FlowPipeline::stop);
        }
        fcs.forEach(FlowConnection::close);
        conns.forEach(f -> f.thenAccept(RespClient::closeAsync)); // also flow sockets still connecting, never bound
        if (ctl != null) {
            ctl.thenAccept(ControlConnection::close);
        }
        failure.complete(null);
    }

    // ---------------------------------------------------------------- helpers

    /** Runs a session-level callback (supervisor thread) under the handler-failure policy. */
    private void sessionCallback(HandlerFailure.Kind kind, String callback, SinkEvent event, Supplier<String> subject,
                                 Runnable body) {
        sessionCallback(kind, callback, event, subject, body, true);
    }

    private void sessionCallback(HandlerFailure.Kind kind, String callback, SinkEvent event, Supplier<String> subject,
                                 Runnable body, boolean skippable) {
        try {
            guard.call(kind, callback, -1, 0, subject, event, () -> {
                body.run();
                return Boolean.TRUE;
            }, Boolean.FALSE, stoppingFlag, skippable);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (stopping) {
                throw new StopSignal();
            }
            throw new ReplicationException("interrupted during " + callback);
        }
        if (stopping) {
            throw new StopSignal();
        }
    }

    /** Waits for a sink stage with the command timeout; a failure is thrown as it is (for the guard). */
    private void awaitStage(CompletionStage<Void> st, String what) {
        try {
            st.toCompletableFuture().get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicationException("interrupted while waiting for " + what);
        } catch (TimeoutException e) {
            throw new ConnectionException(what + " was not confirmed within " + options.commandTimeout());
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        }
    }

    private void await(CompletableFuture<?> f, String what) {
        CompletableFuture<Object> any = CompletableFuture.anyOf(f, failure);
        try {
            any.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicationException("interrupted while waiting for " + what);
        } catch (ExecutionException e) {
            throw wrap(e.getCause(), what);
        }
        if (failure.isDone()) {
            ReplicationException ex = failure.getNow(null);
            if (ex != null) {
                throw ex;
            }
            if (stopping) {
                throw new StopSignal();
            }
        }
    }

    /** Thrown inside run() when the session was closed on purpose. */
    public static final class StopSignal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopSignal() {
            super("stopped", null, false, false);
        }
    }

    private <T> T get(CompletableFuture<T> f, String what) {
        try {
            return f.get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (stopping) {
                throw new StopSignal();
            }
            throw new ReplicationException("interrupted during " + what);
        } catch (TimeoutException e) {
            throw new ConnectionException("no reply from the Dragonfly source at " + options.source().address()
                    + " to " + what + " within " + options.commandTimeout());
        } catch (ExecutionException e) {
            if (stopping) {
                throw new StopSignal();
            }
            throw wrap(e.getCause(), what);
        }
    }

    /** The text of a simple or bulk string reply; "null" for anything else (reported as a bad reply). */
    private static String text(RespReply r) {
        return String.valueOf(io.df2redis.protocol.resp.RespReplies.text(r));
    }

    private static ReplicationException wrap(Throwable t, String what) {
        if (t instanceof ReplicationException r) {
            return r;
        }
        return new ConnectionException(what + " failed: " + t, t);
    }

    private RespReply commandRetryingLoading(ControlConnection c, Object... args) {
        long deadline = System.nanoTime() + Math.max(options.commandTimeout().toNanos(), 60_000_000_000L);
        while (true) {
            RespReply r = get(c.command(args), args[0] + " " + args[1]);
            if (r instanceof ErrorReply e && e.kind() == ErrorKind.LOADING && System.nanoTime() < deadline) {
                LOG.info("master is loading its dataset; retrying {} {} in {}", args[0], args[1],
                        options.loadingRetryDelay());
                sleep(options.loadingRetryDelay().toMillis());
                continue;
            }
            return r;
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (stopping) {
                throw new StopSignal();
            }
            throw new ReplicationException("interrupted");
        }
    }

    private void expectOk(CompletableFuture<RespReply> f, String what) {
        expectOk(get(f, what), what);
    }

    private void expectOk(RespReply r, String what) {
        if (!(r instanceof SimpleString s && s.value().equals("OK"))) {
            throw replyError(what, r);
        }
    }

    /**
     * The typed error for an unwanted reply to {@code what}. Authentication problems say that the
     * Dragonfly source refused, and what to set; they never contain the password.
     */
    private ReplicationException replyError(String what, RespReply r) {
        DragonflyEndpoint ep = options.source();
        String src = "the Dragonfly source at " + ep.address();
        String who = ep.user() != null ? "user '" + ep.user() + "'" : "the default user";
        if (r instanceof ErrorReply e) {
            switch (e.kind()) {
                case NOAUTH:
                    return new AuthenticationException(src + " requires authentication (" + e.message() + ", in reply to "
                            + what + ")" + (ep.password() == null
                            ? ": no password is configured for the source; set the source's password "
                            + "(DragonflyEndpoint.withPassword, or withUser for an ACL user)"
                            : ": the configured credentials were not accepted; check the source's password and user "
                            + "(DragonflyEndpoint.withPassword / withUser)"));
                case WRONGPASS:
                    return new AuthenticationException(src + " rejected the credentials of " + who + " ("
                            + e.message() + "): check the source's password" + (ep.user() != null ? " and user" : "")
                            + " (DragonflyEndpoint.withPassword / withUser)");
                case NOPERM:
                    return new AuthenticationException(src + " does not allow " + what + " to " + who + " ("
                            + e.message() + "): the source user needs the permissions of a Dragonfly replica "
                            + "(PING, INFO, REPLCONF, DFLY)");
                default:
                    if (what.equals("AUTH")) {
                        return new AuthenticationException(src + " refused AUTH for " + who + " (" + e.message()
                                + "): check the source's password and user (DragonflyEndpoint.withPassword / "
                                + "withUser), or configure none if the source needs none");
                    }
                    return new HandshakeException(src + " answered " + what + " with an error: " + e.message());
            }
        }
        return new HandshakeException("unexpected reply from " + src + " to " + what + ": " + r);
    }
}
