package io.df2redis.replica.internal;

import io.df2redis.protocol.journal.JournalOp;
import io.df2redis.replica.FlowStats;
import io.df2redis.replica.FullSyncRestartException;
import io.df2redis.replica.HandlerFailure;
import io.df2redis.replica.JournalEvent;
import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.ReplicationProtocolException;
import io.df2redis.replica.SinkEvent;
import io.df2redis.replica.SlowConsumerException;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongConsumer;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * One flow's path from decoder to consumers: a queue bounded in bytes, filled on the event loop
 * (never blocking it), drained by the flow's own applier thread that calls listeners, journal
 * handlers and the sink in stream order, under the replicator's handler-failure policy. Tracks the
 * applied LSN — advanced only over events whose sink stages completed (or whose failure the
 * policy skipped), in order — which the ACK task reports to the master.
 *
 * <p>Thread ownership. "Event loop" is the flow channel's Netty event loop ({@link #offer},
 * {@link #ackTick}); "applier" is this flow's {@code df2redis-flow-N} thread ({@link #run} and all
 * it calls); "any" includes the supervisor, the close thread, sink threads completing stages and
 * stats readers. The byte accounting and read pausing of the queue are {@link FlowControl}'s.
 * <ul>
 *   <li>applier writes, others read (volatile): {@code applied}, {@code appliedEntries}, {@code stable},
 *       {@code positioned}, {@code settled}; applier only: {@code inflight}, {@code pauseReported}</li>
 *   <li>shared, atomic: {@code queue} (the applier blocks in {@code take()}: woken by data, by a
 *       {@link FlowItem.Wake} that a completed sink stage or a stop queues, never by a timer),
 *       {@code wakeQueued}, {@code failed}; when an ACK is due is {@link FlowAcks}' (its own
 *       ownership rules)</li>
 *   <li>{@code settledSignal}: the monitor {@link #drain} waits on; the applier notifies it when
 *       {@code settled} becomes true, {@link #fail} when the flow fails, the event loop when the
 *       flow's spill became empty</li>
 *   <li>any thread: {@code running} (cleared by a stop or failure); {@code applier} is set by the
 *       supervisor before the applier starts</li>
 * </ul>
 *
 * <p><b>Why one class:</b> the applier loop, the in-order settling of sink stages and the settling
 * at close share the {@code inflight} queue, which must stay confined to one class; queue and spill
 * ({@link FlowControl}, {@link FlowSpill}), ACKs ({@link FlowAcks}), handlers ({@link JournalHandlers}) live apart.
 */
final class FlowPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(FlowPipeline.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final int flow;
    private final SessionContext ctx;
    private final HandlerGuard guard;
    private final LinkedBlockingQueue<FlowItem> queue = new LinkedBlockingQueue<>();
    private final FlowControl control;
    private final InflightStages inflight = new InflightStages();
    private final BooleanSupplier stopping = () -> !this.running;
    /** The sink call of {@link #apply}, one instance: a synchronously failed stage throws. */
    private final Function<SinkEvent, CompletableFuture<Void>> sinkApply = this::applyToSink;
    private final FlowListeners listeners;
    private boolean pauseReported;
    private volatile long applied;
    private volatile long appliedEntries;
    private volatile boolean stable;
    private volatile boolean positioned;
    private final FlowAcks acks;
    private volatile boolean running = true;
    private final AtomicBoolean failed = new AtomicBoolean();
    private volatile boolean settled = true;
    private volatile Thread applier;
    /** A {@link FlowItem.Wake} is in the queue (set by any thread, cleared by the applier). */
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    /** Signalled by the applier whenever {@code settled} becomes true, and on failure ({@link #drain} waits on it). */
    private final Object settledSignal = new Object();
    /** Estimated heap of the item being dispatched: its stage keeps the event until it settles. */
    private long itemBytes;

    /** Flow {@code flow} of {@code flows}: the queue limit is shared out over the flows ({@link FlowQueueLimit}). */
    FlowPipeline(int flow, int flows, SessionContext ctx) {
        this.flow = flow;
        this.ctx = ctx;
        this.guard = ctx.guard();
        this.listeners = new FlowListeners(flow, ctx, stopping);
        this.control = new FlowControl(flow, FlowQueueLimit.of(flow, flows, ctx.options().flowQueueMaxBytes()),
                ctx.options().slowConsumerPolicy());
        control.onSpillEmptied(this::signalSettled); // event loop: drain() looks again
        this.acks = new FlowAcks(ctx.options().ackInterval(), ctx.options().ackEveryEntries());
    }

    void bind(Channel ch) {
        control.bind(ch);
    }

    FlowControl control() {
        return control;
    }

    void start() {
        Thread t = new Thread(this::run, "df2redis-flow-" + flow);
        t.setDaemon(true);
        applier = t;
        t.start();
    }

    /** Called on the event loop for every decoded item. Never blocks. */
    void offer(FlowItem item) {
        if (!running) {
            return;
        }
        long over = control.added(item.bytes());
        queue.add(item);
        if (over >= 0) {
            fail(new SlowConsumerException("flow " + flow + ": " + over + " bytes queued exceed the limit of "
                    + control.limit() + " (slow-consumer policy FAIL)"));
        }
    }

    /** The session is ending: never resume reading again (spilled bytes are still fed back). */
    void closing() {
        control.closing();
    }

    private void run() {
        try {
            while (running) {
                settleCompleted();
                FlowItem item = queue.poll();
                if (item == null) {
                    markSettled(inflight.isEmpty());
                    inflight.watch(this::wake);
                    item = queue.take(); // woken by data, a completed sink stage or a stop
                }
                if (item instanceof FlowItem.Wake) {
                    wakeQueued.set(false);
                    continue;
                }
                settled = false;
                reportBackpressure();
                if (item instanceof FlowItem.Group g) {
                    for (FlowItem i : g.items()) {
                        dispatch(i);
                    }
                } else {
                    dispatch(item);
                }
                control.removed(item.bytes());
                reportBackpressure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ReplicationException e) {
            fail(e);
        } catch (VirtualMachineError e) {
            fail(new ReplicationException("flow " + flow + ": " + e, e));
            throw e;
        } catch (RuntimeException | Error e) {
            fail(new ReplicationException("flow " + flow + ": unexpected error: " + e, e));
        }
    }

    private void reportBackpressure() {
        boolean p = control.isPaused();
        if (p != pauseReported) {
            pauseReported = p;
            long q = control.queued();
            guard.notify("onBackpressure", () -> ctx.listener().onBackpressure(flow, p, q));
        }
    }

    private void dispatch(FlowItem item) throws InterruptedException {
        if (item instanceof FlowItem.Sink s) {
            itemBytes = s.bytes();
            SinkEvent e = s.event();
            if (e instanceof SinkEvent.EntryStart || e instanceof SinkEvent.EntryBatch || e instanceof SinkEvent.EntryEnd
                    || e instanceof SinkEvent.Entry w && ctx.wholeEntries()) {
                listeners.snapshot(e);
                apply(e, -1);
            } else if (e instanceof SinkEvent.Entry w) { // a sink that takes three events per key
                for (SinkEvent part : FlowListeners.parts(w)) {
                    listeners.snapshot(part);
                    apply(part, -1);
                }
            } else if (e instanceof SinkEvent.FullSyncEnd) {
                listeners.listen("onFlowFullSyncEnd", 0, e, () -> ctx.listener().onFlowFullSyncEnd(flow));
                apply(e, -1);
                drainInflight(); // "full sync applied" means the sink confirmed every snapshot write
                ctx.flowFullSyncApplied(flow);
            } else if (e instanceof SinkEvent.Journal j) {
                journal(j.event());
            }
        } else if (item instanceof FlowItem.Aux a) {
            listeners.listen("onAux", 0, null, () -> "snapshot AUX field '" + new String(a.key(), UTF_8) + "'",
                    () -> ctx.listener().onAux(flow, a.key(), a.value()));
        } else if (item instanceof FlowItem.StableStart st) {
            drainInflight();
            startAt(st.journalOffset(), true);
        } else if (item instanceof FlowItem.PartialStart ps) {
            startAt(ps.lsn(), !ps.incremental()); // incremental: stable at its eof token (StableStart)
        } else if (item instanceof FlowItem.LsnRecord r) {
            if (!r.entry().lsnMatches()) {
                String msg = "flow " + flow + ": LSN record " + r.entry().lsn() + " does not match the last entry's LSN";
                if (ctx.options().failOnLsnMismatch()) {
                    throw new ReplicationProtocolException(msg);
                }
                LOG.warn(msg);
            }
        }
    }

    /** The applied LSN is known from here on; in stable sync ACKs start. */
    private void startAt(long lsn, boolean nowStable) {
        applied = lsn;
        positioned = true;
        if (nowStable) {
            stable = true;
            acks.request();
            ctx.flowStable(flow);
        }
    }

    private void journal(JournalEvent ev) throws InterruptedException {
        SinkEvent.Journal je = new SinkEvent.Journal(flow, ev);
        if (ev.fullSync()) {
            if (ev.isGlobalCommand()) {
                throw new FullSyncRestartException("flow " + flow + ": " + ev.command()
                        + " journaled during full sync: the full sync starts over");
            }
            if (ev.op() == JournalOp.PING || !ev.op().hasCommand()) {
                return;
            }
            if (handle(ev, je)) {
                listeners.listen("onJournalEntry", 0, je, () -> ctx.listener().onJournalEntry(ev));
                apply(je, -1);
            }
            return;
        }
        if (ev.op() == JournalOp.PING || !ev.op().hasCommand()) {
            listeners.listen("onJournalEntry", ev.lsn(), je, () -> ctx.listener().onJournalEntry(ev));
            inflight.add(ev.lsn(), je, DONE, 0);
            settleCompleted();
            if (ev.op() == JournalOp.PING) {
                acks.request();
                ctx.ackSoon(flow);
            }
            return;
        }
        if (ev.isGlobalCommand()) {
            drainInflight();
            ctx.barrier().arrive(flow, ev.txid(), ev.lsn() + 1, nextLsns -> {
                SinkEvent.GlobalCommand gc = new SinkEvent.GlobalCommand(flow, ev, nextLsns);
                listeners.listen("onJournalEntry", ev.lsn(), gc, () -> ctx.listener().onJournalEntry(ev));
                // every flow waits at the barrier and nothing later is with the sink: a failure can be
                // retried in place
                guard.call(HandlerFailure.Kind.SINK, "ReplicationSink.apply", flow, ev.lsn(),
                        () -> HandlerFailure.describe(gc), gc, () -> {
                            ctx.apply(gc).toCompletableFuture().join();
                            return Boolean.TRUE;
                        }, Boolean.FALSE, stopping);
            }, stopping);
            inflight.add(ev.lsn(), new SinkEvent.GlobalCommand(flow, ev), DONE, 0);
            settleCompleted();
            return;
        }
        if (handle(ev, je)) {
            listeners.listen("onJournalEntry", ev.lsn(), je, () -> ctx.listener().onJournalEntry(ev));
            apply(je, ev.lsn());
        } else {
            inflight.add(ev.lsn(), je, DONE, 0);
            settleCompleted();
        }
    }

    /**
     * Runs the host's journal handlers ({@link JournalHandlers#pass}); false when one skipped the
     * entry, or failed and the policy skipped it.
     */
    private boolean handle(JournalEvent ev, SinkEvent.Journal je) throws InterruptedException {
        return JournalHandlers.pass(guard, ctx.handlers(), flow, ev, je, stopping);
    }

    /**
     * Hands an event to the sink. A sink that throws, or returns a stage that already failed, is
     * handled in place by the policy (nothing later was handed over yet); a stage that fails
     * later is handled when it settles.
     */
    private void apply(SinkEvent e, long lsn) throws InterruptedException {
        CompletableFuture<Void> st = guard.callOn(HandlerFailure.Kind.SINK, "ReplicationSink.apply", flow,
                Math.max(lsn, 0), HandlerFailure::describe, e, sinkApply, DONE, stopping, true);
        inflight.add(lsn, e, st, itemBytes); // watched only if the applier goes idle first
        settleCompleted();
        while (inflight.size() > ctx.options().maxInFlightPerFlow() || inflight.bytes() > control.limit()) {
            waitHead();
        }
    }

    private CompletableFuture<Void> applyToSink(SinkEvent ev) {
        CompletableFuture<Void> f = ctx.apply(ev).toCompletableFuture();
        if (f.isCompletedExceptionally()) {
            f.join(); // throws: a synchronous failure
        }
        return f;
    }

    private void waitHead() throws InterruptedException {
        CompletableFuture<Void> head = inflight.headStage();
        if (head == null) {
            return;
        }
        try {
            head.get();
        } catch (ExecutionException | CancellationException e) {
            // handled by settleCompleted
        }
        settleCompleted();
    }

    private void drainInflight() throws InterruptedException {
        while (!inflight.isEmpty()) {
            waitHead();
        }
    }

    /** Advances the applied LSN over the completed prefix of outstanding stages. */
    private void settleCompleted() {
        CompletableFuture<Void> stage;
        while ((stage = inflight.headStage()) != null && stage.isDone()) {
            long lsn = inflight.headLsn();
            if (stage.isCompletedExceptionally()) {
                Throwable cause;
                try {
                    stage.join();
                    cause = new IllegalStateException("failed stage completed normally");
                } catch (RuntimeException e) {
                    cause = e;
                }
                // throws unless the policy skipped it (the failed stage then stays at the head, so
                // nothing after it is counted when the session settles); skipped: counts as applied
                guard.stageFailed(flow, Math.max(lsn, 0), inflight.headEvent(), cause, stopping);
            }
            inflight.poll();
            if (lsn > 0) {
                applied = lsn + 1;
                long n = appliedEntries + 1;
                appliedEntries = n;
                acks.applied(n);
            }
        }
    }

    /** ACK task, on the event loop: sends REPLCONF ACK through {@code writer} when due. */
    void ackTick(LongConsumer writer) {
        if (stable) {
            acks.tick(() -> appliedEntries, () -> applied, writer);
        }
    }

    private void fail(ReplicationException e) {
        if (failed.compareAndSet(false, true)) {
            running = false;
            queue.add(new FlowItem.Wake());
            signalSettled();
            ctx.flowFailed(flow, e);
        }
    }

    /**
     * Waits (on a condition the applier signals, no polling) until every queued item was applied and
     * every sink stage completed: true when drained, false on failure, interruption or deadline.
     */
    boolean drain(long deadlineNanos) {
        synchronized (settledSignal) {
            while (!failed.get() && !(queue.isEmpty() && settled && control.spillEmpty())) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(settledSignal, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !failed.get();
        }
    }

    /** Applier: records whether everything handed over so far has settled, and tells {@link #drain}. */
    private void markSettled(boolean s) {
        settled = s;
        if (s) {
            signalSettled();
        }
    }

    private void signalSettled() {
        synchronized (settledSignal) {
            settledSignal.notifyAll();
        }
    }

    /** Any thread: wakes the applier (at most one wake-up is queued at a time). */
    private void wake() {
        if (wakeQueued.compareAndSet(false, true)) {
            queue.add(new FlowItem.Wake());
        }
    }

    void stop() {
        running = false;
        queue.add(new FlowItem.Wake());
        Thread t = applier;
        if (t != null) {
            t.interrupt();
        }
    }

    /**
     * Ends the applier and settles what it handed to the sink, so that {@link #applied()} is exact
     * for a resume (else a write the sink confirmed later would be applied again by the next partial
     * sync: INCR or LPUSH would differ): nothing is handed over after this returns, and every stage
     * outstanding is awaited (until {@code deadlineNanos}) and counted in order when it succeeded.
     * False when a stage failed or did not settle in time, or the applier did not end (the applied
     * LSN stays before it; a resume may repeat it). Runs on the closing thread, never the applier.
     */
    boolean stopAndSettle(long deadlineNanos) throws InterruptedException {
        running = false; // the applier hands nothing more over once its current item is done
        queue.add(new FlowItem.Wake());
        Thread t = applier;
        if (t != null && t != Thread.currentThread()) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
            if (t.isAlive()) {
                t.interrupt();
                t.join(1000);
            }
            if (t.isAlive()) {
                LOG.warn("flow {}: the applier did not end; a resume may repeat writes after LSN {}", flow, applied);
                return false;
            }
        }
        // the applier has ended (join: happens-before), so its inflight queue is this thread's now
        CompletableFuture<Void> stage;
        while ((stage = inflight.headStage()) != null) {
            long lsn = inflight.headLsn();
            try {
                stage.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                LOG.warn("flow {}: {} sink writes not confirmed in time; a resume may repeat writes after LSN {}",
                        flow, inflight.size(), applied);
                return false;
            } catch (ExecutionException | CancellationException e) {
                return false; // not confirmed: the applied LSN stays before it
            }
            inflight.poll();
            if (lsn > 0) {
                applied = lsn + 1;
                appliedEntries = appliedEntries + 1;
            }
        }
        return true;
    }

    long applied() {
        return applied;
    }

    /** Journal entries applied (settled) with their LSNs by this pipeline. */
    long appliedEntries() {
        return appliedEntries;
    }

    boolean isStable() {
        return stable;
    }

    /** Whether {@link #applied()} is a position: stable sync, or an incremental stream's journal items. */
    boolean isPositioned() {
        return positioned;
    }

    FlowStats stats(FlowConnection conn) {
        return control.stats(conn, applied, acks.lastSent(), inflight.settledBytes());
    }
}
