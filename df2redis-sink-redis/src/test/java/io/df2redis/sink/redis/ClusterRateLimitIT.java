package io.df2redis.sink.redis;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.replica.Replicator;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisClusterProcess;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limit is one per target on a Redis Cluster too: 3 flows writing through one connection
 * per master each (9 connections) achieve the limit within 10 % over a 10 s window of a saturated
 * full sync, measured with the sink's counters; every master got writes; the target converges.
 */
class ClusterRateLimitIT {
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisClusterProcess.start(3);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void oneLimitForEveryNodeAndFlow() throws Exception {
        cluster.flushAll();
        int keys = 25_000;
        long limit = 1_500;
        RedisSink sink = RedisSink.cluster(cluster.seed()).maxOpsPerSecond(limit).build();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(3).start();
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(sink).build()) {
            for (int i = 0; i < keys; i++) {
                m.put(0, RdbKeyValue.of("key:" + i, RdbValue.string("v" + i)));
            }
            r.start();
            CapturedCaseRedisSinkIT.awaitTrue(() -> sink.stats().commands() > 100, "the snapshot streaming");
            Thread.sleep(1000);
            long t0 = System.nanoTime();
            long c0 = sink.stats().commands();
            TimeUnit.SECONDS.sleep(10);
            long c1 = sink.stats().commands();
            long t1 = System.nanoTime();
            double rate = (c1 - c0) * 1e9 / (t1 - t0);
            System.out.printf("cluster rate limit IT: %.0f commands/s against %d (counter %d -> %d); %s%n", rate, limit,
                    c0, c1, sink.stats());
            assertThat(c1).as("the snapshot was still streaming at the window's end").isLessThan(keys - 1_000);
            assertThat(rate).isBetween(limit * 0.9, limit * 1.1);

            assertThat(r.awaitStableSync(Duration.ofSeconds(120))).isTrue();
            m.write(0, "SET", "live", "1");
            EmbeddedMasterRedisSinkIT.awaitApplied(r, m);
            assertThat(cluster.dbsize()).isEqualTo(keys + 1);
            for (RedisServerProcess n : cluster.nodes()) {
                long size = ((IntegerReply) n.call("DBSIZE")).value();
                assertThat(size).as("keys on %s", n.address()).isGreaterThan(keys / 5);
            }
            assertThat(sink.stats().errors()).isZero();
        }
    }
}
