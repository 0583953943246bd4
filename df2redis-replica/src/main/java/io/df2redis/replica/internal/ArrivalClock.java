package io.df2redis.replica.internal;

/**
 * When a flow's journal entries arrived, to tell the applied position's lag in time: Dragonfly's
 * journal carries no write time, so the lag is measured from arrival. The flow's connection records
 * (last LSN received, time) once per socket read that brought journal entries; the lag is the time
 * since the first record that reaches the applied position (the read that brought the oldest entry
 * not yet applied), zero when everything received is applied.
 *
 * <p>Bounded: at most {@link #CAPACITY} records. A read within {@link #RESOLUTION_NANOS} of the last
 * record extends it, and a full clock merges neighbours (keeping the earlier time), so an estimate
 * errs towards a larger lag, by at most the resolution or the merged span, never towards 0.
 *
 * <p>Thread ownership: {@link #arrived} on the flow channel's event loop, {@link #lagNanos} on any
 * thread; both synchronized (one short critical section per socket read, one per stats read).
 */
final class ArrivalClock {
    static final int CAPACITY = 256;
    static final long RESOLUTION_NANOS = 1_000_000;

    private final long[] lsns = new long[CAPACITY];
    private final long[] nanos = new long[CAPACITY];
    private int head;
    private int size;

    /** Entries up to {@code lsn} have arrived by {@code now} (event loop). */
    synchronized void arrived(long lsn, long now) {
        if (size > 0) {
            int last = (head + size - 1) % CAPACITY;
            if (lsn <= lsns[last]) {
                return; // nothing new (or an earlier session's position)
            }
            if (now - nanos[last] < RESOLUTION_NANOS) {
                lsns[last] = lsn;
                return;
            }
        }
        if (size == CAPACITY) {
            halve();
        }
        int at = (head + size) % CAPACITY;
        lsns[at] = lsn;
        nanos[at] = now;
        size++;
    }

    /**
     * @param applied the next LSN not applied
     * @param now the time now ({@link System#nanoTime()})
     * @return how long ago the oldest entry not applied arrived; 0 when none waits
     */
    synchronized long lagNanos(long applied, long now) {
        while (size > 0 && lsns[head] < applied) {
            head = (head + 1) % CAPACITY;
            size--;
        }
        return size == 0 ? 0 : Math.max(0, now - nanos[head]);
    }

    /** Merges each pair of records into one: the later LSN, the earlier time. */
    private void halve() {
        long[] l = new long[CAPACITY];
        long[] n = new long[CAPACITY];
        int k = 0;
        for (int i = 0; i < size; i += 2) {
            int a = (head + i) % CAPACITY;
            int b = i + 1 < size ? (head + i + 1) % CAPACITY : a;
            l[k] = lsns[b];
            n[k] = nanos[a];
            k++;
        }
        System.arraycopy(l, 0, lsns, 0, k);
        System.arraycopy(n, 0, nanos, 0, k);
        head = 0;
        size = k;
    }
}
