package io.df2redis.micrometer;

import java.util.ArrayDeque;

/**
 * Estimates one flow's lag in time from its LSNs alone: Dragonfly's journal carries no write time,
 * so the arrival of an entry is taken as the first read at which the flow's received LSN covered it.
 * Each read records (received LSN, time); the lag is the time since the first record that covers
 * the oldest entry not applied yet ({@code appliedLsn}), and 0 when every received entry is applied.
 * The estimate is a lower bound, short by at most the interval between two reads (a scrape).
 *
 * <p>Threads: any; every method is synchronized. At most {@link #MAX_RECORDS} records are kept:
 * past that the newest record absorbs later LSNs, keeping its (older) time — the estimate then errs
 * towards a larger lag, never towards 0.
 */
final class LagClock {
    /** The most (LSN, time) records kept. */
    static final int MAX_RECORDS = 4096;

    /** {received LSN, nanoTime of the first read that saw it}, LSNs increasing. */
    private final ArrayDeque<long[]> records = new ArrayDeque<>();

    /**
     * Records a read and returns the estimated lag.
     *
     * @param receivedLsn the flow's last received LSN (0 before stable sync)
     * @param appliedLsn the flow's next LSN not applied yet
     * @param nowNanos the read's {@link System#nanoTime()}
     * @return the lag in nanoseconds, 0 when nothing received is waiting
     */
    synchronized long lagNanos(long receivedLsn, long appliedLsn, long nowNanos) {
        if (receivedLsn == 0 || receivedLsn < appliedLsn) {
            records.clear();
            return 0;
        }
        long[] last = records.peekLast();
        if (last != null && last[0] > receivedLsn) {
            records.clear(); // a new session restarted the LSNs
            last = null;
        }
        if (last == null || last[0] < receivedLsn) {
            if (records.size() >= MAX_RECORDS) {
                last[0] = receivedLsn;
            } else {
                records.addLast(new long[] {receivedLsn, nowNanos});
            }
        }
        while (!records.isEmpty() && records.peekFirst()[0] < appliedLsn) {
            records.pollFirst();
        }
        long[] oldest = records.peekFirst();
        return oldest == null ? 0 : Math.max(0, nowNanos - oldest[1]);
    }

    /** @return how many records are kept (for tests) */
    synchronized int size() {
        return records.size();
    }
}
