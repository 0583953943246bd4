package io.df2redis.sink.redis.internal;

import java.util.function.LongSupplier;

/**
 * A token bucket in exact integer arithmetic, handing out reservations: {@link #reserve} takes
 * {@code n} units at once (the bucket may go into debt) and says how long the caller must wait
 * before using them, so that over any long period at most {@code rate} units per second pass,
 * plus at most {@code burst} units at once after an idle period. A request larger than the burst
 * is never refused: its caller waits for the units beyond the burst.
 *
 * <p>Kept as the instant {@code next} at which the bucket is out of debt (the generic cell rate
 * algorithm): the bucket holds {@code (now - next) × rate} units, at most {@code burst}; a
 * reservation of {@code n} units moves {@code next} forward by {@code n / rate} seconds, the
 * remainder of that division carried to the next reservation, so that no fraction of a
 * nanosecond is lost at any rate.
 *
 * <p>Thread ownership: thread-safe; {@code next} and {@code remainder} are guarded by this
 * bucket's lock, held only for the arithmetic (the caller waits outside it).
 */
public final class TokenBucket {
    /** The highest rate a bucket takes (units per second): the arithmetic stays within a long. */
    public static final long MAX_RATE = 9_000_000_000L;
    private static final long NANOS = 1_000_000_000L;

    private final long rate;
    private final long burstNanos;
    private final LongSupplier clock;
    private long next;
    private long remainder;

    /**
     * A full bucket.
     *
     * @param rate units per second, 1 to {@link #MAX_RATE}
     * @param burst units that may pass at once after an idle period, at least 1
     * @param clock a monotonic clock in nanoseconds ({@code System::nanoTime})
     */
    public TokenBucket(long rate, long burst, LongSupplier clock) {
        if (rate < 1 || rate > MAX_RATE) {
            throw new IllegalArgumentException("rate must be 1.." + MAX_RATE + ": " + rate);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be >= 1: " + burst);
        }
        this.rate = rate;
        this.clock = clock;
        this.burstNanos = burst / rate * NANOS + burst % rate * NANOS / rate;
        this.next = clock.getAsLong() - burstNanos;
    }

    /** Units per second. */
    public long rate() {
        return rate;
    }

    /**
     * Takes {@code units} now.
     *
     * @param units at least 0
     * @return nanoseconds the caller must wait before using them (0: at once)
     */
    public synchronized long reserve(long units) {
        if (units < 0) {
            throw new IllegalArgumentException("units must be >= 0: " + units);
        }
        long now = clock.getAsLong();
        if (next - (now - burstNanos) < 0) {
            next = now - burstNanos; // idle: the bucket is full, and holds no more than the burst
        }
        long part = units % rate * NANOS + remainder;
        next += units / rate * NANOS + part / rate;
        remainder = part % rate;
        return Math.max(0, next - now);
    }
}
