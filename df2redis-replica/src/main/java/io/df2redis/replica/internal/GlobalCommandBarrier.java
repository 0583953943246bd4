package io.df2redis.replica.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The rendezvous of global commands (FLUSHALL / FLUSHDB, spec §5.7): every flow that reaches
 * the command with transaction id {@code txid} waits until all flows did; exactly one of them
 * runs it; then all continue. Earlier writes of every flow are thus applied before the flush
 * and none of the later ones is lost to it.
 */
final class GlobalCommandBarrier {
    private final int parties;
    private final Map<Long, Round> rounds = new ConcurrentHashMap<>();

    GlobalCommandBarrier(int parties) {
        this.parties = parties;
    }

    /** Runs {@code action} once per txid after all flows arrived; blocks the calling applier until then. */
    void arrive(long txid, Runnable action, BooleanSupplier cancelled) throws InterruptedException {
        Round r = rounds.computeIfAbsent(txid, k -> new Round(parties));
        r.arrived.countDown();
        await(r.arrived, cancelled);
        if (r.claimed.compareAndSet(false, true)) {
            try {
                action.run();
            } finally {
                r.done.countDown();
            }
        } else {
            await(r.done, cancelled);
        }
        if (r.departed.incrementAndGet() == parties) {
            rounds.remove(txid);
        }
    }

    private static void await(CountDownLatch latch, BooleanSupplier cancelled) throws InterruptedException {
        while (!latch.await(100, TimeUnit.MILLISECONDS)) {
            if (cancelled.getAsBoolean()) {
                throw new InterruptedException("session ended while waiting at a global command");
            }
        }
    }

    private static final class Round {
        final CountDownLatch arrived;
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicBoolean claimed = new AtomicBoolean();
        final AtomicInteger departed = new AtomicInteger();

        Round(int parties) {
            this.arrived = new CountDownLatch(parties);
        }
    }
}
