package io.df2redis.sink.redis.verify;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.rdb.ValueBatch;
import io.df2redis.replica.FlowStats;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sync from the embedded master into a real redis-server through a {@link SyncRecorder}: the
 * target matches the digest; corrupted keys are flagged by key; keys written live are set aside.
 */
class SyncRecorderIT {
    private static final int BIG = 5000;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void dataset(EmbeddedDragonflyMaster m) {
        long future = System.currentTimeMillis() + 3_600_000;
        for (int i = 0; i < 60; i++) {
            m.put(0, RdbKeyValue.of("k:" + i, RdbValue.string("value " + i)));
        }
        m.put(0, RdbKeyValue.of("ttl", RdbValue.string("v")).withExpireAtMs(future));
        m.put(0, RdbKeyValue.of("bigstr", RdbValue.string("y".repeat(300_000))));
        m.put(0, RdbKeyValue.of("list", RdbValue.list("a", "b", "c")));
        m.put(0, RdbKeyValue.of("set", RdbValue.set("a", "b", "1")));
        m.put(0, RdbKeyValue.of("hash", RdbValue.hash("f1", "v1", "f2", "v2")));
        m.put(0, RdbKeyValue.of("zset", RdbValue.zset(List.of(b("a"), b("b")), new double[] {1.5, -3})));
        List<byte[]> big = new ArrayList<>();
        List<byte[]> vals = new ArrayList<>();
        double[] scores = new double[BIG];
        for (int i = 0; i < BIG; i++) {
            big.add(b("e" + i));
            vals.add(b("v" + i));
            scores[i] = i / 4.0;
        }
        m.put(0, RdbKeyValue.of("biglist", RdbValue.list(big)));
        m.put(0, RdbKeyValue.of("bigset", RdbValue.set(big)));
        m.put(0, RdbKeyValue.of("bighash", RdbValue.hash(big, vals)));
        m.put(0, RdbKeyValue.of("bigzset", RdbValue.zset(big, scores)));
        List<RdbValue.StreamItem> items = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            items.add(RdbValue.StreamItem.of(new StreamId(1000, i), "f", "v" + i));
        }
        long now = System.currentTimeMillis();
        RdbValue.StreamGroup g = new RdbValue.StreamGroup(b("g1"), new StreamId(1000, 4), 4,
                List.of(new ValueBatch.PendingEntry(new StreamId(1000, 1), now, 2),
                        new ValueBatch.PendingEntry(new StreamId(1000, 3), now, 1),
                        new ValueBatch.PendingEntry(new StreamId(1000, 4), now, 1)),
                List.of(new RdbValue.StreamConsumer(b("alice"), now, now, List.of(new StreamId(1000, 1),
                                new StreamId(1000, 3))),
                        new RdbValue.StreamConsumer(b("bob"), now, now, List.of(new StreamId(1000, 4)))));
        m.put(0, RdbKeyValue.of("stream", RdbValue.StreamValue.of(items, List.of(g))));
        m.put(2, RdbKeyValue.of("db2", RdbValue.string("two")));
        m.put(2, RdbKeyValue.of("db2list", RdbValue.list("x", "y")));
    }

    private static final int KEYS = 60 + 11 + 2;

    @Test
    void targetMatchesTheDigestAndCorruptionIsFlagged(@TempDir Path spill) throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
             EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             SyncRecorder recorder = SyncRecorder.wrapping(RedisSink.standalone(redis.address()).build())
                     .memoryKeys(16).spillDirectory(spill).build()) {
            dataset(m);
            VerifyOptions options = VerifyOptions.builder().chunkElements(1000).chunkBytes(64 * 1024)
                    .recheckDelay(Duration.ofMillis(50)).build();
            try (Replicator r = Replicator.builder().source(m.host(), m.port()).sink(recorder).build()) {
                r.start();
                assertThat(r.awaitStableSync(Duration.ofSeconds(60))).isTrue();
                assertThat(recorder.recorded()).isEqualTo(KEYS);

                try (Verifier v = Verifier.connectTarget(VerifyEndpoint.parse(redis.address()), options)) {
                    Report clean = v.verify(recorder);
                    assertThat(clean.differences()).isEmpty();
                    assertThat(clean.equal()).isTrue();
                    assertThat(clean.keysCompared()).isEqualTo(KEYS);
                    assertThat(clean.sourceKeys()).isEqualTo(KEYS);
                    assertThat(clean.notRecorded()).isZero();
                    assertThat(clean.changedByLiveWrites()).isZero();

                    // a live write: the key is no longer compared with its snapshot digest
                    m.write(0, "SET", "k:3", "written live");
                    for (int i = 0; i < m.shardCount(); i++) {
                        int flow = i;
                        long lsn = m.nextLsn(i);
                        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                        while (applied(r, flow) < lsn && System.nanoTime() < deadline) {
                            Thread.sleep(20);
                        }
                    }
                    redis.call("SET", "k:5", "corrupted");
                    redis.call("LSET", "biglist", "2500", "corrupted");
                    redis.call("HSET", "bighash", "e4000", "corrupted");
                    redis.call("SREM", "bigset", "e17");
                    redis.call("SADD", "bigset", "intruder");
                    redis.call("ZADD", "bigzset", "0.125", "e100");
                    redis.call("SETRANGE", "bigstr", "200000", "z");
                    redis.call("HSET", "hash", "f2", "other");
                    redis.call("XCLAIM", "stream", "g1", "bob", "0", "1000-1", "JUSTID");
                    redis.call("DEL", "list");
                    redis.call("PERSIST", "ttl");
                    redis.call("SELECT", "2");
                    redis.call("RPUSH", "db2list", "z");
                    redis.call("SELECT", "0");

                    Report dirty = v.verify(recorder);
                    assertThat(dirty.differences()).extracting(d -> d.kind() + " " + d.db() + " " + d.key())
                            .containsExactlyInAnyOrder("VALUE 0 k:5", "VALUE 0 biglist", "VALUE 0 bighash",
                                    "VALUE 0 bigset", "VALUE 0 bigzset", "VALUE 0 bigstr", "VALUE 0 hash",
                                    "VALUE 0 stream", "MISSING 0 list", "TTL 0 ttl", "VALUE 2 db2list");
                    assertThat(dirty.changedByLiveWrites()).isEqualTo(1);
                    assertThat(dirty.notCompared()).containsOnlyKeys(
                            "changed by live writes: not compared (no source to compare against)");
                }
            }
        }
    }

    private static long applied(Replicator r, int flow) {
        List<FlowStats> f = r.stats().flows();
        return f.size() > flow ? f.get(flow).appliedLsn() : 0;
    }
}
