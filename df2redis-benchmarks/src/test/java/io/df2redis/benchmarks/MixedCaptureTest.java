package io.df2redis.benchmarks;

import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.replica.ReplicationListener;
import io.df2redis.replica.Replicator;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mixed-type capture at a small scale: written from the embedded master, then served verbatim
 * by the replay backend (as {@link ReplayServer} serves it) and fully synced by a replicator, which
 * must see every key, with every type and the TTLs the data set has.
 */
class MixedCaptureTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aCaptureReplaysIntoAFullSyncOfEveryKey() throws Exception {
        long keys = MixedCapture.write(dir, 0.01);
        assertThat(keys).isEqualTo(2000 + 4 * 200);
        assertThat(dir.resolve("handshake.json")).exists();
        assertThat(Files.size(dir.resolve("flow-0.bin")) + Files.size(dir.resolve("flow-1.bin"))).isGreaterThan(100_000);

        LongAdder entries = new LongAdder();
        LongAdder withTtl = new LongAdder();
        Map<String, LongAdder> types = new ConcurrentHashMap<>();
        ReplicationListener counting = new ReplicationListener() {
            @Override
            public void onEntryEnd(int flow, RdbEntry entry, EntrySummary summary) {
                entries.increment();
                if (entry.expireAtMs() >= 0) {
                    withTtl.increment();
                }
                types.computeIfAbsent(entry.type().logicalType().name(), t -> new LongAdder()).increment();
            }
        };
        try (EmbeddedDragonflyMaster replay = EmbeddedDragonflyMaster.replay(dir);
             Replicator r = Replicator.builder().source(replay.host(), replay.port()).listener(counting).build()) {
            r.start();
            assertThat(r.awaitFullSync(Duration.ofSeconds(30))).as("full sync of the replayed capture").isTrue();
        }
        assertThat(entries.sum()).isEqualTo(keys);
        assertThat(withTtl.sum()).isEqualTo(200);
        assertThat(types).containsOnlyKeys("STRING", "HASH", "LIST", "SET", "ZSET");
        assertThat(types.get("STRING").sum()).isEqualTo(2000);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theReferenceRunsEveryShapeAgainstARealRedis() throws Exception {
        try (RedisTarget redis = RedisTarget.open("start")) {
            double seconds = MixedCapture.referenceSeconds(redis, 0.05);
            assertThat(seconds).isPositive().isLessThan(60);
            assertThat(redis.dbsize()).as("flushed afterwards").isZero();
        }
    }
}
