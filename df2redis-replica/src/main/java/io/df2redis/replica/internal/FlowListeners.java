package io.df2redis.replica.internal;

import io.df2redis.replica.HandlerFailure;
import io.df2redis.replica.SinkEvent;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A flow's calls of the host's {@link io.df2redis.replica.ReplicationListener}: each under the
 * replicator's handler-failure policy ({@link HandlerGuard}), and only the callbacks the listener
 * overrides ({@link SessionContext#listens}).
 *
 * <p>Thread ownership: the flow's applier thread (stateless besides what it was given).
 */
final class FlowListeners {
    private final int flow;
    private final SessionContext ctx;
    private final HandlerGuard guard;
    private final BooleanSupplier stopping;
    /** Whether the per-key callbacks are overridden: asked once, not per key. */
    private final boolean entryStart;
    private final boolean valueBatch;
    private final boolean entryEnd;

    FlowListeners(int flow, SessionContext ctx, BooleanSupplier stopping) {
        this.flow = flow;
        this.ctx = ctx;
        this.guard = ctx.guard();
        this.stopping = stopping;
        this.entryStart = ctx.listens("onEntryStart");
        this.valueBatch = ctx.listens("onValueBatch");
        this.entryEnd = ctx.listens("onEntryEnd");
    }

    /** Runs a listener data callback under the handler-failure policy, if the listener overrides it. */
    void listen(String method, long lsn, SinkEvent event, Supplier<String> subject, Runnable body)
            throws InterruptedException {
        if (ctx.listens(method)) {
            guard.run(HandlerFailure.Kind.LISTENER, "ReplicationListener." + method, flow, lsn, subject, event, body,
                    stopping);
        }
    }

    void listen(String method, long lsn, SinkEvent event, Runnable body) throws InterruptedException {
        listen(method, lsn, event, () -> HandlerFailure.describe(event), body);
    }

    /** The callbacks of one snapshot event: a key's start, a value batch, its end, or all three of a whole key. */
    void snapshot(SinkEvent e) throws InterruptedException {
        if (!entryStart && !valueBatch && !entryEnd) {
            return;
        }
        if (e instanceof SinkEvent.EntryStart es) {
            listen("onEntryStart", 0, e, () -> ctx.listener().onEntryStart(flow, es.entry()));
        } else if (e instanceof SinkEvent.EntryBatch eb) {
            listen("onValueBatch", 0, e, () -> ctx.listener().onValueBatch(flow, eb.entry(), eb.batch()));
        } else if (e instanceof SinkEvent.EntryEnd ee) {
            listen("onEntryEnd", 0, e, () -> ctx.listener().onEntryEnd(flow, ee.entry(), ee.summary()));
        } else if (e instanceof SinkEvent.Entry w) {
            listen("onEntryStart", 0, e, () -> ctx.listener().onEntryStart(flow, w.entry()));
            if (w.batch() != null) {
                listen("onValueBatch", 0, e, () -> ctx.listener().onValueBatch(flow, w.entry(), w.batch()));
            }
            listen("onEntryEnd", 0, e, () -> ctx.listener().onEntryEnd(flow, w.entry(), w.summary()));
        }
    }

    /** A whole key as the three events a sink that does not take {@link SinkEvent.Entry} gets. */
    static SinkEvent[] parts(SinkEvent.Entry w) {
        SinkEvent start = new SinkEvent.EntryStart(w.flow(), w.entry());
        SinkEvent end = new SinkEvent.EntryEnd(w.flow(), w.entry(), w.summary());
        return w.batch() == null ? new SinkEvent[] {start, end}
                : new SinkEvent[] {start, new SinkEvent.EntryBatch(w.flow(), w.entry(), w.batch()), end};
    }
}
