package io.df2redis.replica.internal;

import io.df2redis.replica.SinkEvent;

import java.util.concurrent.CompletableFuture;

/**
 * A flow's sink stages not yet settled, in stream order, and which of them wake the applier when
 * they complete. Only a stage outstanding when the applier is about to block needs to
 * ({@link #watch}): while input flows the applier settles completed stages itself, and a callback
 * per stage costs more than many stages. The stages added since the last {@link #watch} are the
 * last {@code unwatched} of the queue.
 *
 * <p>Each stage is its LSN, event, stage and estimated bytes, kept in parallel arrays used as one
 * ring (grown by doubling): a full sync adds a stage per key, and an object per stage was a tenth
 * of the applier's allocation. The head is read through {@link #headStage()}, {@link #headLsn()}
 * and {@link #headEvent()}, and removed by {@link #poll()}.
 *
 * <p>Thread ownership: the flow's applier thread, then (after it ended) the thread that settles
 * the flow at close; never shared.
 */
final class InflightStages {
    private long[] lsns = new long[16];
    private SinkEvent[] events = new SinkEvent[16];
    @SuppressWarnings("unchecked")
    private CompletableFuture<Void>[] stages = new CompletableFuture[16];
    private long[] sizes = new long[16];
    private int head;
    private int count;
    private int unwatched;
    private long bytes;
    /** Bytes of the stages settled so far (written here, read by any thread). */
    private volatile long settledBytes;

    /**
     * Adds a stage at the tail.
     *
     * @param lsn the entry's LSN (&gt; 0 for journal entries with one, else 0 or -1)
     * @param event the event
     * @param stage completes when the sink confirmed it
     * @param eventBytes estimated heap the event keeps reachable until it settles ({@link FlowItem#bytes()});
     *     0 for a stage that settles at once
     */
    void add(long lsn, SinkEvent event, CompletableFuture<Void> stage, long eventBytes) {
        if (count == lsns.length) {
            grow();
        }
        int i = (head + count) & (lsns.length - 1);
        lsns[i] = lsn;
        events[i] = event;
        stages[i] = stage;
        sizes[i] = eventBytes;
        count++;
        unwatched++;
        bytes += eventBytes;
    }

    private void grow() {
        int n = lsns.length;
        long[] l = new long[n * 2];
        SinkEvent[] e = new SinkEvent[n * 2];
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] s = new CompletableFuture[n * 2];
        long[] b = new long[n * 2];
        for (int k = 0; k < count; k++) {
            int i = (head + k) & (n - 1);
            l[k] = lsns[i];
            e[k] = events[i];
            s[k] = stages[i];
            b[k] = sizes[i];
        }
        lsns = l;
        events = e;
        stages = s;
        sizes = b;
        head = 0;
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

    /** The oldest stage, or null when there is none. */
    CompletableFuture<Void> headStage() {
        return count == 0 ? null : stages[head];
    }

    /** The oldest stage's LSN (only while there is one). */
    long headLsn() {
        return lsns[head];
    }

    /** The oldest stage's event (only while there is one). */
    SinkEvent headEvent() {
        return events[head];
    }

    /** Removes the oldest stage (only while there is one): it settled. */
    void poll() {
        long b = sizes[head];
        events[head] = null;
        stages[head] = null;
        head = (head + 1) & (lsns.length - 1);
        count--;
        unwatched = Math.min(unwatched, count);
        bytes -= b;
        settledBytes += b;
    }

    boolean isEmpty() {
        return count == 0;
    }

    int size() {
        return count;
    }

    /**
     * Before the applier blocks: every stage added since the last call runs {@code wake} when it
     * completes — at once for one that completed since the applier last settled (else the applier
     * would block with a settled stage it has not counted).
     */
    void watch(Runnable wake) {
        for (int k = count - unwatched; k < count; k++) {
            stages[(head + k) & (lsns.length - 1)].whenComplete((v, x) -> wake.run());
        }
        unwatched = 0;
    }

    @Override
    public String toString() {
        return "InflightStages[" + count + " stages, " + bytes + " bytes]";
    }
}
