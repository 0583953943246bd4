package io.df2redis.replica.internal;

import io.df2redis.replica.SinkEvent;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;

/**
 * A flow's sink stages not yet settled, in stream order, and which of them wake the applier when
 * they complete. Only a stage outstanding when the applier is about to block needs to
 * ({@link #watch}): while input flows the applier settles completed stages itself, and a callback
 * per stage costs more than many stages. The stages added since the last {@link #watch} are the
 * last {@code unwatched} of the queue.
 *
 * <p>Thread ownership: the flow's applier thread, then (after it ended) the thread that settles
 * the flow at close; never shared.
 */
final class InflightStages {
    /**
     * A sink stage not yet settled.
     *
     * @param lsn the entry's LSN (&gt; 0 for journal entries with one, else 0 or -1)
     * @param event the event
     * @param stage completes when the sink confirmed it
     * @param bytes estimated heap the event keeps reachable until it settles ({@link FlowItem#bytes()})
     */
    record Pending(long lsn, SinkEvent event, CompletableFuture<Void> stage, long bytes) {
        /** A stage whose event is not counted in {@link #bytes()} (one that settles at once). */
        Pending(long lsn, SinkEvent event, CompletableFuture<Void> stage) {
            this(lsn, event, stage, 0);
        }
    }

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int unwatched;
    private long bytes;
    /** Bytes of the stages settled so far (written here, read by any thread). */
    private volatile long settledBytes;

    void add(Pending p) {
        queue.add(p);
        unwatched++;
        bytes += p.bytes();
    }

    /**
     * Estimated heap of the events not settled yet: each stays reachable until its stage settles
     * (a failed stage reports it), so the outstanding stages are bounded in bytes as well as in number.
     */
    long bytes() {
        return bytes;
    }

    /** Bytes of the events whose stages settled (confirmed, or failed and skipped by the policy). */
    long settledBytes() {
        return settledBytes;
    }

    Pending peek() {
        return queue.peek();
    }

    Pending poll() {
        Pending p = queue.poll();
        if (p != null) {
            bytes -= p.bytes();
            settledBytes += p.bytes();
        }
        return p;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    /**
     * Before the applier blocks: every stage added since the last call runs {@code wake} when it
     * completes — at once for one that completed since the applier last settled (else the applier
     * would block with a settled stage it has not counted).
     */
    void watch(Runnable wake) {
        Iterator<Pending> it = queue.descendingIterator();
        for (int i = 0; i < unwatched && it.hasNext(); i++) {
            it.next().stage().whenComplete((v, x) -> wake.run());
        }
        unwatched = 0;
    }
}
