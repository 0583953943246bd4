package io.df2redis.micrometer;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.replica.FlowStats;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.UnsupportedDataPolicy;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.df2redis.micrometer.MeterNames.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters against a full sync of known size from the embedded master into a real
 * {@code redis-server}, then live writes held up by {@code CLIENT PAUSE} on the target: applied
 * counts equal what was written, a key Redis cannot hold is counted by reason, the lag rises while Redis is paused and returns to 0 after.
 */
class ReplicatorMetricsIT {
    private static final int SHARDS = 3;
    private static final int KEYS = 600;
    private static final int WRITES = 150;
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

    @Test
    void valuesFollowAFullSyncAndLiveWrites() throws Exception {
        redis.call("FLUSHALL");
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        RedisSink sink = RedisSink.standalone(redis.address())
                .unsupportedDataPolicy(UnsupportedDataPolicy.SKIP_AND_COUNT).build();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(SHARDS).start();
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(sink).build()) {
            for (int i = 0; i < KEYS; i++) {
                m.put(i % 2, RdbKeyValue.of("k" + i, RdbValue.string("v" + i)));
            }
            m.put(0, RdbKeyValue.of("doc", RdbValue.json("{\"a\":1}"))); // skipped: no JSON module in Redis
            ReplicatorMetrics.of(r).withSink(sink).withTags("pipeline", "it").bindTo(reg);
            assertThat(gauge(reg, REPLICATOR_STATE, "state", "new")).isEqualTo(1);
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).isTrue();
            awaitApplied(r, m);

            assertThat(gauge(reg, REPLICATOR_FLOWS)).isEqualTo(SHARDS); // registers the flows
            assertThat(gauge(reg, REPLICATOR_STATE, "state", "stable_sync")).isEqualTo(1);
            assertThat(gauge(reg, REPLICATOR_STATE, "state", "new")).isZero();
            assertThat(reg.find(FLOW_APPLIED_LSN).gauges()).hasSize(SHARDS);
            assertThat(reg.get(FLOW_APPLIED_LSN).tag("flow", "0").tag("pipeline", "it").gauge()).isNotNull();
            assertThat(sumCounters(reg, FLOW_SNAPSHOT_ENTRIES)).as("snapshot keys").isEqualTo(KEYS + 1);
            assertThat(sumCounters(reg, FLOW_RECEIVED)).isPositive();
            assertThat(counter(reg, REPLICATOR_SESSIONS)).isEqualTo(1);
            assertThat(counter(reg, REPLICATOR_FULL_SYNCS)).isEqualTo(1);
            assertThat(counter(reg, REPLICATOR_RECONNECTS)).isZero();
            double journalBefore = sumCounters(reg, FLOW_JOURNAL_APPLIED);
            double appliedBytesBefore = sumCounters(reg, FLOW_APPLIED);
            assertThat(appliedBytesBefore).as("snapshot events applied, >= 64 bytes each as estimated")
                    .isGreaterThanOrEqualTo(64.0 * KEYS);

            // live writes while Redis holds every write: received, not applied
            // held far longer than the checks below take even on a loaded machine, and released
            // (CLIENT UNPAUSE, Redis 6.2+) as soon as they are done
            redis.call("CLIENT", "PAUSE", "120000", "WRITE");
            try {
                for (int i = 0; i < WRITES; i++) {
                    m.write(0, "SET", "live" + i, "x" + i);
                }
                awaitTrue(() -> sumGauges(reg, FLOW_LAG_ENTRIES) > 0, "a lag in entries");
                awaitTrue(() -> reg.get(SINK_IN_FLIGHT).gauge().value() > 0, "sink commands held by the paused Redis");
                // the oldest waiting entry ages while Redis holds it
                awaitTrue(() -> maxTimeGauge(reg, FLOW_LAG) >= 300, "a lag time of 300 ms");
                assertThat(sumGauges(reg, FLOW_LAG_ENTRIES)).as("still lagging while paused").isPositive();
            } finally {
                redis.call("CLIENT", "UNPAUSE");
            }
            awaitApplied(r, m);
            assertThat(sumGauges(reg, FLOW_LAG_ENTRIES)).as("lag returns to 0").isZero();
            assertThat(reg.get(SINK_IN_FLIGHT).gauge().value()).as("nothing in flight once applied").isZero();
            assertThat(maxTimeGauge(reg, FLOW_LAG)).as("lag time returns to 0").isZero();
            assertThat(sumCounters(reg, FLOW_JOURNAL_APPLIED) - journalBefore).as("journal entries applied")
                    .isEqualTo(WRITES);
            assertThat(sumCounters(reg, FLOW_JOURNAL_RECEIVED)).isEqualTo(sumCounters(reg, FLOW_JOURNAL_APPLIED));
            assertThat(sumCounters(reg, FLOW_APPLIED) - appliedBytesBefore).as("applied bytes of the live writes")
                    .isGreaterThanOrEqualTo(WRITES * ("SET".length() + "live0".length() + "x0".length()));
            for (FlowStats f : r.stats().flows()) {
                String flow = Integer.toString(f.flow());
                assertThat(reg.get(FLOW_APPLIED_LSN).tag("flow", flow).gauge().value()).isEqualTo(m.nextLsn(f.flow()));
                assertThat(reg.get(FLOW_RECEIVED_LSN).tag("flow", flow).gauge().value()).isEqualTo(m.lastLsn(f.flow()));
            }

            assertThat(counter(reg, SINK_OPERATIONS)).as("sink operations").isGreaterThanOrEqualTo(KEYS + WRITES);
            assertThat(counter(reg, SINK_COMMANDS)).as("sink commands (MSETs batch the strings)").isPositive()
                    .isLessThanOrEqualTo(counter(reg, SINK_OPERATIONS));
            assertThat(counter(reg, SINK_ERRORS)).isZero();
            assertThat(reg.get(SINK_REDIRECTS).tag("type", "moved").functionCounter().count()).isZero();
            java.util.Map<String, Long> skipped = sink.stats().skippedByReason();
            assertThat(skipped).hasSize(1);
            String reason = skipped.keySet().iterator().next();
            assertThat(reg.find(SINK_SKIPPED).functionCounters()).as("one reason").hasSize(1);
            assertThat(reg.get(SINK_SKIPPED).tag("reason", reason).functionCounter().count()).isEqualTo(1);
            assertThat(((io.df2redis.protocol.resp.IntegerReply) redis.call("DBSIZE")).value())
                    .isEqualTo(KEYS / 2 + WRITES);
        }
        assertThat(gauge(reg, REPLICATOR_STATE, "state", "stopped")).isEqualTo(1);
    }

    static double gauge(MeterRegistry reg, String name, String... tags) {
        return reg.get(name).tags(tags).gauge().value();
    }

    static double counter(MeterRegistry reg, String name) {
        return reg.get(name).functionCounter().count();
    }

    static double sumCounters(MeterRegistry reg, String name) {
        return reg.find(name).functionCounters().stream().mapToDouble(FunctionCounter::count).sum();
    }

    static double sumGauges(MeterRegistry reg, String name) {
        List<Gauge> gauges = List.copyOf(reg.find(name).gauges());
        assertThat(gauges).hasSize(SHARDS);
        return gauges.stream().mapToDouble(Gauge::value).sum();
    }

    static double maxTimeGauge(MeterRegistry reg, String name) {
        return reg.find(name).timeGauges().stream().mapToDouble(g -> g.value(TimeUnit.MILLISECONDS)).max()
                .orElseThrow();
    }

    static void awaitApplied(Replicator r, EmbeddedDragonflyMaster m) throws InterruptedException {
        for (int i = 0; i < m.shardCount(); i++) {
            int flow = i;
            long target = m.nextLsn(i);
            awaitTrue(() -> r.stats().flows().size() > flow && r.stats().flows().get(flow).appliedLsn() >= target,
                    "flow " + i + " applied " + target);
        }
    }

    static void awaitTrue(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
