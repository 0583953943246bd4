package io.df2redis.replica.internal;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
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
 * <p>Threads: {@link #arrive} is called by the flow applier threads, {@link #cancel} by any
 * thread (the session when it ends or a flow fails); all state is in concurrent collections,
 * futures and atomics. Waiting flows block on futures that the last arrival, the running flow or
 * {@link #cancel} completes: no polling.
 */
final class GlobalCommandBarrier {
    private final int parties;
    private final Map<Long, Round> rounds = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();

    /** The global command, run by one of the flows. */
    @FunctionalInterface
    interface Action {
        void run() throws InterruptedException;
    }

    /** The global command, run by one of the flows, given every flow's LSN after the command. */
    @FunctionalInterface
    interface PositionedAction {
        void run(java.util.List<Long> nextLsns) throws InterruptedException;
    }

    GlobalCommandBarrier(int parties) {
        this.parties = parties;
    }

    /**
     * Runs {@code action} once per txid after all flows arrived; blocks the calling applier until
     * then. If the action throws, every flow of the round throws that exception.
     */
    void arrive(long txid, Action action, BooleanSupplier stopping) throws InterruptedException {
        arrive(-1, txid, -1, lsns -> action.run(), stopping);
    }

    /**
     * As {@link #arrive(long, Action, BooleanSupplier)}, recording that flow {@code flow} continues
     * at {@code nextLsn} after the command: the action gets every flow's (-1 for a flow that did not
     * say), so that a sink can record all of them with the command in one transaction.
     */
    void arrive(int flow, long txid, long nextLsn, PositionedAction action, BooleanSupplier stopping)
            throws InterruptedException {
        Round r = rounds.computeIfAbsent(txid, k -> new Round(parties));
        if (flow >= 0 && flow < parties) {
            r.nextLsns[flow] = nextLsn; // published to the running flow by the arrivals counter and future
        }
        if (r.arrivals.incrementAndGet() == parties) {
            r.arrived.complete(null);
        }
        await(r.arrived, stopping);
        if (r.claimed.compareAndSet(false, true)) {
            try {
                action.run(java.util.Arrays.stream(r.nextLsns).boxed().toList());
            } catch (RuntimeException | Error | InterruptedException e) {
                r.failure = e;
                throw e;
            } finally {
                r.done.complete(null);
                depart(txid, r);
            }
        } else {
            await(r.done, stopping);
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

    /** The session ended (or a flow failed): every flow waiting here, or arriving later, stops waiting. */
    void cancel() {
        cancelled.complete(null);
    }

    private void await(CompletableFuture<Void> f, BooleanSupplier stopping) throws InterruptedException {
        if (!stopping.getAsBoolean() && !cancelled.isDone()) {
            try {
                CompletableFuture.anyOf(f, cancelled).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause()); // never: neither future fails
            }
        }
        if (!f.isDone()) {
            throw new InterruptedException("session ended while waiting at a global command");
        }
    }

    private static final class Round {
        final long[] nextLsns;
        final AtomicInteger arrivals = new AtomicInteger();
        final CompletableFuture<Void> arrived = new CompletableFuture<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final AtomicBoolean claimed = new AtomicBoolean();
        final AtomicInteger departed = new AtomicInteger();
        /** Written by the running flow before {@code done} completes; read by the others after. */
        volatile Throwable failure;

        Round(int parties) {
            nextLsns = new long[parties];
            java.util.Arrays.fill(nextLsns, -1);
        }
    }
}
