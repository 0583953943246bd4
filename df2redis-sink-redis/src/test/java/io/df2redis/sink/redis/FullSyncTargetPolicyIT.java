package io.df2redis.sink.redis;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.replica.ReplicationState;
import io.df2redis.replica.Replicator;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.df2redis.sink.redis.CapturedCaseRedisSinkIT.awaitTrue;
import static io.df2redis.sink.redis.EmbeddedMasterRedisSinkIT.awaitApplied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a full sync does with keys already in the target ({@link FullSyncTargetPolicy}), and the
 * refusal of a target that is the source itself: a real redis-server, the embedded master as the
 * source.
 */
@Timeout(120)
class FullSyncTargetPolicyIT {
    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServerProcess.start("--requirepass", "pol1cy-Secret");
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void emptyTarget() {
        redis.call("AUTH", "pol1cy-Secret");
        redis.call("FLUSHALL");
    }

    private static RedisSink.Builder sink() {
        return RedisSink.standalone("redis://:pol1cy-Secret@" + redis.address());
    }

    private static long dbsize(int db) {
        redis.call("SELECT", db);
        long n = ((IntegerReply) redis.call("DBSIZE")).value();
        redis.call("SELECT", 0);
        return n;
    }

    private static String get(int db, String key) {
        redis.call("SELECT", db);
        Object v = redis.call("GET", key);
        redis.call("SELECT", 0);
        return v instanceof BulkString b ? b.asString() : null;
    }

    private static void set(int db, String key, String value) {
        redis.call("SELECT", db);
        redis.call("SET", key, value);
        redis.call("SELECT", 0);
    }

    private static EmbeddedDragonflyMaster masterWith(int keys) {
        EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
        for (int i = 0; i < keys; i++) {
            m.put(0, RdbKeyValue.of("src" + i, RdbValue.string("v" + i)));
        }
        return m;
    }

    @Test
    void aNonEmptyTargetIsRefusedByDefaultAndKeepsItsKeys() throws Exception {
        set(0, "precious", "kept");
        set(2, "a", "1");
        set(2, "b", "2");
        set(2, "c", "3");
        try (EmbeddedDragonflyMaster m = masterWith(20);
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(sink().build()).build()) {
            r.start();
            awaitTrue(() -> r.failure() != null, "the refusal");
            assertThat(r.state()).isEqualTo(ReplicationState.FAILED);
            assertThat(r.failure()).isInstanceOf(TargetNotEmptyException.class)
                    .hasMessageContaining("db0: 1 key").hasMessageContaining("db2: 3 keys")
                    .hasMessageContaining("FullSyncTargetPolicy.FLUSH").hasMessageContaining("FullSyncTargetPolicy.UPSERT")
                    .hasMessageContaining(redis.address()).hasMessageNotContaining("pol1cy-Secret");
            TargetNotEmptyException e = (TargetNotEmptyException) r.failure();
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.keysByDb()).containsEntry(0, 1L).containsEntry(2, 3L);
            assertThat(r.stats().sessions()).as("no reconnect after a refusal").isEqualTo(1);
        }
        assertThat(get(0, "precious")).isEqualTo("kept");
        assertThat(dbsize(0)).isEqualTo(1);
        assertThat(dbsize(2)).isEqualTo(3);
    }

    @Test
    void anEmptyTargetIsFilledUnderTheDefault() throws Exception {
        try (EmbeddedDragonflyMaster m = masterWith(50);
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(sink().build()).build()) {
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).as("failure " + r.failure()).isTrue();
            awaitApplied(r, m);
            assertThat(dbsize(0)).isEqualTo(50);
        }
    }

    @Test
    void flushIsLoggedAtWarnWithWhatWasFlushedAndSparesDbsTheSinkNeverWrites() throws Exception {
        set(0, "old1", "x");
        set(0, "old2", "y");
        set(4, "old4", "z");
        set(7, "unrelated", "kept"); // source db 7 is mapped to 0: target db 7 is never written
        RedisSink s = sink().fullSyncTargetPolicy(FullSyncTargetPolicy.FLUSH).mapDatabase(7, 0).build();
        try (LogCapture log = new LogCapture();
             EmbeddedDragonflyMaster m = masterWith(10);
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(s).build()) {
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).as("failure " + r.failure()).isTrue();
            awaitApplied(r, m);
            assertThat(log.text()).containsPattern("WARN .*FullSyncTargetPolicy.FLUSH: flushing \\(FLUSHDB\\) "
                    + "db0: 2 keys, db4: 1 key").contains("Redis " + redis.address())
                    .contains("keys in dbs the sink never writes are kept (db7: 1 key)")
                    .doesNotContain("pol1cy-Secret");
        }
        assertThat(dbsize(0)).isEqualTo(10);
        assertThat(get(0, "old1")).isNull();
        assertThat(dbsize(4)).isZero();
        assertThat(get(7, "unrelated")).isEqualTo("kept");
    }

    /**
     * The master restarts (new replication id): the replicator cannot resume and syncs from scratch
     * into the target this sink filled. Not refused by the sink's own keys; the key the source
     * deleted meanwhile does not survive; the flush is logged with what it removed.
     */
    @Test
    void aFullSyncAgainFlushesWhatTheSinkWroteAndLogsIt() throws Exception {
        try (LogCapture log = new LogCapture();
             EmbeddedDragonflyMaster m = masterWith(30);
             Replicator r = Replicator.builder().source(m.host(), m.port())
                     .options(o -> o.reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(300)))
                     .ownedSink(sink().build()).build()) {
            m.put(3, RdbKeyValue.of("in-db3", RdbValue.string("3")));
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).as("failure " + r.failure()).isTrue();
            awaitApplied(r, m);
            assertThat(dbsize(0)).isEqualTo(30);
            assertThat(m.remove(0, "src7".getBytes(StandardCharsets.UTF_8))).isTrue(); // not journaled: stale
            m.restart();
            awaitTrue(() -> r.stats().fullSyncs() >= 2 && r.state() == ReplicationState.STABLE_SYNC
                    || r.failure() != null, "the second full sync");
            assertThat(r.failure()).isNull();
            awaitApplied(r, m);
            assertThat(dbsize(0)).isEqualTo(29);
            assertThat(get(0, "src7")).as("deleted on the source while disconnected").isNull();
            assertThat(get(3, "in-db3")).isEqualTo("3");
            assertThat(log.text()).containsPattern("WARN .*full sync again into Redis " + redis.address()
                    + ".*flushing \\(FLUSHDB\\) what this sink wrote.*db0: 30 keys, db3: 1 key")
                    .doesNotContain("pol1cy-Secret");
        }
    }

    @Test
    void aFullSyncAgainRefusesKeysThatAppearedInDbsTheSinkNeverWrote() throws Exception {
        try (EmbeddedDragonflyMaster m = masterWith(5);
             Replicator r = Replicator.builder().source(m.host(), m.port())
                     .options(o -> o.reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(300)))
                     .ownedSink(sink().build()).build()) {
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).as("failure " + r.failure()).isTrue();
            awaitApplied(r, m);
            set(9, "someone-else", "wrote here");
            m.restart();
            awaitTrue(() -> r.failure() != null, "the refusal of the second full sync");
            assertThat(r.failure()).isInstanceOf(TargetNotEmptyException.class).hasMessageContaining("db9: 1 key")
                    .hasMessageContaining("never wrote");
        }
        assertThat(get(9, "someone-else")).isEqualTo("wrote here");
        assertThat(dbsize(0)).as("the sink's own keys were not flushed before the refusal").isEqualTo(5);
    }

    @Test
    void upsertKeepsKeysAndLogsThatItDoes() throws Exception {
        set(0, "mine", "stays");
        set(0, "src1", "old value");
        try (LogCapture log = new LogCapture();
             EmbeddedDragonflyMaster m = masterWith(3);
             Replicator r = Replicator.builder().source(m.host(), m.port())
                     .ownedSink(sink().fullSyncTargetPolicy(FullSyncTargetPolicy.UPSERT).build()).build()) {
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).as("failure " + r.failure()).isTrue();
            awaitApplied(r, m);
            assertThat(log.text()).contains("FullSyncTargetPolicy.UPSERT").contains("db0: 2 keys");
        }
        assertThat(get(0, "mine")).isEqualTo("stays");
        assertThat(get(0, "src1")).isEqualTo("v1");
        assertThat(dbsize(0)).isEqualTo(4);
    }

    /**
     * Two source dbs merged into one target db, both holding a list "shared": the second snapshot
     * entry replaces the first (DEL first) even though the target was empty, rather than appending
     * to it.
     */
    @Test
    void aKeyInTwoMergedDbsIsReplacedNotAppendedTo() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(1).start();
             Replicator r = Replicator.builder().source(m.host(), m.port())
                     .ownedSink(sink().mapDatabase(1, 0).build()).build()) {
            m.put(0, RdbKeyValue.of("shared", RdbValue.list("a", "b")));
            m.put(1, RdbKeyValue.of("shared", RdbValue.list("c")));
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).as("failure " + r.failure()).isTrue();
            awaitApplied(r, m);
            assertThat(((IntegerReply) redis.call("LLEN", "shared")).value()).as("one list, not both")
                    .isIn(1L, 2L);
        }
    }

    /** The target is the source under its own address: refused before anything is written or flushed. */
    @Test
    void aTargetThatIsTheSourceIsRefused() throws Exception {
        try (EmbeddedDragonflyMaster m = masterWith(50)) {
            for (FullSyncTargetPolicy p : FullSyncTargetPolicy.values()) {
                try (Replicator r = Replicator.builder().source(m.host(), m.port())
                        .ownedSink(RedisSink.standalone(m.host() + ":" + m.port()).fullSyncTargetPolicy(p).build())
                        .build()) {
                    r.start();
                    awaitTrue(() -> r.failure() != null, "the refusal");
                    assertThat(r.failure()).as(p.name()).isInstanceOf(SameServerException.class)
                            .hasMessageContaining("is the source itself").hasMessageContaining(m.masterId());
                    assertThat(r.failure().isRetryable()).isFalse();
                    assertThat(r.stats().sessions()).isEqualTo(1);
                }
                assertThat(m.entries(0)).as("the source after " + p).hasSize(50);
            }
        }
    }

    @Test
    void secretsStayOutOfToStringAndErrors() throws Exception {
        RedisSink.Builder b = RedisSink.standalone("rediss://app:p%40ss%2Fw0rd@" + redis.address() + "/3")
                .fullSyncTargetPolicy(FullSyncTargetPolicy.FLUSH);
        assertThat(b.toString()).doesNotContain("w0rd").contains("password set").contains("user app")
                .contains("FLUSH").contains("db 3");
        // an unencoded '/' or '@' in the password makes a URI that does not parse: the error hides it
        assertThatThrownBy(() -> RedisSink.standalone("rediss://app:p@ss/w0rd@" + redis.address() + "/3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("w0rd");
        assertThatThrownBy(() -> RedisSink.standalone("app:s3cr3t@" + redis.address()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("s3cr3t");
        try (RedisSink s = b.build()) {
            assertThat(s.toString()).doesNotContain("w0rd").contains(redis.address());
        }
        assertThat(RedisSink.standalone("redis://:s3cr3t@h:1").password("other-s3cr3t").toString())
                .doesNotContain("s3cr3t");
        // wrong password and no password against the real server: typed, named, no secret
        try (EmbeddedDragonflyMaster m = masterWith(1)) {
            for (RedisSink.Builder bad : new RedisSink.Builder[] {
                RedisSink.standalone("redis://:wr0ng-Secret@" + redis.address()),
                RedisSink.standalone(redis.address())}) {
                try (Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(bad.build()).build()) {
                    r.start();
                    awaitTrue(() -> r.failure() != null, "the AUTH failure");
                    assertThat(r.failure()).isInstanceOf(TargetAuthenticationException.class)
                            .hasMessageContaining(redis.address()).hasMessageNotContaining("wr0ng-Secret");
                    assertThat(((TargetAuthenticationException) r.failure()).endpoint()).isEqualTo(redis.address());
                    assertThat(r.failure().isRetryable()).isFalse();
                }
            }
        }
    }
}
