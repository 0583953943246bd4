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
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One replication session (spec §1–§3, §5): handshake on the control connection, one
 * connection per flow, full (or partial) sync, then stable sync until an error or a stop.
 * {@link #run()} blocks the supervisor thread; data flows through the event loop and the
 * per-flow appliers.
 */
public final class Session implements SessionContext, FlowConnection.Events {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** What the session reports to its replicator. */
    public interface Host {
        void state(ReplicationState state);

        void handshake(MasterInfo master);

        void fullSyncStarted();

        void fullSyncApplied();

        void stableReached();
    }

    /** Where a previous session stopped, for a partial sync. */
    public record Resume(String masterId, int flows, long[] nextLsns) {
    }

    /** A journal handler with its selector. */
    public record HandlerRegistration(Predicate<JournalEvent> selector, JournalCommandHandler handler) {
    }

    private final ReplicatorOptions options;
    private final EventLoopGroup group;
    private final ReplicationListener listener;
    private final ReplicationSink sink;
    private final List<HandlerRegistration> handlers;
    private final Resume resume;
    private final Host host;
    private final CompletableFuture<ReplicationException> failure = new CompletableFuture<>();
    private final CompletableFuture<Void> allFullSyncEndDecoded = new CompletableFuture<>();
    private final CompletableFuture<Void> allStable = new CompletableFuture<>();
    private final AtomicInteger fullSyncEndDecoded = new AtomicInteger();
    private final AtomicInteger fullSyncApplied = new AtomicInteger();
    private final AtomicInteger stableFlows = new AtomicInteger();
    private final List<FlowPipeline> pipelines = new ArrayList<>();
    private final List<FlowConnection> flows = new ArrayList<>();
    private final List<ScheduledFuture<?>> ackTasks = new ArrayList<>();
    private volatile boolean stopping;
    private boolean closed;
    private volatile MasterInfo master;
    private ControlConnection control;
    private GlobalCommandBarrier barrier;
    private boolean partial;

    public Session(ReplicatorOptions options, EventLoopGroup group, ReplicationListener listener, ReplicationSink sink,
                   List<HandlerRegistration> handlers, Resume resume, Host host) {
        this.options = options;
        this.group = group;
        this.listener = listener;
        this.sink = sink;
        this.handlers = handlers;
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
        if (partial) {
            command(control, "DFLY", "STARTSTABLE", master.syncId()).join();
            await(allStable, "partial sync start");
        } else {
            host.fullSyncStarted();
            host.state(ReplicationState.FULL_SYNC);
            listener.onFullSyncStart(master);
            join(apply(new SinkEvent.FullSyncStart(-1, master)), "sink full-sync start");
            for (int i = 0; i < master.flowCount(); i++) {
                listener.onFlowFullSyncStart(i);
            }
            expectOk(commandRetryingLoading(control, "DFLY", "SYNC", master.syncId()), "DFLY SYNC");
            await(allFullSyncEndDecoded, "FULLSYNC_END on every flow");
            expectOk(commandRetryingLoading(control, "DFLY", "STARTSTABLE", master.syncId()), "DFLY STARTSTABLE");
            await(allStable, "stable sync on every flow");
            listener.onFullSyncComplete();
        }
        host.state(ReplicationState.STABLE_SYNC);
        host.stableReached();
        await(new CompletableFuture<>(), "replication");
    }

    // ---------------------------------------------------------------- handshake

    private void handshake() {
        DragonflyEndpoint ep = options.source();
        control = get(ControlConnection.open(group, ep, options.connectTimeout()), "connect");
        control.closed().thenRun(() -> failure.complete(
                new ConnectionException("control connection to " + ep.host() + ":" + ep.port() + " closed")));
        auth(control::command);
        RespReply pong = get(control.command("PING"), "PING");
        if (!(pong instanceof SimpleString s && s.value().equals("PONG"))) {
            throw replyError("PING", pong);
        }
        expectOk(control.command("REPLCONF", "listening-port", options.listeningPort()), "REPLCONF listening-port");
        if (options.announceIp() != null) {
            expectOk(control.command("REPLCONF", "ip-address", options.announceIp()), "REPLCONF ip-address");
        }
        expectOk(control.command("REPLCONF", "capa", "eof", "capa", "psync2"), "REPLCONF capa eof capa psync2");
        RespReply capa = get(control.command("REPLCONF", "capa", "dragonfly"), "REPLCONF capa dragonfly");
        MasterInfo m = parseCapa(capa);
        expectOk(control.command("REPLCONF", "CLIENT-ID", options.clientId()), "REPLCONF CLIENT-ID");
        expectOk(control.command("REPLCONF", "CLIENT-VERSION", 4), "REPLCONF CLIENT-VERSION");
        String release = "";
        RespReply info = get(control.command("INFO", "SERVER"), "INFO SERVER");
        if (info instanceof BulkString b) {
            for (String line : b.asString().split("\r?\n")) {
                if (line.startsWith("dragonfly_version:")) {
                    release = line.substring("dragonfly_version:".length()).trim();
                }
            }
        }
        master = new MasterInfo(m.masterId(), m.syncId(), m.flowCount(), m.protocolVersion(), m.lineageId(), release);
        LOG.info("handshake with {} done: master {} ({}), {} flows, session {}", ep, master.masterId(),
                release.isEmpty() ? "unknown release" : release, master.flowCount(), master.syncId());
        host.handshake(master);
        listener.onHandshake(master);
        if (sink != null) {
            sink.open(master);
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
            throw new UnsupportedMasterException("the master answered +OK to REPLCONF capa dragonfly: it is not a "
                    + "Dragonfly server (a Redis master?) and cannot be replicated with this library");
        }
        if (r instanceof ErrorReply e) {
            if (e.message().contains("replica")) {
                throw new UnsupportedMasterException("the master refuses replication: " + e.message());
            }
            throw replyError("REPLCONF capa dragonfly", r);
        }
        if (!(r instanceof ArrayReply a) || a.size() < 3) {
            throw new HandshakeException("unexpected reply to REPLCONF capa dragonfly: " + r);
        }
        String id = FlowConnection.text(a.get(0));
        String sync = FlowConnection.text(a.get(1));
        if (id.length() != 40 || !(a.get(0) instanceof SimpleString)) {
            throw new HandshakeException("bad master id in the capa reply: " + a.get(0));
        }
        if (!(a.get(2) instanceof IntegerReply n) || n.value() < 1 || n.value() > 1024) {
            throw new HandshakeException("bad flow count in the capa reply: " + a.get(2));
        }
        int version = a.size() > 3 && a.get(3) instanceof IntegerReply v ? (int) v.value() : -1;
        String lineage = a.size() > 4 ? FlowConnection.text(a.get(4)) : id;
        return new MasterInfo(id, sync, (int) n.value(), version, lineage, "");
    }

    // ---------------------------------------------------------------- flows

    private void openFlows() {
        int n = master.flowCount();
        barrier = new GlobalCommandBarrier(n);
        boolean askPartial = options.partialSync() && resume != null && resume.masterId().equals(master.masterId())
                && resume.flows() == n && resume.nextLsns() != null && supportsRawPartialSync();
        List<CompletableFuture<RespReply>> replies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FlowPipeline p = new FlowPipeline(i, this);
            FlowConnection fc = new FlowConnection(i, p, this, options.decoderOptions());
            pipelines.add(p);
            flows.add(fc);
        }
        List<CompletableFuture<Channel>> channels = new ArrayList<>();
        for (FlowConnection fc : flows) {
            channels.add(Connections.connect(group, options.source(), options.connectTimeout(), () -> fc));
        }
        for (int i = 0; i < n; i++) {
            FlowConnection fc = flows.get(i);
            fc.bind(get(channels.get(i), "connect flow " + i));
            int flow = i;
            auth((Object... args) -> fc.command(false, args));
            if (askPartial) {
                fc.requestedLsn(resume.nextLsns()[i]);
                replies.add(fc.command(true, "DFLY", "FLOW", master.masterId(), master.syncId(), flow,
                        resume.nextLsns()[i]));
            } else {
                replies.add(fc.command(true, "DFLY", "FLOW", master.masterId(), master.syncId(), flow));
            }
        }
        int full = 0;
        int part = 0;
        for (int i = 0; i < n; i++) {
            RespReply r = get(replies.get(i), "DFLY FLOW " + i);
            if (!(r instanceof ArrayReply a) || a.size() != 2) {
                throw replyError("DFLY FLOW", r);
            }
            String kind = FlowConnection.text(a.get(0));
            String token = FlowConnection.text(a.get(1));
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
            throw new HandshakeException("the master answered FULL on " + full + " and PARTIAL on " + part
                    + " flows: reconnecting for a full sync");
        }
        partial = part == n;
        if (partial) {
            LOG.info("partial sync from LSNs {}", java.util.Arrays.toString(resume.nextLsns()));
        }
        for (int i = 0; i < n; i++) {
            pipelines.get(i).start();
            FlowConnection fc = flows.get(i);
            FlowPipeline p = pipelines.get(i);
            ackTasks.add(fc.channel().eventLoop().scheduleAtFixedRate(() -> p.ackTick(fc), 100, 100,
                    TimeUnit.MILLISECONDS));
        }
    }

    /** Raw-journal partial sync without DFLY SYNC exists from v1.35 (spec §6.2). */
    private boolean supportsRawPartialSync() {
        int[] v = master.releaseVersion();
        return v[0] > 1 || (v[0] == 1 && v[1] >= 35);
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
    public CompletionStage<Void> apply(SinkEvent event) {
        if (sink == null) {
            return DONE;
        }
        try {
            return sink.apply(event);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public boolean handle(JournalEvent event) {
        for (HandlerRegistration h : handlers) {
            if (h.selector().test(event) && !h.handler().handle(event)) {
                return false;
            }
        }
        return true;
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
        FlowConnection fc = flows.get(flow);
        FlowPipeline p = pipelines.get(flow);
        fc.channel().eventLoop().execute(() -> p.ackTick(fc));
    }

    // ---------------------------------------------------------------- lifecycle

    /** The per-flow next LSNs to resume from, when every flow reached stable sync. */
    public Resume resumeState() {
        if (master == null || stableFlows.get() != master.flowCount()) {
            return master == null ? resume : new Resume(master.masterId(), master.flowCount(), null);
        }
        long[] lsns = new long[pipelines.size()];
        for (int i = 0; i < lsns.length; i++) {
            lsns[i] = pipelines.get(i).applied();
        }
        return new Resume(master.masterId(), master.flowCount(), lsns);
    }

    public List<FlowStats> stats() {
        List<FlowStats> out = new ArrayList<>();
        for (int i = 0; i < pipelines.size(); i++) {
            out.add(pipelines.get(i).stats(i < flows.size() ? flows.get(i) : null));
        }
        return out;
    }

    /**
     * Ends the session: optionally lets queued events be applied and ACKed first, then closes every
     * socket. Only the first call does anything: a session that already ended (it failed and was
     * closed by the supervisor) has nothing left to drain.
     */
    public void close(boolean drain) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stopping = true;
        // stop taking new data from the master: what was received is applied, nothing more
        pipelines.forEach(FlowPipeline::closing);
        for (FlowConnection fc : flows) {
            Channel ch = fc.channel();
            if (ch != null && !ch.eventLoop().isShuttingDown()) {
                ch.eventLoop().execute(() -> ch.config().setAutoRead(false));
            }
        }
        if (drain) {
            long deadline = System.nanoTime() + options.drainTimeout().toNanos();
            for (FlowPipeline p : pipelines) {
                if (!p.drain(deadline)) {
                    LOG.warn("close: not every queued event was applied within {}", options.drainTimeout());
                    break;
                }
            }
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int i = 0; i < flows.size(); i++) {
                FlowConnection fc = flows.get(i);
                FlowPipeline p = pipelines.get(i);
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
        ackTasks.forEach(t -> t.cancel(false));
        pipelines.forEach(FlowPipeline::stop);
        flows.forEach(FlowConnection::close);
        if (control != null) {
            control.close();
        }
        failure.complete(null);
    }

    // ---------------------------------------------------------------- helpers

    private void await(CompletableFuture<?> f, String what) {
        CompletableFuture<Object> any = CompletableFuture.anyOf(f, failure);
        Object r;
        try {
            r = any.get();
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
            throw new ReplicationException("interrupted during " + what);
        } catch (TimeoutException e) {
            throw new ConnectionException("no reply to " + what + " within " + options.commandTimeout());
        } catch (ExecutionException e) {
            if (stopping) {
                throw new StopSignal();
            }
            throw wrap(e.getCause(), what);
        }
    }

    private void join(CompletionStage<Void> st, String what) {
        get(st.toCompletableFuture(), what);
    }

    private static ReplicationException wrap(Throwable t, String what) {
        if (t instanceof ReplicationException r) {
            return r;
        }
        return new ConnectionException(what + " failed: " + t, t);
    }

    private CompletableFuture<RespReply> command(ControlConnection c, Object... args) {
        return c.command(args);
    }

    private RespReply commandRetryingLoading(ControlConnection c, Object... args) {
        long deadline = System.nanoTime() + Math.max(options.commandTimeout().toNanos(), 60_000_000_000L);
        while (true) {
            RespReply r = get(c.command(args), String.valueOf(args[0]) + " " + args[1]);
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

    private static ReplicationException replyError(String what, RespReply r) {
        if (r instanceof ErrorReply e) {
            switch (e.kind()) {
                case NOAUTH:
                case WRONGPASS:
                case NOPERM:
                    return new AuthenticationException(what + " rejected: " + e.message());
                default:
                    return new HandshakeException(what + " failed: " + e.message());
            }
        }
        return new HandshakeException("unexpected reply to " + what + ": " + r);
    }

}
