package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.resp.RespEncoder;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The rate limits of one sink, shared by every connection it opens (all lanes, all flows, the
 * control and checkpoint connections): at most {@code maxOpsPerSecond} commands and
 * {@code maxBytesPerSecond} bytes (each command's RESP encoding) per second into the target, each
 * a {@link TokenBucket} with bursts of a tenth of a second; 0 is no limit. It also counts what
 * passed and how long senders waited.
 *
 * <p>{@link #acquire} blocks the calling thread: it is called by {@link TargetConnection#send},
 * which refuses to run on an event loop, so only flow appliers, the linger timer and the cluster
 * router's workers ever wait here, never a Netty event loop.
 *
 * <p>Thread ownership: thread-safe; the buckets are thread-safe and the counters are
 * {@link LongAdder}s.
 */
public final class Throttle {
    /** The longest single sleep, so that a closed connection stops a long wait soon. */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** How a waiting sender sleeps (tests inject one that moves their clock). */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final long maxOps;
    private final long maxBytes;
    private final TokenBucket ops;
    private final TokenBucket bytes;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private final LongAdder commandsSent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder operationsSent = new LongAdder();
    private final LongAdder waitedNanos = new LongAdder();

    /**
     * Limits on the system clock.
     *
     * @param maxOpsPerSecond commands per second, 0 for no limit
     * @param maxBytesPerSecond bytes per second, 0 for no limit
     */
    public Throttle(long maxOpsPerSecond, long maxBytesPerSecond) {
        this(maxOpsPerSecond, maxBytesPerSecond, System::nanoTime, Throttle::park);
    }

    Throttle(long maxOpsPerSecond, long maxBytesPerSecond, LongSupplier clock, Sleeper sleeper) {
        this.maxOps = checkRate(maxOpsPerSecond, "maxOpsPerSecond");
        this.maxBytes = checkRate(maxBytesPerSecond, "maxBytesPerSecond");
        this.clock = clock;
        this.sleeper = sleeper;
        this.ops = maxOps == 0 ? null : new TokenBucket(maxOps, Math.max(1, maxOps / 10), clock);
        this.bytes = maxBytes == 0 ? null : new TokenBucket(maxBytes, Math.max(1, maxBytes / 10), clock);
    }

    /**
     * Checks a rate limit option.
     *
     * @param perSecond the limit, 0 for none
     * @param what the option's name, for the message
     * @return {@code perSecond}
     * @throws IllegalArgumentException when negative or above {@link TokenBucket#MAX_RATE}
     */
    public static long checkRate(long perSecond, String what) {
        if (perSecond < 0 || perSecond > TokenBucket.MAX_RATE) {
            throw new IllegalArgumentException(what + " must be 0 (no limit) to " + TokenBucket.MAX_RATE + ": "
                    + perSecond);
        }
        return perSecond;
    }

    /**
     * Counts one command and waits until the limits let it pass.
     *
     * @param args the command
     * @param open whether the connection is still open: a wait ends early (false) when it is not
     * @return true to send, false when the connection closed while waiting
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean acquire(List<byte[]> args, BooleanSupplier open) throws InterruptedException {
        long size = RespEncoder.commandSize(args);
        int n = operations(args);
        commandsSent.increment();
        operationsSent.add(n);
        bytesSent.add(size);
        long wait = 0;
        if (ops != null) {
            wait = ops.reserve(n);
        }
        if (bytes != null) {
            wait = Math.max(wait, bytes.reserve(size));
        }
        if (wait <= 0) {
            return true;
        }
        long start = clock.getAsLong();
        long end = start + wait;
        try {
            for (long left = wait; left > 0; left = end - clock.getAsLong()) {
                if (!open.getAsBoolean()) {
                    return false;
                }
                sleeper.sleep(Math.min(left, SLICE_NANOS));
            }
            return true;
        } finally {
            waitedNanos.add(clock.getAsLong() - start);
        }
    }

    /**
     * Operations a command counts as against the ops limit: one, but an {@code MSET} (the sink
     * batches snapshot strings into it) one per key, so that batching does not multiply the rate.
     */
    static int operations(List<byte[]> args) {
        byte[] n = args.get(0);
        return n.length == 4 && (n[0] | 0x20) == 'm' && (n[1] | 0x20) == 's' && (n[2] | 0x20) == 'e'
                && (n[3] | 0x20) == 't' ? Math.max(1, (args.size() - 1) / 2) : 1;
    }

    private static void park(long nanos) throws InterruptedException {
        LockSupport.parkNanos(nanos);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /** The commands-per-second limit, 0 for none. */
    public long maxOpsPerSecond() {
        return maxOps;
    }

    /** The bytes-per-second limit, 0 for none. */
    public long maxBytesPerSecond() {
        return maxBytes;
    }

    /** Commands that passed (or are waiting to). */
    public long commandsSent() {
        return commandsSent.sum();
    }

    /** Operations that passed: a command each, an {@code MSET} one per key ({@link #operations}). */
    public long operationsSent() {
        return operationsSent.sum();
    }

    /** Bytes of the commands that passed (RESP-encoded). */
    public long bytesSent() {
        return bytesSent.sum();
    }

    /** Nanoseconds senders spent waiting for the limits, all together. */
    public long waitedNanos() {
        return waitedNanos.sum();
    }
}
