package io.df2redis.sink.redis;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.verify.Report;
import io.df2redis.sink.redis.verify.Verifier;
import io.df2redis.sink.redis.verify.VerifyEndpoint;
import io.df2redis.sink.redis.verify.VerifyOptions;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12's rate-limit check, measured with the sink's own counters: a full sync of 3 flows into a
 * real Redis, sampled over a 10 s window while the snapshot is still streaming (so the sink is
 * saturated the whole window), achieves the limit within 10 %, far below the rate without a limit;
 * the limit is one for the whole sink (3 flows together), and the target converges to the source.
 */
class RateLimitIT {
    private static final int SHARDS = 3;
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServerProcess.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    private static void fill(EmbeddedDragonflyMaster m, int keys, int valueBytes) {
        String pad = "x".repeat(valueBytes);
        for (int i = 0; i < keys; i++) {
            m.put(0, RdbKeyValue.of("key:" + i, RdbValue.string(pad + i)));
        }
    }

    /** A full sync without limits: its commands per second, the baseline the limited runs must stay far below. */
    private static double unlimitedOpsPerSecond(int keys) throws Exception {
        redis.call("FLUSHALL");
        RedisSink sink = RedisSink.standalone(redis.address()).build();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(SHARDS).start();
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(sink).build()) {
            fill(m, keys, 16);
            r.start();
            long t0 = System.nanoTime();
            long c0 = sink.stats().operationsSent();
            assertThat(r.awaitFullSync(Duration.ofSeconds(60))).isTrue();
            double rate = (sink.stats().operationsSent() - c0) * 1e9 / (System.nanoTime() - t0);
            System.out.printf("rate limit IT: unlimited full sync of %d keys: %.0f operations/s%n", keys, rate);
            return rate;
        }
    }

    /**
     * Runs a full sync of {@code keys} keys into an empty Redis through {@code sink}, samples
     * {@code counter} over a 10 s window that starts 1 s in, and returns its rate per second; then
     * waits for stable sync, applies a live workload and checks the target equals the source.
     */
    private static double limitedRun(RedisSink sink, int keys, int valueBytes, ToLongFunction<RedisSinkStats> counter,
                                      long stillToGoAtWindowEnd) throws Exception {
        redis.call("FLUSHALL");
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(SHARDS).start();
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(sink).build()) {
            fill(m, keys, valueBytes);
            r.start();
            CapturedCaseRedisSinkIT.awaitTrue(() -> sink.stats().operationsSent() > 100, "the snapshot streaming");
            Thread.sleep(1000); // past the burst and the connection set-up
            long t0 = System.nanoTime();
            long v0 = counter.applyAsLong(sink.stats());
            long w0 = sink.stats().rateLimitWaitNanos();
            TimeUnit.NANOSECONDS.sleep(WINDOW_NANOS);
            long v1 = counter.applyAsLong(sink.stats());
            long t1 = System.nanoTime();
            RedisSinkStats end = sink.stats();
            double rate = (v1 - v0) * 1e9 / (t1 - t0);
            System.out.printf("rate limit IT: %d flows, %.1f s window: %.0f per second (counter %d -> %d), "
                    + "senders waited %.1f s in the window; stats %s%n", SHARDS, (t1 - t0) / 1e9, rate, v0, v1,
                    (end.rateLimitWaitNanos() - w0) / 1e9, end);
            // the window was saturated only if the snapshot had not finished by its end
            assertThat(end.operationsSent()).as("the snapshot was still streaming at the window's end")
                    .isLessThan(keys - stillToGoAtWindowEnd);
            assertThat(end.rateLimitWaitNanos() - w0).as("senders waited on the limiter").isPositive();

            assertThat(r.awaitStableSync(Duration.ofSeconds(120))).isTrue();
            for (int i = 0; i < 200; i++) {
                m.write(0, "SET", "live:" + i, "v" + i);
                m.write(0, "DEL", "key:" + i);
            }
            EmbeddedMasterRedisSinkIT.awaitApplied(r, m);
            assertThat(((IntegerReply) redis.call("DBSIZE")).value()).isEqualTo(keys);
            try (Verifier v = Verifier.connect(VerifyEndpoint.of(m.host(), m.port()),
                    VerifyEndpoint.parse(redis.address()), VerifyOptions.builder().build())) {
                Report report = v.verify();
                assertThat(report.differences()).as(report.summary()).isEmpty();
                assertThat(report.keysCompared()).isEqualTo(keys);
            }
            assertThat(sink.stats().errors()).isZero();
            return rate;
        }
    }

    @Test
    void opsPerSecondHoldWithinTenPercentForAllFlowsTogether() throws Exception {
        double unlimited = unlimitedOpsPerSecond(20_000);
        long limit = 2_000;
        RedisSink sink = RedisSink.standalone(redis.address()).maxOpsPerSecond(limit).build();
        // operations: snapshot strings go as MSETs, which count one operation per key
        double rate = limitedRun(sink, 30_000, 16, RedisSinkStats::operationsSent, 2_000);
        assertThat(rate).as("operations/s against a limit of %d", limit).isBetween(limit * 0.9, limit * 1.1);
        assertThat(unlimited).as("the unlimited rate is far above the limit").isGreaterThan(3.0 * limit);
    }

    @Test
    void bytesPerSecondHoldWithinTenPercent() throws Exception {
        long limit = 256 * 1024; // with ~1 KiB values: about 250 commands/s
        RedisSink sink = RedisSink.standalone(redis.address()).maxBytesPerSecond(limit).build();
        double rate = limitedRun(sink, 4_000, 1024, RedisSinkStats::bytesSent, 300);
        assertThat(rate).as("bytes/s against a limit of %d", limit).isBetween(limit * 0.9, limit * 1.1);
    }
}
