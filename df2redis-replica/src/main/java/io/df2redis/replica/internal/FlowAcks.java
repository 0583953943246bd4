package io.df2redis.replica.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * When one flow's {@code REPLCONF ACK} is due: every {@code ackInterval}, or at once when asked
 * ({@link #request}: a journal PING, the start of stable sync, {@code ackEveryEntries} entries
 * applied since the last ACK).
 *
 * <p>Thread ownership: {@code requested} is set by the applier and cleared by the event loop with
 * getAndSet, so no request is lost; {@code lastSent} and {@code entriesAtLast} are written by the
 * event loop ({@link #tick}) and read by any thread (volatile); {@code lastAtNanos} belongs to the
 * event loop.
 */
final class FlowAcks {
    private final long intervalNanos;
    private final int everyEntries;
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile long lastSent = -1;
    private volatile long entriesAtLast;
    private long lastAtNanos;

    FlowAcks(Duration interval, int everyEntries) {
        this.intervalNanos = interval.toNanos();
        this.everyEntries = everyEntries;
    }

    /** Asks for an ACK at the next tick (any thread). */
    void request() {
        requested.set(true);
    }

    /** Applier: {@code appliedEntries} entries are applied in all; asks for an ACK when enough piled up. */
    void applied(long appliedEntries) {
        if (appliedEntries - entriesAtLast >= everyEntries) {
            requested.set(true);
        }
    }

    /**
     * Event loop: writes the ACK of {@code applied} when due.
     *
     * @param appliedEntries read before {@code applied}, so the count never covers more than the ACK
     */
    void tick(LongSupplier appliedEntries, LongSupplier applied, LongConsumer writer) {
        long now = System.nanoTime();
        boolean asked = requested.getAndSet(false);
        if (asked || now - lastAtNanos >= intervalNanos) {
            long count = appliedEntries.getAsLong();
            long a = applied.getAsLong();
            entriesAtLast = count;
            lastAtNanos = now;
            lastSent = a;
            writer.accept(a);
        }
    }

    /** @return the last LSN acknowledged, -1 before the first ACK */
    long lastSent() {
        return lastSent;
    }
}
