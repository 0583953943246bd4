package io.df2redis.replica.internal;

import io.df2redis.protocol.client.RespClient;
import io.df2redis.replica.ConnectionException;
import io.df2redis.replica.DragonflyEndpoint;
import io.df2redis.replica.FlowStats;
import io.df2redis.replica.HandlerFailure;
import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.ReplicationListener;
import io.df2redis.replica.ReplicationSink;
import io.df2redis.replica.ReplicationState;
import io.df2redis.replica.ReplicatorOptions;
import io.df2redis.replica.SinkEvent;
import io.df2redis.replica.SlowConsumerPolicy;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One replication session (spec §1–§3, §5): the {@link Handshake} on the control connection, one
 * connection per flow ({@link FlowSetup}, with the {@link ResumePlan} deciding between a full and a
 * partial sync), full sync (or a partial one, in the release's {@link SyncForm}: the incremental
 * form also sends {@code DFLY SYNC}, but empties nothing and tells no one of a full sync), then
 * stable sync until an error or a stop; the
 * {@link AckScheduler} acknowledges what was applied. {@link #run()} blocks the supervisor thread;
 * data flows through the event loop and the per-flow appliers. Internal: the replicator is its
 * only user (public only because the replicator lives in the API package; the package is not
 * exported).
 *
 * <p>Thread ownership. The supervisor thread runs {@link #run()} and owns {@code master},
 * {@code barrier}, {@code form}, {@code fullSyncBegun} and {@code targetIdentity} (written before
 * the flows start, read by appliers after {@link Thread#start()}; all volatile, since
 * {@link #resumeState()} also reads them from the replicator's checkpoint and close threads).
 * {@link #close(boolean)} runs on the supervisor or on the replicator's close thread, concurrently
 * with {@link #run()}: everything the two share ({@code closed}, {@code pipelines}, {@code flows},
 * {@code connecting}, {@code controlOpening}, {@code control}, {@code spiller}) is guarded by
 * {@code this}; the supervisor adds to those only while the session is not closed, and close()
 * works on a snapshot taken when it set {@code closed}, so nothing opened by the supervisor
 * escapes it (the spill, with its thread and files, included).
 * Event-loop and applier callbacks ({@link FlowConnection.Events}, {@link SessionContext}) touch
 * only futures, atomics and volatiles ({@code stopping}, {@code stableSinceNanos}), the
 * {@link AckScheduler} (its own lock) or take the lock briefly.
 *
 * <p>Why one class: {@link #run()}, {@link #close(boolean)} and the callbacks of the flows share
 * the lock-guarded lists above and the session's failure future; splitting them would spread one
 * lock over several classes. The handshake, flow set-up, resume decision, ACK scheduling and
 * command waits live in their own classes.
 */
public final class Session implements SessionContext, FlowConnection.Events {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** A session stable for this long counts as healthy even without writes (resets the reconnect back-off). */
    private static final long STABLE_HEALTHY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final ReplicatorOptions options;
    private final EventLoopGroup group;
    private final ReplicationListener listener;
    private final ListenerCalls listenerCalls;
    private final ReplicationSink sink;
    private final List<HandlerRegistration> handlers;
    private final HandlerGuard guard;
    private final ResumePosition resume;
    private final SessionHost host;
    private final SourceCommands cmd;
    private final AckScheduler acks = new AckScheduler();
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
    private final List<CompletableFuture<RespClient>> connecting = new ArrayList<>();
    private CompletableFuture<ControlConnection> controlOpening;
    private ControlConnection control;
    private Spiller spiller;
    private boolean closed;
    // any thread
    private volatile boolean stopping;
    private volatile long stableSinceNanos;
    // supervisor
    private volatile MasterInfo master;
    private volatile GlobalCommandBarrier barrier;
    private volatile SyncForm form = SyncForm.FULL;
    private volatile boolean fullSyncBegun;
    private volatile Optional<String> targetIdentity = Optional.empty();

    /**
     * A session; nothing happens before {@link #run()}.
     *
     * @param resume where the previous session stopped, or null
     * @param host what the session reports to
     */
    public Session(ReplicatorOptions options, EventLoopGroup group, ReplicationListener listener, ReplicationSink sink,
                   List<HandlerRegistration> handlers, HandlerGuard guard, ResumePosition resume, SessionHost host) {
        this.options = options;
        this.group = group;
        this.listener = listener;
        this.listenerCalls = new ListenerCalls(listener);
        this.sink = sink;
        this.handlers = handlers;
        this.guard = guard;
        this.resume = resume;
        this.host = host;
        this.cmd = new SourceCommands(options, stoppingFlag);
    }

    /** @return the master of this session, or null before its handshake */
    public MasterInfo master() {
        return master;
    }

    /** Runs the session until it fails (throws) or is stopped (returns). */
    public void run() {
        host.state(ReplicationState.CONNECTING);
        handshake();
        openFlows();
        ControlConnection c = control();
        if (form.partial()) {
            if (form == SyncForm.INCREMENTAL) { // its replay is an RDB stream that DFLY SYNC starts (spec §6.2)
                cmd.expectOk(cmd.commandRetryingLoading(c, "DFLY", "SYNC", master.syncId()), "DFLY SYNC");
                await(allFullSyncEndDecoded, "FULLSYNC_END of every incremental partial sync stream");
            }
            cmd.expectOk(cmd.commandRetryingLoading(c, "DFLY", "STARTSTABLE", master.syncId()), "DFLY STARTSTABLE");
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
                    () -> cmd.awaitStage(apply(start), "the sink's full-sync start"));
            for (int i = 0; i < m.flowCount(); i++) {
                int flow = i;
                sessionCallback(HandlerFailure.Kind.LISTENER, "ReplicationListener.onFlowFullSyncStart", null,
                        () -> "full-sync start of flow " + flow, () -> listener.onFlowFullSyncStart(flow));
            }
            cmd.expectOk(cmd.commandRetryingLoading(c, "DFLY", "SYNC", m.syncId()), "DFLY SYNC");
            await(allFullSyncEndDecoded, "FULLSYNC_END on every flow");
            cmd.expectOk(cmd.commandRetryingLoading(c, "DFLY", "STARTSTABLE", m.syncId()), "DFLY STARTSTABLE");
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
                throw new SessionStopped();
            }
            controlOpening = opening;
        }
        ControlConnection c = cmd.get(opening, "connect to the Dragonfly source at " + ep.address());
        synchronized (this) {
            control = c;
        }
        c.closed().thenRun(() -> failure.complete(
                new ConnectionException("control connection to the Dragonfly source at " + ep.address() + " closed")));
        MasterInfo mi = new Handshake(options, cmd).run(c);
        master = mi;
        LOG.info("handshake with {} done: master {} ({}), {} flows, session {}", ep, mi.masterId(),
                mi.release().isEmpty() ? "unknown release" : mi.release(), mi.flowCount(), mi.syncId());
        host.handshake(mi);
        sessionCallback(HandlerFailure.Kind.LISTENER, "ReplicationListener.onHandshake", null,
                () -> "handshake with master " + mi.masterId(), () -> listener.onHandshake(mi));
        if (sink != null) {
            sessionCallback(HandlerFailure.Kind.SINK, "ReplicationSink.open", null,
                    () -> "opening the sink for master " + mi.masterId(), () -> {
                        sink.open(mi);
                        Optional<String> id = sink.targetIdentity();
                        targetIdentity = id != null ? id : Optional.empty();
                    }, false);
        }
    }

    // ---------------------------------------------------------------- flows

    private void openFlows() {
        MasterInfo m = master;
        int n = m.flowCount();
        barrier = new GlobalCommandBarrier(n);
        boolean askPartial = ResumePlan.askPartial(resume, m, options, targetIdentity, sink);
        List<FlowPipeline> ps = new ArrayList<>();
        List<FlowConnection> fcs = new ArrayList<>();
        Spiller sp = options.slowConsumerPolicy() == SlowConsumerPolicy.SPILL ? Spiller.open(options.spillOptions())
                : null; // its own thread and files, discarded in close(): spilled bytes never outlive the session
        for (int i = 0; i < n; i++) {
            FlowPipeline p = new FlowPipeline(i, n, this);
            ps.add(p);
            fcs.add(new FlowConnection(i, p, this, options.decoderOptions()));
            if (sp != null) {
                fcs.get(i).spill(sp.attach(i, p.control(), fcs.get(i)));
            }
        }
        List<CompletableFuture<RespClient>> clients = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                Optional.ofNullable(sp).ifPresent(Spiller::close);
                throw new SessionStopped();
            }
            spiller = sp;
            pipelines.addAll(ps);
            flows.addAll(fcs);
            for (int i = 0; i < n; i++) {
                CompletableFuture<RespClient> f = Connections.connect(group, options.source(),
                        options.connectTimeout(), "flow " + i + " connection");
                connecting.add(f);
                clients.add(f);
            }
        }
        form = new FlowSetup(options, cmd).negotiate(m, fcs, clients, resume, askPartial);
        synchronized (this) {
            if (closed) {
                throw new SessionStopped();
            }
            for (int i = 0; i < n; i++) {
                ps.get(i).start();
                acks.start(ps.get(i), fcs.get(i));
            }
        }
    }

    private synchronized ControlConnection control() {
        if (closed || control == null) {
            throw new SessionStopped();
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
    public boolean wholeEntries() {
        return sink == null || sink.acceptsWholeEntries(); // without a sink there is nothing to split for
    }

    @Override
    public boolean listens(String method) {
        return listenerCalls.listens(method);
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
        GlobalCommandBarrier b = barrier;
        if (b != null) {
            b.cancel(); // no flow waits at a global command for one that failed
        }
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
        acks.ackSoon(flow);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Where the next session can resume ({@link ResumePlan#next}); any thread. */
    public ResumePosition resumeState() {
        List<FlowPipeline> ps;
        synchronized (this) {
            ps = new ArrayList<>(pipelines);
        }
        return ResumePlan.next(resume, master, ps, stableFlows.get(), form.partial(), fullSyncBegun, targetIdentity);
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
     * Ends the session: optionally lets queued and spilled events be applied and ACKed first (within
     * the drain timeout; reading from the master stops at once), then closes every socket and
     * discards the spill. Only the first call does anything: a session that already ended (it failed and was
     * closed by the supervisor) has nothing left to drain. May run concurrently with {@link #run()}:
     * whatever the supervisor opened before this call is closed here, and it opens nothing after.
     */
    public void close(boolean drain) {
        List<FlowPipeline> ps;
        List<FlowConnection> fcs;
        List<CompletableFuture<RespClient>> conns;
        CompletableFuture<ControlConnection> ctl;
        Spiller sp;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = true;
            ps = new ArrayList<>(pipelines);
            fcs = new ArrayList<>(flows);
            conns = new ArrayList<>(connecting);
            ctl = controlOpening;
            sp = spiller;
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
                    LOG.warn("close: not every queued or spilled event was applied within {}", options.drainTimeout());
                    break;
                }
            }
            AckScheduler.finalAcks(ps, fcs);
        }
        acks.stop();
        GlobalCommandBarrier b = barrier;
        if (b != null) {
            b.cancel(); // after the drain: no applier waits at a global command for one that stopped
        }
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
        Optional.ofNullable(sp).ifPresent(Spiller::close); // spilled, not applied: the next session asks again
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
                throw new SessionStopped();
            }
            throw new ReplicationException("interrupted during " + callback);
        }
        if (stopping) {
            throw new SessionStopped();
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
            throw SourceCommands.wrap(e.getCause(), what);
        }
        if (failure.isDone()) {
            ReplicationException ex = failure.getNow(null);
            if (ex != null) {
                throw ex;
            }
            if (stopping) {
                throw new SessionStopped();
            }
        }
    }
}
