package io.df2redis.scenarios;

import io.df2redis.replica.FlowStats;
import io.df2redis.replica.ReplicationState;
import io.df2redis.replica.ReplicationStats;
import io.df2redis.replica.Replicator;
import io.df2redis.replica.SlowConsumerPolicy;
import io.df2redis.replica.SpillOptions;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.verify.Report;
import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest.Kind;
import io.df2redis.testkit.proxy.FaultProxy;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11's "never stall the master": the target Redis stops answering (a {@link FaultProxy}
 * between the sink and Redis stalls) for longer than Dragonfly's {@code replication_timeout} (30 s)
 * while the master takes a steady load of writes, with a flow queue of only 1 MiB so that the
 * replicator's memory fills within seconds. Dragonfly blocks a shard's writers while that shard's
 * replica socket is not drained; with the replicator spilling to disk (the default policy) the
 * socket keeps draining, so:
 * <ol>
 *   <li>the master's write latency during the pause stays low: p99 under max(250 ms, 10 × the p99
 *       before the pause), and no write waits 5 s or more (a stalled master makes a write wait
 *       up to the 30 s replication timeout);</li>
 *   <li>the flows report spilled bytes during the pause;</li>
 *   <li>after the pause the target converges with the master (applied LSNs equal the master's
 *       offsets, the Verifier finds no difference) without a second full sync or a reconnect.</li>
 * </ol>
 *
 * <p>{@code -Ddf2redis.spill.policy=PAUSE_READING} runs the same scenario with spilling turned off
 * (the behaviour before spilling existed): the master's writes then stall and the test fails.
 */
@Timeout(180)
class SpillIT {
    private static final Duration PAUSE = Duration.ofSeconds(32);
    private static final int OPS_PER_SECOND = 2000;
    private static final String VALUE = Data.pad("v", 1024);

    static List<Kind> kinds() {
        return DragonflyUnderTest.kinds();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aTargetPausedLongerThanTheReplicationTimeoutDoesNotStallTheMastersWrites(Kind kind, @TempDir Path spillDir)
            throws Exception {
        SlowConsumerPolicy policy = SlowConsumerPolicy.valueOf(
                System.getProperty("df2redis.spill.policy", SlowConsumerPolicy.SPILL.name()));
        DragonflySpec spec = DragonflySpec.builder().shards(2).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target.Standalone target = Target.standalone();
             FaultProxy proxy = FaultProxy.start("127.0.0.1", target.redis().port());
             SyncRespClient c = m.client()) {
            Data.allTypes(c, "seed:", 200, 2000);
            RedisSink sink = RedisSink.standalone(proxy.host() + ":" + proxy.port()).build();
            Replicator r = Replicator.builder().source(Scenario.source(m, null, null)).ownedSink(sink)
                    .options(o -> o.flowQueueMaxBytes(1L << 20).slowConsumerPolicy(policy)
                            .spillOptions(SpillOptions.builder().directory(spillDir).build())
                            .reconnectDelay(Duration.ofMillis(100), Duration.ofSeconds(2)))
                    .build();
            try (r; LatencyProbe probe = LatencyProbe.start(m.client());
                 NonIdempotentWorkload load = NonIdempotentWorkload.start(m.client(), "n:", 200, 11)) {
                r.start();
                assertThat(r.awaitStableSync(Scenario.WAIT)).as("stable sync; failure %s", r.failure()).isTrue();
                TimeUnit.SECONDS.sleep(3);
                long[] before = probe.take();

                proxy.stall(); // the target stops answering: the sink's writes pile up, then the queue fills
                TimeUnit.SECONDS.sleep(2);
                List<FlowStats> early = r.stats().flows(); // what the target confirmed before it stopped answering
                long spilledMax = 0;
                Duration oldestMax = Duration.ZERO;
                long pauseEnd = System.nanoTime() + PAUSE.toNanos();
                while (System.nanoTime() < pauseEnd) {
                    ReplicationStats st = r.stats();
                    spilledMax = Math.max(spilledMax, st.totalSpilledBytes());
                    oldestMax = st.oldestSpilled().compareTo(oldestMax) > 0 ? st.oldestSpilled() : oldestMax;
                    TimeUnit.MILLISECONDS.sleep(200);
                }
                long[] during = probe.take();
                ReplicationStats atEnd = r.stats();
                proxy.resume();

                TimeUnit.SECONDS.sleep(2);
                probe.close();
                load.close();
                String summary = "[spill] " + m.name() + ", policy " + policy + ": master write latency before the pause "
                        + describe(before) + "; during the " + PAUSE.toSeconds() + " s pause " + describe(during)
                        + "; spilled at most " + spilledMax + " bytes (oldest " + oldestMax.toMillis() + " ms); "
                        + probe.ops() + " probe writes, " + load.ops() + " non-idempotent writes; flows at the end of "
                        + "the pause " + atEnd.flows();
                System.out.println(summary);

                long p99Before = percentile(before, 0.99);
                long p99During = percentile(during, 0.99);
                // What these bounds catch: with reads paused (PAUSE_READING), the master's output for a flow
                // reaches --replication_stream_output_limit within seconds of the stall, and every write to
                // that shard then waits until the replica drains or --replication_timeout (30 s, Dragonfly's
                // default and WriteThrottle.TIMEOUT_NANOS) cancels the session: one write waits some 25-30 s,
                // in-flight writes count (LatencyProbe.take). The bounds stay far below that stall but leave
                // room for a loaded 2-core machine that spills to disk and collects garbage in the JVM that
                // also runs the embedded master: no write over 5 s, p99 under max(250 ms, 10 × before).
                long bound = Math.max(TimeUnit.MILLISECONDS.toNanos(250), 10 * p99Before);
                assertThat(p99During).as("p99 write latency during the pause (ns) vs before %s ns; %s", p99Before,
                        summary).isLessThan(bound);
                assertThat(max(during)).as("slowest write during the pause (ns); %s", summary)
                        .isLessThan(TimeUnit.SECONDS.toNanos(5));
                assertThat(during.length).as("writes during the pause; %s", summary).isGreaterThan(OPS_PER_SECOND * 10);
                assertThat(spilledMax).as("spilled bytes during the pause").isPositive();
                assertThat(atEnd.flows().stream().mapToLong(FlowStats::pauses).sum()).as("reads paused").isZero();
                long[] offsets = m.replicaOffsets();
                for (FlowStats f : atEnd.flows()) {
                    // tens of MB were read and spilled, but the position covers only what the target confirmed
                    assertThat(f.appliedLsn()).as("flow %d applied nothing the stalled target did not confirm",
                            f.flow()).isEqualTo(early.get(f.flow()).appliedLsn()).isLessThan(offsets[f.flow()]);
                    assertThat(f.ackedLsn()).as("flow %d ACKed no more than applied", f.flow())
                            .isLessThanOrEqualTo(f.appliedLsn());
                }

                awaitCaughtUp(m, r);
                Report report = KillResumeIT.awaitEqual(m, target, Duration.ofSeconds(60));
                System.out.println("[spill] " + m.name() + ": " + report.summary());
                assertThat(report.differences()).as("differences after the pause").isEmpty();
                assertThat(r.stats().fullSyncs()).as("no second full sync").isEqualTo(1);
                assertThat(r.stats().sessions()).as("no reconnect").isEqualTo(1);
                Faults.report("SpillIT " + m.name(), 1, "target stalled for " + PAUSE.toSeconds() + " s",
                        "master write p99 " + TimeUnit.NANOSECONDS.toMicros(p99During) + " us during the stall, "
                                + spilledMax + " bytes spilled at most; " + report.summary());
            }
            try (Stream<Path> files = Files.list(spillDir)) {
                assertThat(files.toList()).as("spill files left after stop").isEmpty();
            }
        }
    }

    /** Waits until every flow's applied LSN equals the master's offset. */
    private static void awaitCaughtUp(DragonflyUnderTest m, Replicator r) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            long[] offsets = m.replicaOffsets();
            List<FlowStats> flows = r.stats().flows();
            boolean done = flows.size() == offsets.length;
            for (int i = 0; done && i < offsets.length; i++) {
                done = flows.get(i).appliedLsn() == offsets[i];
            }
            if (done) {
                assertThat(r.state()).isEqualTo(ReplicationState.STABLE_SYNC);
                return;
            }
            assertThat(r.failure()).as("replication failed").isNull();
            assertThat(System.nanoTime()).as("applied %s reach the master's offsets %s", flows,
                    Arrays.toString(offsets)).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static String describe(long[] nanos) {
        return String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d writes)", percentile(nanos, 0.5) / 1e6,
                percentile(nanos, 0.99) / 1e6, max(nanos) / 1e6, nanos.length);
    }

    private static long percentile(long[] nanos, double q) {
        if (nanos.length == 0) {
            return 0;
        }
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
    }

    private static long max(long[] nanos) {
        return Arrays.stream(nanos).max().orElse(0);
    }

    /**
     * A client writing to the master at about {@link #OPS_PER_SECOND} ({@code SET} of 1 KiB values
     * over 4000 keys, every fourth an {@code INCR}) and recording each write's latency under the
     * current phase. Threads: the probe thread owns the client; the samples, {@code takenAt} and
     * {@code ops} are guarded by the probe's monitor ({@link #take} ends a phase);
     * {@code inFlightSince} is written by the probe thread and read by {@link #take}.
     */
    private static final class LatencyProbe implements AutoCloseable {
        private final SyncRespClient client;
        private final Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean running = true;
        private volatile long inFlightSince;
        private long takenAt;
        private long[] samples = new long[1 << 16];
        private int count;
        private long ops;

        private LatencyProbe(SyncRespClient client) {
            this.client = client;
            this.thread = new Thread(this::run, "latency-probe");
            this.thread.setDaemon(true);
        }

        static LatencyProbe start(SyncRespClient c) {
            LatencyProbe p = new LatencyProbe(c);
            p.thread.start();
            return p;
        }

        private void run() {
            long pause = TimeUnit.SECONDS.toNanos(1) / OPS_PER_SECOND;
            long next = System.nanoTime();
            try {
                for (long i = 0; running; i++) {
                    long t0 = System.nanoTime();
                    inFlightSince = t0;
                    if (i % 4 == 3) {
                        Data.ok(client, "INCR", "probe:n:" + (i % 64));
                    } else {
                        Data.ok(client, "SET", "probe:v:" + (i % 4000), VALUE + i);
                    }
                    record(t0, System.nanoTime() - t0);
                    next += pause;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } else if (wait < -TimeUnit.SECONDS.toNanos(1)) {
                        next = System.nanoTime(); // after a stall: go on at the set rate, no burst
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        private synchronized void record(long t0, long nanos) {
            inFlightSince = 0;
            if (t0 < takenAt) {
                nanos = System.nanoTime() - takenAt; // take() counted its wait up to then already
            }
            if (count == samples.length) {
                samples = Arrays.copyOf(samples, count * 2);
            }
            samples[count++] = nanos;
            ops++;
        }

        /**
         * The latencies recorded since the previous call, and the time a write still waiting for its
         * reply has waited so far (a stalled write counts in the phase it stalled in).
         */
        synchronized long[] take() {
            long since = inFlightSince;
            long[] out = Arrays.copyOf(samples, count + (since != 0 ? 1 : 0));
            takenAt = System.nanoTime();
            if (since != 0) {
                out[count] = takenAt - since;
            }
            count = 0;
            return out;
        }

        synchronized long ops() {
            return ops;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(TimeUnit.SECONDS.toMillis(60));
            client.close();
            Throwable t = failure.get();
            if (t != null) {
                throw new AssertionError("the latency probe failed after " + ops() + " writes", t);
            }
        }
    }
}
