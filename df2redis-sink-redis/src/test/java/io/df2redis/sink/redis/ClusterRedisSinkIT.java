package io.df2redis.sink.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.NullReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.internal.cluster.SlotHash;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.SampleDatasets;
import io.df2redis.testkit.redis.RedisClusterProcess;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.df2redis.sink.redis.CapturedCaseRedisSinkIT.awaitTrue;
import static io.df2redis.sink.redis.EmbeddedMasterRedisSinkIT.awaitApplied;
import static org.assertj.core.api.Assertions.assertThat;

/** The sink against a real 3-master Redis Cluster: routing, multi-key splits, db mapping, slot migration. */
class ClusterRedisSinkIT {
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

    @BeforeEach
    void flush() {
        cluster.flushAll();
    }

    /** Every node's keyspace, merged (each key lives on exactly one master). */
    static ObjectNode readCluster() {
        ObjectNode all = RedisKeyspace.JSON.createObjectNode();
        for (RedisServerProcess n : cluster.nodes()) {
            ObjectNode one = RedisKeyspace.read(n, 1);
            for (Iterator<String> dbs = one.fieldNames(); dbs.hasNext(); ) {
                String db = dbs.next();
                ObjectNode into = all.has(db) ? (ObjectNode) all.get(db) : all.putObject(db);
                one.get(db).fields().forEachRemaining(e -> {
                    assertThat(into.has(e.getKey())).as("key " + e.getKey() + " on two masters").isFalse();
                    into.set(e.getKey(), e.getValue());
                });
            }
        }
        return all;
    }

    /** The master's keyspace with every db merged into db 0 (what mapDatabase(n, 0) produces). */
    @SuppressWarnings("unchecked")
    static JsonNode mergedIntoDb0(Map<String, Object> keyspace) throws Exception {
        // through text, so numbers get the node types a parsed expected.json has
        JsonNode all = RedisKeyspace.JSON.readTree(RedisKeyspace.JSON.writeValueAsString(keyspace));
        ObjectNode out = RedisKeyspace.JSON.createObjectNode();
        ObjectNode db0 = out.putObject("0");
        all.fields().forEachRemaining(db -> db.getValue().fields().forEachRemaining(e -> {
            assertThat(db0.has(e.getKey())).as("key " + e.getKey() + " in two dbs").isFalse();
            db0.set(e.getKey(), e.getValue());
        }));
        return out;
    }

    private static String get(String key) {
        RespReply r = cluster.call(key, "GET", key);
        return r instanceof BulkString b ? b.asString() : null;
    }

    /** Our slot function agrees with the cluster's on random binary keys (hash tags included). */
    @Test
    void slotsAgreeWithTheCluster() {
        java.util.Random rnd = new java.util.Random(7);
        byte[] alphabet = "{}ab\0\377x".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 400; i++) {
            byte[] k = new byte[rnd.nextInt(12)];
            for (int j = 0; j < k.length; j++) {
                k[j] = rnd.nextInt(3) == 0 ? (byte) rnd.nextInt(256) : alphabet[rnd.nextInt(alphabet.length)];
            }
            assertThat(SlotHash.slot(k)).as("slot of %s", java.util.Arrays.toString(k)).isEqualTo(cluster.slot(k));
        }
    }

    /**
     * Every type and encoding lands on the master of its slot; dbs 1 and 5 merged into db 0 by
     * mapping; live writes (MSET and DEL across slots split per slot by the sink) follow.
     */
    @Test
    void everyTypeFullSyncThenLiveWrites() throws Exception {
        RedisSink sink = RedisSink.cluster(cluster.seed()).mapDatabase(1, 0).mapDatabase(5, 0)
                .unsupportedDataPolicy(UnsupportedDataPolicy.SKIP_AND_COUNT).build();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(3).start();
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(sink).build()) {
            SampleDatasets.everyType(m, 5_000);
            for (int i = 0; i < 300; i++) {
                m.put(0, RdbKeyValue.of("spread:" + i, RdbValue.string("v" + i)));
            }
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(60))).as("stable sync; failure " + r.failure()).isTrue();
            StringBuilder log = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                m.write("MSET", "live:a" + i, "1", "live:b" + i, "2", "live:c" + i, "3", "live:d" + i, "4");
                m.write("DEL", "spread:" + i, "spread:" + (i + 100), "spread:" + (i + 200));
                m.write("INCR", "counter:" + (i % 5));
                m.write("RPUSH", "list:small", "x" + i);
                m.write("HSET", "hash:small", "live" + i, "v");
                m.write("ZADD", "zset:small", Integer.toString(i), "m" + i);
                m.write("SADD", "set:small", "s" + i);
            }
            m.write("PEXPIRE", "str:plain", "3600000");
            awaitApplied(r, m);
            assertThat(r.failure()).isNull();
            JsonNode expected = mergedIntoDb0(SampleDatasets.keyspaceOf(m));
            ObjectNode actual = readCluster();
            Set<String> unsupported = RedisKeyspace.compare("cluster", expected, actual);
            Set<String> reported = sink.stats().skipped().stream().map(UnsupportedData::keyAsString)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> unsupportedKeys = unsupported.stream().map(k -> k.substring(k.indexOf('/') + 1))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(reported).isEqualTo(unsupportedKeys);
            for (RedisServerProcess n : cluster.nodes()) {
                assertThat(((IntegerReply) n.call("DBSIZE")).value()).as("keys on " + n.address()).isGreaterThan(50);
            }
            RedisSinkStats st = sink.stats();
            assertThat(st.errors()).isZero();
            assertThat(st.movedRedirects()).as("a fresh topology needs no redirect").isZero();
            System.out.printf("cluster: %d keys, %d commands, %s%n", cluster.dbsize(), st.commands(), log);
        }
    }

    /**
     * Multi-key commands across slots: DEL/UNLINK/MSET split per slot; a same-slot RENAME (hash tags)
     * runs as is; a cross-slot RENAME is reported by the policy; FLUSHDB empties every master.
     */
    @Test
    void multiKeyCommandsAndFlushdb() throws Exception {
        RedisSink sink = RedisSink.cluster(cluster.addresses().toArray(String[]::new))
                .unsupportedDataPolicy(UnsupportedDataPolicy.SKIP_AND_COUNT).build();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(1).start();
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(sink).build()) {
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).isTrue();
            m.write("MSET", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5");
            assertThat(Set.of(cluster.slot("a"), cluster.slot("b"), cluster.slot("c"))).hasSize(3);
            m.write("UNLINK", "a", "b");
            m.write("SET", "{t}one", "1");
            m.write("RENAME", "{t}one", "{t}two");
            m.write("SET", "x1", "v");
            m.write("RENAME", "x1", "y1");
            m.write("MSETNX", "n1", "1", "n2", "2", "n3", "3");
            awaitApplied(r, m);
            assertThat(get("a")).isNull();
            assertThat(get("b")).isNull();
            assertThat(get("c")).isEqualTo("3");
            assertThat(get("e")).isEqualTo("5");
            assertThat(get("{t}two")).isEqualTo("1");
            assertThat(get("{t}one")).isNull();
            // the master journals MSETNX as MSET (it already decided), which splits per slot
            assertThat(get("n1") + get("n2") + get("n3")).isEqualTo("123");
            assertThat(sink.stats().skippedByReason()).containsEntry(UnsupportedData.REASON_CROSS_SLOT, 1L);
            assertThat(sink.stats().skipped()).extracting(UnsupportedData::keyAsString).containsExactly("x1");
            m.write("FLUSHDB");
            m.write("SET", "after", "flush");
            awaitApplied(r, m);
            assertThat(cluster.dbsize()).isEqualTo(1);
            assertThat(get("after")).isEqualTo("flush");
            // FLUSHALL from a client that had selected db 1 flushes everything, without any db mapping
            m.write(1, "FLUSHALL");
            m.write("SET", "after-all", "1");
            awaitApplied(r, m);
            assertThat(r.failure()).isNull();
            assertThat(cluster.dbsize()).isEqualTo(1);
            assertThat(get("after-all")).isEqualTo("1");
            assertThat(sink.stats().errors()).isZero();
        }
    }

    /** A db other than 0 fails the session with a non-retryable error naming the fix; mapped, it lands. */
    @Test
    void otherDbsNeedAMapping() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            m.put(0, RdbKeyValue.of("zero", RdbValue.string("0")));
            m.put(3, RdbKeyValue.of("three", RdbValue.string("3")));
            try (Replicator r = Replicator.builder().source(m.host(), m.port())
                    .ownedSink(RedisSink.cluster(cluster.seed()).build()).build()) {
                r.start();
                awaitTrue(() -> r.failure() != null, "replicator failure");
                ReplicationException f = r.failure();
                assertThat(f.isRetryable()).isFalse();
                assertThat(f).hasMessageContaining("db 3").hasMessageContaining("mapDatabase(3, 0)");
            }
            cluster.flushAll();
            try (Replicator r = Replicator.builder().source(m.host(), m.port())
                    .ownedSink(RedisSink.cluster(cluster.seed()).mapDatabase(3, 0).build()).build()) {
                r.start();
                assertThat(r.awaitStableSync(Duration.ofSeconds(30))).isTrue();
                assertThat(get("three")).isEqualTo("3");
                assertThat(get("zero")).isEqualTo("0");
            }
        }
    }

    /**
     * Keys on several masters: the default policy counts them on every master and refuses; FLUSH
     * flushes every master, logged with the count; the refused run wrote nothing.
     */
    @Test
    void aNonEmptyClusterIsRefusedByDefaultAndFlushedOnEveryMasterWithFlush() throws Exception {
        for (int i = 0; i < 30; i++) {
            cluster.call("old" + i, "SET", "old" + i, "x");
        }
        long mastersWithKeys = cluster.nodes().stream()
                .filter(n -> ((IntegerReply) n.call("DBSIZE")).value() > 0).count();
        assertThat(mastersWithKeys).isGreaterThan(1);
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            for (int i = 0; i < 20; i++) {
                m.put(0, RdbKeyValue.of("new" + i, RdbValue.string("n")));
            }
            try (Replicator r = Replicator.builder().source(m.host(), m.port())
                    .ownedSink(RedisSink.cluster(cluster.seed()).build()).build()) {
                r.start();
                awaitTrue(() -> r.failure() != null, "the refusal");
                assertThat(r.failure()).isInstanceOf(TargetNotEmptyException.class)
                        .hasMessageContaining("Redis Cluster").hasMessageContaining("db0: 30 keys");
                assertThat(get("old7")).isEqualTo("x");
                assertThat(get("new7")).isNull();
            }
            try (LogCapture log = new LogCapture();
                 Replicator r = Replicator.builder().source(m.host(), m.port())
                         .ownedSink(RedisSink.cluster(cluster.seed()).fullSyncTargetPolicy(FullSyncTargetPolicy.FLUSH)
                                 .build()).build()) {
                r.start();
                assertThat(r.awaitStableSync(Duration.ofSeconds(30))).as("failure " + r.failure()).isTrue();
                awaitApplied(r, m);
                assertThat(log.text()).containsPattern("WARN .*FullSyncTargetPolicy.FLUSH: flushing \\(FLUSHDB\\) db0: 30 keys");
            }
            assertThat(get("old7")).isNull();
            assertThat(get("new7")).isEqualTo("n");
            assertThat(cluster.nodes().stream().mapToLong(n -> ((IntegerReply) n.call("DBSIZE")).value()).sum())
                    .isEqualTo(20);
        }
    }

    /**
     * A slot moves to another master while replication runs: writes to keys of the slot that were
     * already migrated are {@code ASK}-redirected (ASKING + retry on the importing node), and once
     * the slot is reassigned the sink's stale map gets {@code MOVED}. Every write lands, in order.
     */
    @Test
    void slotMigrationDuringSyncFollowsAskAndMoved() throws Exception {
        RedisSink sink = RedisSink.cluster(cluster.seed()).build();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(sink).build()) {
            for (int i = 0; i < 200; i++) {
                m.put(0, RdbKeyValue.of("{mig}k" + i, RdbValue.string("v0")));
                m.put(0, RdbKeyValue.of("other" + i, RdbValue.string("o")));
            }
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).isTrue();
            awaitApplied(r, m);
            int slot = cluster.slot("{mig}");
            int from = cluster.owner(slot);
            int to = (from + 1) % 3;
            RedisClusterProcess.Migration mig = cluster.beginMigration(slot, to);
            assertThat(mig.moveKeys(100)).isEqualTo(100);
            // half the keys are on the importing node now: every key gets a new value, in order
            for (int i = 0; i < 200; i++) {
                m.write("SET", "{mig}k" + i, "v1");
                m.write("APPEND", "{mig}k" + i, "+a");
            }
            m.write("SET", "{mig}new", "created during migration");
            awaitApplied(r, m);
            assertThat(sink.stats().askRedirects()).as("ASK redirects").isGreaterThanOrEqualTo(100);
            mig.finish();
            assertThat(cluster.owner(slot)).isEqualTo(to);
            for (int i = 0; i < 200; i++) {
                m.write("APPEND", "{mig}k" + i, "+b");
            }
            m.write("DEL", "{mig}new");
            awaitApplied(r, m);
            RedisSinkStats st = sink.stats();
            assertThat(st.movedRedirects()).as("MOVED redirects").isGreaterThanOrEqualTo(1);
            // the MOVED asked for a full refresh, which runs asynchronously (at most one per 500 ms)
            awaitTrue(() -> sink.stats().topologyRefreshes() >= 2, "a topology refresh after MOVED");
            assertThat(st.errors()).isZero();
            for (int i = 0; i < 200; i++) {
                assertThat(((BulkString) cluster.nodes().get(to).call("GET", "{mig}k" + i)).asString())
                        .as("{mig}k" + i).isEqualTo("v1+a+b");
            }
            assertThat(cluster.nodes().get(to).call("GET", "{mig}new")).isInstanceOf(NullReply.class);
            JsonNode expected = mergedIntoDb0(SampleDatasets.keyspaceOf(m));
            assertThat(RedisKeyspace.compare("after migration", expected, readCluster())).isEmpty();
            System.out.printf("slot migration: %d ASK, %d MOVED, %d refreshes%n", st.askRedirects(),
                    st.movedRedirects(), st.topologyRefreshes());
        }
    }

    /**
     * The slot moves while the snapshot is still streaming (the master is paced) and live writes
     * run: snapshot entries and writes for keys already migrated are ASK-redirected, those after the
     * reassignment get MOVED; the cluster ends up holding exactly the master's keyspace.
     */
    @Test
    void slotMigrationDuringFullSync() throws Exception {
        RedisSink sink = RedisSink.cluster(cluster.seed()).build();
        // the {mig} keys all on one flow: some 60 KB there, held back at 2 KB/s (about 30 s) until the slot
        // was reassigned, then released
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).paceSnapshot(2_000).start();
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(sink).build()) {
            for (int i = 0; i < 2000; i++) {
                m.put(0, RdbKeyValue.of("{mig}k" + i, RdbValue.string("snap" + i)));
                m.put(0, RdbKeyValue.of("spread" + i, RdbValue.string("s")));
            }
            int slot = cluster.slot("{mig}");
            int to = (cluster.owner(slot) + 1) % 3;
            r.start();
            awaitTrue(() -> cluster.dbsize() > 300, "first snapshot keys in the cluster");
            RedisClusterProcess.Migration mig = cluster.beginMigration(slot, to);
            mig.moveKeys(Integer.MAX_VALUE);
            for (int i = 0; i < 2000; i += 10) {
                m.write("SET", "{mig}k" + i, "live" + i);
            }
            awaitTrue(() -> sink.stats().askRedirects() > 0, "an ASK redirect");
            mig.finish();
            for (int i = 5; i < 2000; i += 10) {
                m.write("SET", "{mig}k" + i, "after" + i);
            }
            assertThat(r.state()).as("still in full sync when the slot was reassigned")
                    .isEqualTo(io.df2redis.replica.ReplicationState.FULL_SYNC);
            m.paceSnapshot(0);
            assertThat(r.awaitStableSync(Duration.ofSeconds(120))).as("stable sync; failure " + r.failure()).isTrue();
            awaitApplied(r, m);
            RedisSinkStats st = sink.stats();
            assertThat(st.askRedirects()).isPositive();
            assertThat(st.movedRedirects()).isPositive();
            assertThat(st.errors()).isZero();
            JsonNode expected = mergedIntoDb0(SampleDatasets.keyspaceOf(m));
            assertThat(RedisKeyspace.compare("migration during full sync", expected, readCluster())).isEmpty();
            assertThat(get("{mig}k10")).isEqualTo("live10");
            assertThat(get("{mig}k15")).isEqualTo("after15");
            System.out.printf("slot migration during full sync: %d ASK, %d MOVED, %d refreshes%n",
                    st.askRedirects(), st.movedRedirects(), st.topologyRefreshes());
        }
    }
}
