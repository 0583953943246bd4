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
 * and none of the later ones is lost to it. If the command fails, no flow continues past it:
 * every waiting flow throws the same exception.
 *
 * <p>Threads: called by the flow applier threads; all state is in concurrent collections,
 * latches and atomics.
 */
final class GlobalCommandBarrier {
    private final int parties;
    private final Map<Long, Round> rounds = new ConcurrentHashMap<>();

    /** The global command, run by one of the flows. */
    @FunctionalInterface
    interface Action {
        void run() throws InterruptedException;
    }

    GlobalCommandBarrier(int parties) {
        this.parties = parties;
    }

    /**
     * Runs {@code action} once per txid after all flows arrived; blocks the calling applier until
     * then. If the action throws, every flow of the round throws that exception.
     */
    void arrive(long txid, Action action, BooleanSupplier cancelled) throws InterruptedException {
        Round r = rounds.computeIfAbsent(txid, k -> new Round(parties));
        r.arrived.countDown();
        await(r.arrived, cancelled);
        if (r.claimed.compareAndSet(false, true)) {
            try {
                action.run();
            } catch (RuntimeException | Error | InterruptedException e) {
                r.failure = e;
                throw e;
            } finally {
                r.done.countDown();
                depart(txid, r);
            }
        } else {
            await(r.done, cancelled);
            depart(txid, r);
            Throwable f = r.failure;
            if (f instanceof RuntimeException re) {
                throw re;
            } else if (f instanceof Error er) {
                throw er;
            } else if (f != null) {
                throw new InterruptedException("the global command was interrupted on another flow");
            }
        }
    }

    private void depart(long txid, Round r) {
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
        /** Written by the running flow before {@code done} counts down; read by the others after. */
        volatile Throwable failure;

        Round(int parties) {
            this.arrived = new CountDownLatch(parties);
        }
    }
}
