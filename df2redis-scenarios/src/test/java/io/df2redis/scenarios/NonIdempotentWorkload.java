package io.df2redis.scenarios;

import io.df2redis.tools.SyncRespClient;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A live write load of commands that are not idempotent — INCR, APPEND, LPUSH, HINCRBY, XADD — on a
 * few keys of each type, so an entry applied twice or lost leaves the target different from the
 * source (a counter off by one, a list one element longer). Runs on its own thread with its own
 * connection, at about {@code opsPerSecond}, until {@link #close()}.
 *
 * <p>Threads: the load thread owns the client and the random generator; {@code ops} and
 * {@code failure} are read by the test thread.
 */
final class NonIdempotentWorkload implements AutoCloseable {
    private final Thread thread;
    private final AtomicLong ops = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    private NonIdempotentWorkload(SyncRespClient c, String prefix, int opsPerSecond, long seed) {
        thread = new Thread(() -> {
            Random rnd = new Random(seed);
            long pauseNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, opsPerSecond);
            long next = System.nanoTime();
            try (c) {
                while (running) {
                    int k = rnd.nextInt(16);
                    long n = ops.get();
                    switch (rnd.nextInt(5)) {
                        case 0 -> Data.ok(c, "INCR", prefix + "counter:" + k);
                        case 1 -> Data.ok(c, "APPEND", prefix + "log:" + k, n + ",");
                        case 2 -> Data.ok(c, "LPUSH", prefix + "list:" + k, Long.toString(n));
                        case 3 -> Data.ok(c, "HINCRBY", prefix + "hash:" + k, "f" + rnd.nextInt(4), "1");
                        default -> Data.ok(c, "XADD", prefix + "stream:" + k, "*", "n", Long.toString(n));
                    }
                    ops.incrementAndGet();
                    next += pauseNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "workload");
        thread.setDaemon(true);
    }

    /** Starts the load on a connection of its own. */
    static NonIdempotentWorkload start(SyncRespClient c, String prefix, int opsPerSecond, long seed) {
        NonIdempotentWorkload w = new NonIdempotentWorkload(c, prefix, opsPerSecond, seed);
        w.thread.start();
        return w;
    }

    /** Writes done so far. */
    long ops() {
        return ops.get();
    }

    /** Stops the load and waits for its last write; fails if a write failed. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(30));
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("the workload failed after " + ops.get() + " writes", t);
        }
    }
}
