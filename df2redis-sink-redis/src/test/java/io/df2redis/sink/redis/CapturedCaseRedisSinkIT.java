package io.df2redis.sink.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.df2redis.replica.ReplicationState;
import io.df2redis.replica.Replicator;
import io.df2redis.testkit.CapturedCases;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every real Dragonfly capture (full-sync cases of both releases: the static all-types cases, the
 * journal cases journal-2shards and writes-during-fullsync, the spec example), replayed by a master
 * through the replicator into a fresh Redis, reads back from Redis equal to the case's
 * expected.json for every key Redis can hold; every key it cannot hold is reported by the policy.
 */
class CapturedCaseRedisSinkIT {
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

    static Path vectors() {
        return CapturedCases.vectorsRoot();
    }

    /** Full-sync captures that come with the master's keyspace; {@code -Dsink.case=v1.40.1/…} picks one. */
    static Stream<Arguments> cases() {
        String only = System.getProperty("sink.case");
        List<Arguments> out = CapturedCases.fullSyncCases().stream()
                .filter(dir -> CapturedCases.has(dir, "expected.json"))
                .filter(dir -> only == null || CapturedCases.name(dir).equals(only))
                .map(dir -> Arguments.of(CapturedCases.name(dir), dir)).toList();
        assertThat(out).hasSizeGreaterThanOrEqualTo(only != null ? 1 : 9);
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void redisHoldsTheMastersKeyspace(String name, Path dir) throws Exception {
        JsonNode handshake = RedisKeyspace.JSON.readTree(dir.resolve("handshake.json").toFile());
        JsonNode expected = RedisKeyspace.JSON.readTree(read(dir, "expected.json"));
        redis.call("FLUSHALL");
        redis.call("SET", "stale", "must be flushed by the full sync");
        RedisSink sink = RedisSink.standalone(redis.address()).fullSyncTargetPolicy(FullSyncTargetPolicy.FLUSH)
                .unsupportedDataPolicy(UnsupportedDataPolicy.SKIP_AND_COUNT).build();
        try (EmbeddedDragonflyMaster master = EmbeddedDragonflyMaster.replay(dir);
             Replicator r = Replicator.builder().source(master.host(), master.port()).ownedSink(sink).build()) {
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(60))).as("stable sync, failure: " + r.failure()).isTrue();
            for (int i = 0; i < handshake.get("num_flows").asInt(); i++) {
                long target = handshake.get("flows").get(i).get("next_lsn_at_close").asLong();
                int flow = i;
                awaitTrue(() -> r.stats().flows().get(flow).appliedLsn() == target || r.failure() != null,
                        name + " flow " + i + " applied " + target);
                assertThat(r.failure()).as("replicator failure").isNull();
            }
            assertThat(r.state()).isEqualTo(ReplicationState.STABLE_SYNC);
            JsonNode actual = RedisKeyspace.read(redis);
            RedisKeyspace.DROPPED_PENDING.set(0);
            Set<String> unsupported = RedisKeyspace.compare(name, expected, actual);
            RedisSinkStats st = sink.stats();
            Set<String> reported = st.skipped().stream().map(d -> d.db() + "/" + d.keyAsString())
                    .collect(Collectors.toCollection(TreeSet::new));
            // every key Redis cannot (fully) hold is reported by name; nothing else is, except keys a
            // later journal command deleted or overwrote
            assertThat(reported).as(name + " reported keys " + st.skipped()).isEqualTo(unsupported);
            assertThat(st.errors()).isZero();
            System.out.printf("%s: %d keys in Redis, %d commands, skipped %s, dfMask ignored %d, "
                    + "pending entries of deleted stream entries not reproduced: %d%n", name, countKeys(actual),
                    st.commands(), st.skippedByReason(), st.dfMaskIgnored(), RedisKeyspace.DROPPED_PENDING.get());
        }
    }

    /** The FAIL policy (default) ends the session with a typed error naming the first unsupported key. */
    @Test
    void failPolicyFailsTheSessionNamingTheKey() throws Exception {
        Path dir = vectors().resolve("dragonfly/v1.40.1/all-types-1shard-nocompress");
        // earlier tests left keys in the target: flushed explicitly
        RedisSink sink = RedisSink.standalone(redis.address()).fullSyncTargetPolicy(FullSyncTargetPolicy.FLUSH).build();
        try (EmbeddedDragonflyMaster master = EmbeddedDragonflyMaster.replay(dir);
             Replicator r = Replicator.builder().source(master.host(), master.port())
                     .options(o -> o.reconnect(false)).ownedSink(sink).build()) {
            r.start();
            awaitTrue(() -> r.state() == ReplicationState.FAILED, "session failure");
            Throwable t = r.failure();
            UnsupportedDataException ude = null;
            while (t != null) {
                if (t instanceof UnsupportedDataException u) {
                    ude = u;
                }
                t = t.getCause();
            }
            assertThat(ude).as("UnsupportedDataException in " + r.failure()).isNotNull();
            JsonNode expected = RedisKeyspace.JSON.readTree(read(dir, "expected.json"));
            JsonNode ex = expected.path(Integer.toString(ude.data().db())).get(ude.data().keyAsString());
            assertThat(ex).as("the named key exists on the master").isNotNull();
            assertThat(ude.getMessage()).contains(ude.data().keyAsString());
            assertThat(ex.get("type").asText().equals(ude.data().type())
                    || ex.has("field_expire_at_s") || ex.has("member_expire_at_s")).isTrue();
        }
    }

    static int countKeys(JsonNode ks) {
        int n = 0;
        for (JsonNode db : ks) {
            n += db.size();
        }
        return n;
    }

    static byte[] read(Path dir, String name) {
        return CapturedCases.read(dir, name);
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
