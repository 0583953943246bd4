package io.df2redis.benchmarks;

import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.ValueBatch;
import io.df2redis.replica.ReplicationListener;
import io.df2redis.replica.ReplicationStats;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.RedisSink;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * The measured side of {@link BoundedMemoryHarness}: one full sync from a master, in a JVM of its own
 * started with the heap limit under test, either with a counting listener only or into a Redis
 * server through {@link RedisSink} (with the same counting listener). While it runs it forces a full
 * collection when the sync passes 25 %, 50 % and 75 % of its units (keys, plus the big list's
 * elements), and once more at the end, and records the heap used after each (the live set); it also
 * records the heap after every collection the JVM made by itself ({@link HeapTracker}). Prints
 * {@code result <name> <value>} lines on stdout; exits 0 when the sync completed with the expected
 * count, 1 otherwise (an {@link OutOfMemoryError} ends the JVM with a non-zero status too).
 *
 * <pre>java -Xmx256m -cp benchmarks.jar io.df2redis.benchmarks.BoundedMemoryRun --port P --keys N
 *     [--list-elements M] [--redis host:port] [--histogram false] [--stall-ms 0]</pre>
 */
public final class BoundedMemoryRun {
    private BoundedMemoryRun() {
    }

    /**
     * Runs one full sync and prints its results.
     *
     * @param args {@code --port}, {@code --keys} (expected keys, the list included), {@code --list-elements},
     *     {@code --redis host:port} (absent: listener only)
     * @throws Exception when the run cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = 0;
        long keys = 0;
        long listElements = 0;
        String redis = null;
        boolean histogram = false;
        long stallMs = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--keys" -> keys = Long.parseLong(args[i + 1]);
                case "--list-elements" -> listElements = Long.parseLong(args[i + 1]);
                case "--redis" -> redis = args[i + 1];
                case "--histogram" -> histogram = Boolean.parseBoolean(args[i + 1]);
                case "--stall-ms" -> stallMs = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        LongAdder entries = new LongAdder();
        LongAdder elements = new LongAdder();
        double units = keys + listElements;
        long stall = stallMs;
        long[] perFlow = new long[64];
        ReplicationListener counting = new ReplicationListener() {
            @Override
            public void onValueBatch(int flow, RdbEntry entry, ValueBatch batch) {
                if (entry.type().name().startsWith("LIST")) {
                    elements.add(batch.size());
                }
            }

            @Override
            public void onEntryEnd(int flow, RdbEntry entry, EntrySummary summary) {
                entries.increment();
                if (stall > 0 && flow < perFlow.length && ++perFlow[flow] == 100_000) {
                    // a slow consumer, once per flow: the decoder runs on and the queue fills up to its limit
                    java.util.concurrent.locks.LockSupport.parkNanos(stall * 1_000_000L);
                }
            }
        };
        HeapTracker heap = new HeapTracker(() -> (entries.sum() + elements.sum()) / units);
        long[] live = new long[4];
        RedisSink sink = redis != null ? RedisSink.standalone(redis).build() : null;
        Replicator.Builder b = Replicator.builder().source("127.0.0.1", port).listener(counting);
        if (sink != null) {
            b.ownedSink(sink);
        }
        long t0;
        boolean done;
        ReplicationStats stats;
        long maxQueued = 0;
        long maxSpilled = 0;
        try (Replicator r = b.build()) {
            t0 = System.nanoTime();
            r.start();
            int nextQuarter = 1;
            long lastReport = t0;
            while (!(done = r.awaitFullSync(Duration.ofMillis(100)))) {
                if (r.failure() != null || r.state().name().equals("FAILED")) {
                    break;
                }
                double p = (entries.sum() + elements.sum()) / units;
                if (nextQuarter <= 3 && p >= nextQuarter / 4.0) {
                    live[nextQuarter - 1] = heap.liveNow();
                    System.err.printf(Locale.ROOT, "# %d %%: live heap after a full GC %s%n", nextQuarter * 25,
                            mib(live[nextQuarter - 1]));
                    if (histogram) {
                        System.err.println(classHistogram(30));
                    }
                    nextQuarter++;
                }
                ReplicationStats s = r.stats();
                maxQueued = Math.max(maxQueued, s.totalQueuedBytes());
                maxSpilled = Math.max(maxSpilled, s.totalSpilledBytes());
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    lastReport = System.nanoTime();
                    System.err.printf(Locale.ROOT, "# %.1f s: %.1f %% (%d entries, %d list elements), heap used %s, "
                            + "queued %s, spilled %s%n", (lastReport - t0) / 1e9, p * 100, entries.sum(),
                            elements.sum(), mib(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()),
                            mib(s.totalQueuedBytes()), mib(s.totalSpilledBytes()));
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            stats = r.stats();
            live[3] = heap.liveNow();
            result("completed", done);
            result("failure", r.failure() == null ? "none" : r.failure().toString().replace('\n', ' '));
            result("seconds", String.format(Locale.ROOT, "%.1f", secs));
            result("entries", entries.sum());
            result("list_elements", elements.sum());
            for (int q = 0; q < 4; q++) {
                result("live_" + (q + 1) * 25, live[q]);
                result("max_after_gc_q" + (q + 1), heap.maxAfterGc(q));
            }
            result("max_after_gc", heap.maxAfterGc());
            result("collections", heap.collections());
            result("full_collections", heap.fullCollections());
            result("max_queued_bytes", maxQueued);
            result("max_spilled_bytes", maxSpilled);
            result("spilled_bytes_total", stats.flows().stream().mapToLong(f -> f.spilledBytesTotal()).sum());
            result("bytes_received", stats.totalBytesReceived());
            result("pauses", stats.flows().stream().mapToLong(f -> f.pauses()).sum());
            if (sink != null) {
                result("sink_commands", sink.stats().commands());
                result("sink_errors", sink.stats().errors());
            }
        }
        boolean ok = done && entries.sum() == keys && elements.sum() == listElements;
        System.out.flush();
        System.exit(ok ? 0 : 1);
    }

    private static void result(String name, Object value) {
        System.out.println("result " + name + " " + value);
    }

    /** The first {@code lines} lines of the heap's class histogram (live objects), as {@code jcmd GC.class_histogram}. */
    static String classHistogram(int lines) {
        try {
            javax.management.ObjectName dc = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
            String h = (String) ManagementFactory.getPlatformMBeanServer().invoke(dc, "gcClassHistogram",
                    new Object[] {null}, new String[] {String[].class.getName()});
            String[] l = h.split("\n");
            return String.join("\n", java.util.Arrays.copyOf(l, Math.min(lines, l.length)));
        } catch (javax.management.JMException e) {
            return "no class histogram: " + e;
        }
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
