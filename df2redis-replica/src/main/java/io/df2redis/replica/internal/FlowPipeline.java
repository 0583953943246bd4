package io.df2redis.replica.internal;

import io.df2redis.protocol.journal.JournalOp;
import io.df2redis.replica.FlowStats;
import io.df2redis.replica.FullSyncRestartException;
import io.df2redis.replica.JournalEvent;
import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.ReplicationProtocolException;
import io.df2redis.replica.SinkEvent;
import io.df2redis.replica.SinkException;
import io.df2redis.replica.SlowConsumerException;
import io.df2redis.replica.SlowConsumerPolicy;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One flow's path from decoder to consumers: a queue bounded in bytes, filled on the event loop
 * (never blocking it), drained by the flow's own applier thread that calls listeners and the
 * sink in stream order. Tracks the applied LSN — advanced only over events whose sink stages
 * completed, in order — which the ACK task reports to the master.
 */
final class FlowPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(FlowPipeline.class);

    private final int flow;
    private final SessionContext ctx;
    private final LinkedBlockingQueue<FlowItem> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final ArrayDeque<Pending> inflight = new ArrayDeque<>();
    private final long limit;
    private volatile Channel channel;
    private volatile boolean paused;
    private boolean pauseReported;
    private volatile long pauseStartNanos;
    private final AtomicLong pauses = new AtomicLong();
    private final AtomicLong pausedNanos = new AtomicLong();
    private volatile long maxQueued;
    private volatile long applied;
    private volatile boolean stable;
    private volatile boolean ackNow;
    private volatile long lastAckSent = -1;
    private long lastAckAtNanos;
    private long appliedSinceAck;
    private volatile boolean running = true;
    private volatile boolean failed;
    private volatile boolean settled = true;
    private volatile boolean closing;
    private Thread applier;

    private record Pending(long lsn, CompletableFuture<Void> stage) {
    }

    FlowPipeline(int flow, SessionContext ctx) {
        this.flow = flow;
        this.ctx = ctx;
        this.limit = ctx.options().flowQueueMaxBytes();
    }

    void bind(Channel ch) {
        this.channel = ch;
    }

    void start() {
        applier = new Thread(this::run, "df2redis-flow-" + flow);
        applier.setDaemon(true);
        applier.start();
    }

    /** Called on the event loop for every decoded item. Never blocks. */
    void offer(FlowItem item) {
        if (!running) {
            return;
        }
        long q = queued.addAndGet(item.bytes());
        if (q > maxQueued) {
            maxQueued = q;
        }
        queue.add(item);
        if (q > limit && !paused) {
            if (ctx.options().slowConsumerPolicy() == SlowConsumerPolicy.FAIL) {
                fail(new SlowConsumerException("flow " + flow + ": " + q + " bytes queued exceed the limit of "
                        + limit + " (slow-consumer policy FAIL)"));
                return;
            }
            paused = true;
            pauseStartNanos = System.nanoTime();
            pauses.incrementAndGet();
            Channel ch = channel;
            if (ch != null) {
                ch.config().setAutoRead(false);
            }
            LOG.warn("flow {}: consumers are slower than the master; {} bytes queued (limit {}): pausing reads", flow,
                    q, limit);
        }
    }

    /** The session is ending: never resume reading again. */
    void closing() {
        closing = true;
    }

    private void resumeIfDrained() {
        if (paused && !closing && queued.get() <= limit / 2) {
            paused = false;
            pausedNanos.addAndGet(System.nanoTime() - pauseStartNanos);
            Channel ch = channel;
            if (ch != null) {
                ch.eventLoop().execute(() -> {
                    ch.config().setAutoRead(true);
                    ch.read();
                });
            }
            LOG.info("flow {}: queue drained to {} bytes: reading resumed", flow, queued.get());
        }
    }

    private void run() {
        try {
            while (running) {
                FlowItem item = queue.poll(50, TimeUnit.MILLISECONDS);
                settleCompleted();
                if (item == null) {
                    settled = inflight.isEmpty() && queue.isEmpty();
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
                queued.addAndGet(-item.bytes());
                resumeIfDrained();
                reportBackpressure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ReplicationException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new ReplicationException("flow " + flow + ": listener or handler failed: " + e, e));
        }
    }

    private void reportBackpressure() {
        boolean p = paused;
        if (p != pauseReported) {
            pauseReported = p;
            ctx.listener().onBackpressure(flow, p, queued.get());
        }
    }

    private void dispatch(FlowItem item) throws InterruptedException {
        if (item instanceof FlowItem.Sink s) {
            SinkEvent e = s.event();
            if (e instanceof SinkEvent.EntryStart es) {
                ctx.listener().onEntryStart(flow, es.entry());
                apply(e, -1);
            } else if (e instanceof SinkEvent.EntryBatch eb) {
                ctx.listener().onValueBatch(flow, eb.entry(), eb.batch());
                apply(e, -1);
            } else if (e instanceof SinkEvent.EntryEnd ee) {
                ctx.listener().onEntryEnd(flow, ee.entry(), ee.summary());
                apply(e, -1);
            } else if (e instanceof SinkEvent.FullSyncEnd) {
                ctx.listener().onFullSyncEnd(flow);
                apply(e, -1);
                drainInflight(); // "full sync applied" means the sink confirmed every snapshot write
                ctx.flowFullSyncApplied(flow);
            } else if (e instanceof SinkEvent.Journal j) {
                journal(j.event());
            }
        } else if (item instanceof FlowItem.Aux a) {
            ctx.listener().onAux(flow, a.key(), a.value());
        } else if (item instanceof FlowItem.StableStart st) {
            drainInflight();
            applied = st.journalOffset();
            stable = true;
            ackNow = true;
            ctx.flowStable(flow);
        } else if (item instanceof FlowItem.PartialStart ps) {
            applied = ps.lsn();
            stable = true;
            ackNow = true;
            ctx.flowStable(flow);
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

    private void journal(JournalEvent ev) throws InterruptedException {
        if (ev.fullSync()) {
            if (ev.isGlobalCommand()) {
                throw new FullSyncRestartException("flow " + flow + ": " + ev.command()
                        + " journaled during full sync: the full sync starts over");
            }
            if (ev.op() == JournalOp.PING || !ev.op().hasCommand()) {
                return;
            }
            if (ctx.handle(ev)) {
                ctx.listener().onJournalEntry(ev);
                apply(new SinkEvent.Journal(flow, ev), -1);
            }
            return;
        }
        if (ev.op() == JournalOp.PING || !ev.op().hasCommand()) {
            ctx.listener().onJournalEntry(ev);
            inflight.add(new Pending(ev.lsn(), CompletableFuture.completedFuture(null)));
            settleCompleted();
            if (ev.op() == JournalOp.PING) {
                ackNow = true;
                ctx.ackSoon(flow);
            }
            return;
        }
        if (ev.isGlobalCommand()) {
            drainInflight();
            ctx.barrier().arrive(ev.txid(), () -> {
                ctx.listener().onJournalEntry(ev);
                CompletionStage<Void> st = ctx.apply(new SinkEvent.GlobalCommand(flow, ev));
                try {
                    st.toCompletableFuture().join();
                } catch (java.util.concurrent.CompletionException e) {
                    throw sinkFailure(e.getCause());
                } catch (RuntimeException e) {
                    throw sinkFailure(e);
                }
            }, () -> !running);
            inflight.add(new Pending(ev.lsn(), CompletableFuture.completedFuture(null)));
            settleCompleted();
            return;
        }
        if (ctx.handle(ev)) {
            ctx.listener().onJournalEntry(ev);
            apply(new SinkEvent.Journal(flow, ev), ev.lsn());
        } else {
            inflight.add(new Pending(ev.lsn(), CompletableFuture.completedFuture(null)));
            settleCompleted();
        }
    }

    private void apply(SinkEvent e, long lsn) {
        CompletionStage<Void> st = ctx.apply(e);
        inflight.add(new Pending(lsn, st.toCompletableFuture()));
        settleCompleted();
        while (inflight.size() > ctx.options().maxInFlightPerFlow()) {
            waitHead();
        }
    }

    private void waitHead() {
        Pending p = inflight.peek();
        if (p == null) {
            return;
        }
        try {
            p.stage().get();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new ReplicationException("interrupted while waiting for the sink");
        } catch (java.util.concurrent.ExecutionException ee) {
            throw sinkFailure(ee.getCause());
        }
        settleCompleted();
    }

    private void drainInflight() {
        while (!inflight.isEmpty()) {
            waitHead();
        }
    }

    /** Advances the applied LSN over the completed prefix of outstanding stages. */
    private void settleCompleted() {
        Pending p;
        while ((p = inflight.peek()) != null && p.stage().isDone()) {
            inflight.poll();
            if (p.stage().isCompletedExceptionally()) {
                Throwable cause;
                try {
                    p.stage().join();
                    cause = null;
                } catch (RuntimeException e) {
                    cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e;
                }
                throw sinkFailure(cause);
            }
            if (p.lsn() > 0) {
                applied = p.lsn() + 1;
                if (++appliedSinceAck >= ctx.options().ackEveryEntries()) {
                    ackNow = true;
                }
            }
        }
    }

    /**
     * The error a failed sink stage ends the session with: the sink's own
     * {@link ReplicationException} as it is (so a non-retryable one, e.g. an unsupported-data
     * FAIL policy, stops the replicator instead of looping), anything else as a retryable
     * {@link SinkException}.
     */
    private ReplicationException sinkFailure(Throwable cause) {
        if (cause instanceof ReplicationException re) {
            return re;
        }
        return new SinkException("flow " + flow + ": sink failed: " + (cause == null ? "?" : cause.getMessage()),
                cause);
    }

    /** ACK task, on the event loop: sends REPLCONF ACK when due. */
    void ackTick(FlowConnection conn) {
        if (!stable) {
            return;
        }
        long now = System.nanoTime();
        long a = applied;
        if (ackNow || now - lastAckAtNanos >= ctx.options().ackInterval().toNanos()) {
            ackNow = false;
            appliedSinceAck = 0;
            lastAckAtNanos = now;
            lastAckSent = a;
            conn.writeAck(a);
        }
    }

    private void fail(ReplicationException e) {
        if (!failed) {
            failed = true;
            running = false;
            ctx.flowFailed(flow, e);
        }
    }

    /** Waits until every queued item was applied and every sink stage completed. */
    boolean drain(long deadlineNanos) {
        while (System.nanoTime() < deadlineNanos && !failed) {
            if (queue.isEmpty() && settled) {
                return true;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    void stop() {
        running = false;
        if (applier != null) {
            applier.interrupt();
        }
    }

    long applied() {
        return applied;
    }

    boolean isStable() {
        return stable;
    }

    FlowStats stats(FlowConnection conn) {
        long pausedMs = TimeUnit.NANOSECONDS.toMillis(pausedNanos.get()
                + (paused ? System.nanoTime() - pauseStartNanos : 0));
        return new FlowStats(flow, conn == null ? 0 : conn.bytesReceived.get(), conn == null ? 0 : conn.entries.get(),
                conn == null ? 0 : conn.journalEntries.get(), conn == null ? 0 : conn.receivedLsn, applied,
                lastAckSent, queued.get(), maxQueued, pauses.get(), pausedMs);
    }
}
