package io.df2redis.benchmarks;

import io.df2redis.replica.FlowStats;
import io.df2redis.replica.Replicator;

import java.util.List;

/**
 * Polls a replicator's per-flow stats every millisecond on its own thread, for
 * {@link StableSyncHarness}: the highest lag seen (entries decoded and not applied, summed over
 * the flows; and the age of the oldest unapplied entry, the highest over the flows), and, once
 * {@link #target} gave the master's next LSN of every shard, the first time every flow's applied
 * LSN reached it.
 */
final class LagSampler implements AutoCloseable {
    private final Replicator replicator;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long[] target;
    private volatile long caughtUpNanos;
    private volatile long maxLagEntries;
    private volatile long maxLagMillis;
    private volatile long samples;

    LagSampler(Replicator replicator) {
        this.replicator = replicator;
        this.thread = new Thread(this::run, "lag-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** From now on, watch for every flow {@code i}'s applied LSN to reach {@code nextLsn[i]}. */
    void target(long[] nextLsn) {
        target = nextLsn.clone();
    }

    /** Applied LSNs of the flows, by flow index. */
    long[] applied() {
        List<FlowStats> flows = replicator.stats().flows();
        long[] out = new long[flows.size()];
        for (FlowStats f : flows) {
            out[f.flow()] = f.appliedLsn();
        }
        return out;
    }

    /** Waits until the target is reached; returns {@link System#nanoTime()} of the first sample that saw it. */
    long awaitCaughtUp(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (caughtUpNanos == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not caught up after " + timeoutMillis + " ms: target "
                        + java.util.Arrays.toString(target) + ", applied " + java.util.Arrays.toString(applied())
                        + "; " + replicator.state() + " " + replicator.failure());
            }
            Thread.sleep(1);
        }
        return caughtUpNanos;
    }

    long maxLagEntries() {
        return maxLagEntries;
    }

    long maxLagMillis() {
        return maxLagMillis;
    }

    long samples() {
        return samples;
    }

    private void run() {
        while (running) {
            List<FlowStats> flows = replicator.stats().flows();
            long now = System.nanoTime();
            long entries = 0;
            long millis = 0;
            for (FlowStats f : flows) {
                entries += f.lagEntries();
                millis = Math.max(millis, f.lag().toMillis());
            }
            maxLagEntries = Math.max(maxLagEntries, entries);
            maxLagMillis = Math.max(maxLagMillis, millis);
            samples++;
            long[] t = target;
            if (t != null && caughtUpNanos == 0 && reached(flows, t)) {
                caughtUpNanos = now;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static boolean reached(List<FlowStats> flows, long[] t) {
        if (flows.size() < t.length) {
            return false;
        }
        for (FlowStats f : flows) {
            if (f.flow() < t.length && f.appliedLsn() < t[f.flow()]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(1000);
    }
}
