package io.df2redis.replica;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.df2redis.replica.e2e.MasterUnderTest;
import io.df2redis.testkit.CompressionMode;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end-to-end scenario run against every master available: the embedded master always, and
 * a real Dragonfly when {@code DF2REDIS_DRAGONFLY_BIN}, {@code DF2REDIS_DRAGONFLY_ADDR} or Docker
 * provides one. Data goes in through a plain client connection before, during and after the
 * full sync; the keyspace the listener builds must equal the master's, FLUSHDB must arrive once,
 * and the replicator's applied LSNs (what it ACKs) must equal the master's offsets.
 */
class ReplicationSuiteIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(120);

    static Stream<Arguments> masters() {
        List<Arguments> out = new ArrayList<>();
        for (String kind : MasterUnderTest.kinds()) {
            out.add(Arguments.of(kind, 1, CompressionMode.LZ4));
            out.add(Arguments.of(kind, 4, CompressionMode.ZSTD));
            out.add(Arguments.of(kind, 2, CompressionMode.LZF));
            out.add(Arguments.of(kind, 8, CompressionMode.NONE));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} master, {1} shards, {2}")
    @MethodSource("masters")
    void snapshotAndLiveWritesArriveExactly(String kind, int shards, CompressionMode compression) throws Exception {
        try (MasterUnderTest m = MasterUnderTest.start(kind, shards, compression); SyncRespClient c = m.client()) {
            // the snapshot
            for (int i = 0; i < 2000; i++) {
                c.ok("SET", "s:" + i, "value-" + i);
                c.ok("HSET", "h:" + (i % 10), "f:" + i, "v" + i);
                c.ok("SADD", "set:" + (i % 10), "m:" + i);
                c.ok("ZADD", "z:" + (i % 10), Integer.toString(i), "m:" + i);
                if (i < 100) {
                    c.ok("SET", "ttl:" + i, "v", "PX", "3600000");
                }
            }
            List<Object> rpush = new ArrayList<>(List.of("RPUSH", "biglist"));
            for (int i = 0; i < 50_000; i++) {
                rpush.add(Integer.toString(i));
                if (rpush.size() == 1002) {
                    c.ok(rpush.toArray());
                    rpush = new ArrayList<>(List.of("RPUSH", "biglist"));
                }
            }
            c.ok("SELECT", "2");
            for (int i = 0; i < 100; i++) {
                c.ok("SET", "db2:" + i, Integer.toString(i));
            }
            c.ok("SELECT", "0");

            KeyspaceModel model = new KeyspaceModel();
            try (Replicator r = Replicator.builder().source(m.host(), m.port()).listener(model).build()) {
                r.start();
                // writes while the full sync runs
                for (int i = 0; i < 200; i++) {
                    c.ok("SET", "during:" + i, "x");
                    c.ok("LPUSH", "dlist", Integer.toString(i));
                }
                assertThat(r.awaitStableSync(WAIT)).as(m.name()).isTrue();
                assertThat(r.masterInfo().flowCount()).isEqualTo(m.flows());
                // live writes
                for (int i = 0; i < 300; i++) {
                    c.ok("MSET", "a:" + i, "1", "b:" + i, "2", "c:" + i, "3");
                    c.ok("SET", "px:" + i, "v", "PX", "3600000");
                    c.ok("INCR", "counter");
                    c.ok("SADD", "set:live", "x" + (i % 17));
                    c.ok("ZADD", "z:live", Integer.toString(i % 7), "m" + (i % 11));
                    if (i % 5 == 0) {
                        c.ok("DEL", "a:" + i, "b:" + i, "s:" + i);
                    }
                    if (i == 150) {
                        c.ok("SELECT", "1");
                        c.ok("SET", "db1:gone", "v");
                        c.ok("FLUSHDB");
                        c.ok("SET", "db1:kept", "v");
                        c.ok("SELECT", "0");
                        c.call("WAIT", "1", "1000");
                    }
                }
                awaitApplied(m, r);
                assertThat(model.unsupported).isEmpty();
                assertKeyspace(JSON.readTree(JSON.writeValueAsString(m.keyspace())),
                        JSON.readTree(JSON.writeValueAsString(model.keyspace())), m.real() ? 3000 : 0);
                assertThat(model.globals).containsExactly("FLUSHDB");
            }
        }
    }

    /** Waits until every flow applied (and hence ACKs) up to the master's current offset. */
    private static void awaitApplied(MasterUnderTest m, Replicator r) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long[] target = m.replicaOffsets();
            List<FlowStats> flows = r.stats().flows();
            boolean done = true;
            for (int i = 0; i < target.length; i++) {
                done &= flows.get(i).appliedLsn() == target[i];
            }
            if (done) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("applied " + flows + " never reached the master's offsets "
                        + java.util.Arrays.toString(target));
            }
            Thread.sleep(20);
        }
    }

    /** Key-by-key equality; expiries within {@code toleranceMs} (a real master's TTLs are read back via PTTL). */
    static void assertKeyspace(JsonNode expected, JsonNode actual, long toleranceMs) {
        assertThat(fieldNames(actual)).as("dbs").isEqualTo(fieldNames(expected));
        for (Iterator<String> dbs = expected.fieldNames(); dbs.hasNext(); ) {
            String db = dbs.next();
            assertThat(fieldNames(actual.get(db))).as("keys of db " + db).isEqualTo(fieldNames(expected.get(db)));
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.get(db).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode a = actual.get(db).get(e.getKey());
                String what = db + "/" + e.getKey();
                assertThat(a.get("type")).as(what + " type").isEqualTo(e.getValue().get("type"));
                assertThat(a.get("value")).as(what + " value").isEqualTo(e.getValue().get("value"));
                JsonNode ex = e.getValue().get("expire_at_ms");
                JsonNode ax = a.get("expire_at_ms");
                if (ex == null || ex.isNull()) {
                    assertThat(ax == null || ax.isNull()).as(what + " has no expiry").isTrue();
                } else {
                    assertThat(ax).as(what + " expiry").isNotNull();
                    assertThat(Math.abs(ax.asLong() - ex.asLong())).as(what + " expiry").isLessThanOrEqualTo(toleranceMs);
                }
            }
        }
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        out.sort(null);
        return out;
    }

    static Stream<String> kinds() {
        return MasterUnderTest.kinds().stream();
    }

    @ParameterizedTest(name = "{0} master")
    @MethodSource("kinds")
    void authenticatesAndRejectsAWrongPassword(String kind) throws Exception {
        try (MasterUnderTest m = MasterUnderTest.start(kind, 2, CompressionMode.LZ4, "s3cret");
             SyncRespClient c = m.client()) {
            c.ok("SET", "k", "v");
            KeyspaceModel model = new KeyspaceModel();
            try (Replicator r = Replicator.builder()
                    .source(DragonflyEndpoint.of(m.host(), m.port()).withPassword("s3cret")).listener(model).build()) {
                r.start();
                assertThat(r.awaitStableSync(WAIT)).isTrue();
                awaitApplied(m, r);
                assertKeyspace(JSON.readTree(JSON.writeValueAsString(m.keyspace())),
                        JSON.readTree(JSON.writeValueAsString(model.keyspace())), m.real() ? 3000 : 0);
            }
            try (Replicator r = Replicator.builder()
                    .source(DragonflyEndpoint.of(m.host(), m.port()).withPassword("wrong")).build()) {
                r.start();
                CapturedCaseReplicationIT.awaitTrue(() -> r.state() == ReplicationState.FAILED, "auth failure");
                assertThat(r.failure()).isInstanceOf(AuthenticationException.class);
            }
        }
    }

    @ParameterizedTest(name = "{0} master")
    @MethodSource("kinds")
    void aSlowListenerKeepsQueuesBoundedAndMissesNothing(String kind) throws Exception {
        long limit = 1L << 20;
        try (MasterUnderTest m = MasterUnderTest.start(kind, 2, CompressionMode.NONE); SyncRespClient c = m.client()) {
            String value = "v".repeat(1000);
            for (int i = 0; i < 8000; i++) {
                c.ok("SET", "big:" + i, value);
            }
            long[] seen = new long[1];
            KeyspaceModel model = new KeyspaceModel() {
                @Override
                public synchronized void onEntryEnd(int flow, io.df2redis.protocol.rdb.RdbEntry e,
                                                    io.df2redis.protocol.rdb.EntrySummary s) {
                    super.onEntryEnd(flow, e, s);
                    if (++seen[0] % 50 == 0) {
                        try {
                            Thread.sleep(2);
                        } catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            };
            try (Replicator r = Replicator.builder().source(m.host(), m.port())
                    .options(o -> o.flowQueueMaxBytes(limit).slowConsumerPolicy(SlowConsumerPolicy.PAUSE_READING))
                    .listener(model).build()) {
                r.start();
                assertThat(r.awaitStableSync(WAIT)).isTrue();
                awaitApplied(m, r);
                ReplicationStats stats = r.stats();
                assertThat(stats.flows().stream().mapToLong(FlowStats::pauses).sum()).as("paused").isPositive();
                assertThat(stats.flows().stream().mapToLong(FlowStats::maxQueuedBytes).max().orElse(0))
                        .isLessThan(limit + (8L << 20));
                assertKeyspace(JSON.readTree(JSON.writeValueAsString(m.keyspace())),
                        JSON.readTree(JSON.writeValueAsString(model.keyspace())), m.real() ? 3000 : 0);
            }
        }
    }
}
