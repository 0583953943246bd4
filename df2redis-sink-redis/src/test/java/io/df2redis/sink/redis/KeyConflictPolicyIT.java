package io.df2redis.sink.redis;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.replica.ReplicationState;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.verify.Difference;
import io.df2redis.sink.redis.verify.Report;
import io.df2redis.sink.redis.verify.Verifier;
import io.df2redis.sink.redis.verify.VerifyEndpoint;
import io.df2redis.sink.redis.verify.VerifyOptions;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisClusterProcess;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.df2redis.sink.redis.CapturedCaseRedisSinkIT.awaitTrue;
import static io.df2redis.sink.redis.EmbeddedMasterRedisSinkIT.awaitApplied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link KeyConflictPolicy} under {@link FullSyncTargetPolicy#UPSERT}, against a real redis-server (and a
 * real 3-master cluster): the target holds keys of every type that the source's snapshot has too, some
 * with another type or TTL, one a string the master sends in chunks; the embedded master sends small
 * chunks, so lists, hashes and sets arrive in several batches (written into staging keys).
 */
@Timeout(180)
class KeyConflictPolicyIT {
    private static final long FUTURE = System.currentTimeMillis() + 3_600_000;
    /** The keys both sides hold. */
    private static final List<String> CONFLICTS = List.of("str", "bigstr", "lst", "typ", "ttl", "zs", "strttl", "stm");
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

    @BeforeEach
    void emptyTarget() {
        redis.call("FLUSHALL");
    }

    private static RedisSink.Builder sink(KeyConflictPolicy p) {
        return RedisSink.standalone(redis.address()).fullSyncTargetPolicy(FullSyncTargetPolicy.UPSERT)
                .keyConflictPolicy(p);
    }

    /** The source: every conflicting key with other contents than the target's, and keys of its own. */
    private static EmbeddedDragonflyMaster master() {
        EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).chunkSize(64).start();
        m.put(0, RdbKeyValue.of("str", RdbValue.string("source-str")));
        m.put(0, RdbKeyValue.of("bigstr", RdbValue.string("S".repeat(5000))));
        m.put(0, RdbKeyValue.of("lst", RdbValue.list(IntStream.range(0, 60).mapToObj(i -> "e" + i)
                .toArray(String[]::new))));
        m.put(0, RdbKeyValue.of("typ", RdbValue.set("a", "b", "c")));
        m.put(0, RdbKeyValue.of("ttl", RdbValue.hash("f", "v", "g", "w")).withExpireAtMs(FUTURE));
        m.put(0, RdbKeyValue.of("zs", RdbValue.zset(List.of("m1".getBytes(), "m2".getBytes()), new double[] {1, 2})));
        m.put(0, RdbKeyValue.of("strttl", RdbValue.string("source-ttl")).withExpireAtMs(FUTURE));
        m.put(0, RdbKeyValue.of("stm", RdbValue.list("x", "y")));
        m.put(0, RdbKeyValue.of("only-str", RdbValue.string("o")));
        m.put(0, RdbKeyValue.of("only-big", RdbValue.string("B".repeat(4000))));
        m.put(0, RdbKeyValue.of("only-list", RdbValue.list(IntStream.range(0, 80).mapToObj(i -> "x" + i)
                .toArray(String[]::new))));
        m.put(0, RdbKeyValue.of("only-set", RdbValue.set("p", "q")));
        m.put(0, RdbKeyValue.of("only-hash", RdbValue.hash("k", "v")).withExpireAtMs(FUTURE));
        m.put(0, RdbKeyValue.of("only-zset", RdbValue.zset(List.of("z".getBytes()), new double[] {3.5})));
        return m;
    }

    /** The target's own keys, written with {@code call} (a node or the cluster): the conflicting ones and one more. */
    private static void targetKeys(Function<Object[], RespReply> call) {
        call.apply(new Object[] {"SET", "str", "target-str"});
        call.apply(new Object[] {"SET", "bigstr", "target-big"});
        call.apply(new Object[] {"RPUSH", "lst", "t1", "t2"});
        call.apply(new Object[] {"HSET", "typ", "tf", "tv"});
        call.apply(new Object[] {"SET", "ttl", "no ttl here"});
        call.apply(new Object[] {"ZADD", "zs", "9", "tm"});
        call.apply(new Object[] {"SET", "strttl", "target-no-ttl"});
        call.apply(new Object[] {"XADD", "stm", "1-1", "f", "v"});
        call.apply(new Object[] {"SET", "mine", "target only"});
    }

    /** DUMP (value and type) and PTTL of each key, through {@code call}. */
    private static Map<String, String> dumps(Function<Object[], RespReply> call, List<String> keys) {
        Map<String, String> d = new HashMap<>();
        for (String k : keys) {
            RespReply v = call.apply(new Object[] {"DUMP", k});
            long ttl = ((IntegerReply) call.apply(new Object[] {"PTTL", k})).value();
            d.put(k, (v instanceof BulkString b ? Arrays.toString(b.value()) : "none") + " ttl " + (ttl < 0 ? ttl : "set"));
        }
        return d;
    }

    private static Set<String> stagingKeys(RespReply keys) {
        return ((ArrayReply) keys).elements().stream().map(e -> ((BulkString) e).asString())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> differences(EmbeddedDragonflyMaster m, String target) throws Exception {
        return differences(m, VerifyEndpoint.parse(target));
    }

    private static Set<String> differences(EmbeddedDragonflyMaster m, VerifyEndpoint target) throws Exception {
        try (Verifier v = Verifier.connect(VerifyEndpoint.of(m.host(), m.port()), target,
                VerifyOptions.builder().build())) {
            Report report = v.verify();
            return report.differences().stream().map(Difference::key).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static List<String> conflictsAndMine() {
        List<String> all = new ArrayList<>(CONFLICTS);
        all.add("mine");
        return all;
    }

    @Test
    void keepTargetKeepsEveryConflictingKeyExactlyAndWritesTheRest() throws Exception {
        Function<Object[], RespReply> call = redis::call;
        targetKeys(call);
        Map<String, String> before = dumps(call, conflictsAndMine());
        RedisSink s = sink(KeyConflictPolicy.KEEP_TARGET).build();
        try (LogCapture log = new LogCapture();
             EmbeddedDragonflyMaster m = master();
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(s).build()) {
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).as("failure " + r.failure()).isTrue();
            awaitApplied(r, m);
            assertThat(dumps(call, conflictsAndMine())).as("value, type and TTL of the target's keys").isEqualTo(before);
            assertThat(differences(m, redis.address())).as("only the kept keys and the target's own differ")
                    .containsExactlyInAnyOrderElementsOf(conflictsAndMine());
            assertThat(s.stats().skippedByReason()).containsEntry(UnsupportedData.REASON_KEY_CONFLICT,
                    (long) CONFLICTS.size());
            assertThat(s.stats().skipped()).extracting(UnsupportedData::keyAsString)
                    .containsExactlyInAnyOrderElementsOf(CONFLICTS);
            assertThat(stagingKeys(redis.call("KEYS", "df2redis:staging:*"))).as("no staging key left").isEmpty();
            assertThat(((IntegerReply) redis.call("PTTL", "only-hash")).value()).isPositive();
            assertThat(log.text()).contains("KeyConflictPolicy.KEEP_TARGET")
                    .containsPattern("the target already held db 0 key '(" + String.join("|", CONFLICTS) + ")'");

            // journal writes are the source's live changes: applied, also to a kept key
            m.write("APPEND", "str", "+live");
            m.write("SET", "new-key", "n");
            awaitApplied(r, m);
            assertThat(((BulkString) redis.call("GET", "str")).asString()).isEqualTo("target-str+live");
            assertThat(((BulkString) redis.call("GET", "new-key")).asString()).isEqualTo("n");
        }
    }

    @Test
    void overwriteLetsTheSourceWin() throws Exception {
        targetKeys(redis::call);
        try (EmbeddedDragonflyMaster m = master();
             Replicator r = Replicator.builder().source(m.host(), m.port())
                     .ownedSink(sink(KeyConflictPolicy.OVERWRITE).build()).build()) {
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).as("failure " + r.failure()).isTrue();
            awaitApplied(r, m);
            assertThat(differences(m, redis.address())).containsExactly("mine");
        }
    }

    @Test
    void failStopsAtTheFirstConflictWithoutTouchingTheTargetsKey() throws Exception {
        Function<Object[], RespReply> call = redis::call;
        targetKeys(call);
        Map<String, String> before = dumps(call, conflictsAndMine());
        try (EmbeddedDragonflyMaster m = master();
             Replicator r = Replicator.builder().source(m.host(), m.port())
                     .ownedSink(sink(KeyConflictPolicy.FAIL).build()).build()) {
            r.start();
            awaitTrue(() -> r.state() == ReplicationState.FAILED, "the conflict");
            assertThat(r.failure()).isInstanceOf(KeyConflictException.class)
                    .hasMessageContaining("KeyConflictPolicy.FAIL").hasMessageContaining(redis.address());
            KeyConflictException e = (KeyConflictException) r.failure();
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.key()).isIn(CONFLICTS);
            assertThat(e.db()).isZero();
            assertThat(r.stats().sessions()).as("no reconnect").isEqualTo(1);
        }
        assertThat(dumps(call, conflictsAndMine())).isEqualTo(before);
    }

    @Test
    void aFullSyncAgainIsRefusedUnderKeepTarget() throws Exception {
        targetKeys(redis::call);
        try (EmbeddedDragonflyMaster m = master();
             Replicator r = Replicator.builder().source(m.host(), m.port())
                     .options(o -> o.reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(300)))
                     .ownedSink(sink(KeyConflictPolicy.KEEP_TARGET).build()).build()) {
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).as("failure " + r.failure()).isTrue();
            awaitApplied(r, m);
            m.write("SET", "only-str", "changed before the restart");
            awaitApplied(r, m);
            m.restart(); // a new replication id: no partial sync
            awaitTrue(() -> r.failure() != null, "the refusal of the second full sync");
            assertThat(r.failure()).isInstanceOf(KeyConflictException.class).hasMessageContaining("full sync again")
                    .hasMessageContaining("KeyConflictPolicy.OVERWRITE");
            assertThat(((KeyConflictException) r.failure()).key()).isNull();
        }
        assertThat(((BulkString) redis.call("GET", "only-str")).asString()).isEqualTo("changed before the restart");
    }

    @Test
    void anythingButOverwriteNeedsUpsert() {
        for (FullSyncTargetPolicy p : List.of(FullSyncTargetPolicy.REFUSE_NON_EMPTY, FullSyncTargetPolicy.FLUSH)) {
            assertThatThrownBy(() -> RedisSinkOptions.builder().fullSyncTargetPolicy(p)
                    .keyConflictPolicy(KeyConflictPolicy.KEEP_TARGET).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UPSERT");
        }
        RedisSinkOptions o = RedisSinkOptions.builder().fullSyncTargetPolicy(FullSyncTargetPolicy.UPSERT)
                .keyConflictPolicy(KeyConflictPolicy.FAIL).build();
        assertThat(o.keyConflictPolicy()).isEqualTo(KeyConflictPolicy.FAIL);
        assertThat(o.mutate().build().keyConflictPolicy()).isEqualTo(KeyConflictPolicy.FAIL);
        assertThat(o.toString()).contains("keyConflictPolicy FAIL");
    }

    /** On a cluster each staging key is in its key's slot: RENAMENX works on every master. */
    @Test
    void keepTargetOnACluster() throws Exception {
        try (RedisClusterProcess cluster = RedisClusterProcess.start(3)) {
            Function<Object[], RespReply> call = a -> cluster.call(a[1], a);
            targetKeys(call);
            Map<String, String> before = dumps(call, conflictsAndMine());
            RedisSink s = RedisSink.cluster(cluster.addresses().toArray(String[]::new))
                    .fullSyncTargetPolicy(FullSyncTargetPolicy.UPSERT).keyConflictPolicy(KeyConflictPolicy.KEEP_TARGET)
                    .build();
            try (EmbeddedDragonflyMaster m = master();
                 Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(s).build()) {
                r.start();
                assertThat(r.awaitStableSync(Duration.ofSeconds(30))).as("failure " + r.failure()).isTrue();
                awaitApplied(r, m);
                assertThat(dumps(call, conflictsAndMine())).isEqualTo(before);
                assertThat(s.stats().skippedByReason()).containsEntry(UnsupportedData.REASON_KEY_CONFLICT,
                        (long) CONFLICTS.size());
                assertThat(differences(m, VerifyEndpoint.parse(cluster.seed()).asCluster())).containsExactlyInAnyOrderElementsOf(conflictsAndMine());
                for (RedisServerProcess node : cluster.nodes()) {
                    assertThat(stagingKeys(node.call("KEYS", "df2redis:staging:*"))).isEmpty();
                }
            }
        }
    }
}
