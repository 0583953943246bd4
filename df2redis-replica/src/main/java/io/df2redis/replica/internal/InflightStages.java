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
     */
    record Pending(long lsn, SinkEvent event, CompletableFuture<Void> stage) {
    }

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int unwatched;
    private long added;
    private long settled;
    /** Per item handed over and not settled: {stages added once it was handed over, its bytes}. */
    private final ArrayDeque<long[]> items = new ArrayDeque<>();
    /** Bytes of the items every stage of which settled (written here, read by any thread). */
    private volatile long settledBytes;

    void add(Pending p) {
        queue.add(p);
        unwatched++;
        added++;
    }

    /** An item of {@code bytes} was handed over: its stages are the ones added so far. */
    void itemHanded(long bytes) {
        if (added == settled && items.isEmpty()) {
            settledBytes += bytes; // nothing outstanding: settled already
        } else {
            items.add(new long[] {added, bytes});
        }
    }

    /** Bytes of the items handed over whose stages all settled. */
    long settledBytes() {
        return settledBytes;
    }

    Pending peek() {
        return queue.peek();
    }

    Pending poll() {
        Pending p = queue.poll();
        if (p != null) {
            settled++;
            long[] item;
            while ((item = items.peek()) != null && item[0] <= settled) {
                settledBytes += items.poll()[1];
            }
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
