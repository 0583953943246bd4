package io.df2redis.micrometer;

/**
 * Turns a figure that restarts from 0 with every replication session into a total that only grows,
 * as a counter must: a value lower than the previous one is taken as a restart and added whole.
 * What a session counted after the last read before its end is not seen.
 *
 * <p>Threads: any; every method is synchronized.
 */
final class MonotonicTotal {
    private long last;
    private long total;

    /**
     * Takes the current figure and returns the total.
     *
     * @param current the figure now, or a negative value when there is none (no session)
     * @return the total so far
     */
    synchronized long update(long current) {
        if (current < 0) {
            return total;
        }
        total += current >= last ? current - last : current;
        last = current;
        return total;
    }
}
