package io.df2redis.sink.redis;

import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.journal.JournalOp;
import io.df2redis.protocol.resp.RespReplies;
import io.df2redis.replica.Checkpoint;
import io.df2redis.replica.CheckpointStoreException;
import io.df2redis.replica.JournalEvent;
import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.SinkEvent;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RedisSink#checkpointStore()} against a real Redis: the position is written in the same
 * transaction as the journal writes it covers, a rejected transaction changes neither, a global
 * command rewrites every flow's position with it, and the store's own saves never lower a position
 * a transaction wrote.
 */
@Timeout(120)
class TargetCheckpointStoreIT {
    private static final String PASSWORD = "ckpt-Secret";
    private static final MasterInfo MASTER = new MasterInfo("m4st3r", "SYNC1", 2, 3, "", "df-v1.40.1");
    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServerProcess.start("--requirepass", PASSWORD);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void flush() {
        redis.call("AUTH", PASSWORD);
        redis.call("FLUSHALL");
    }

    private static RedisSink sink() {
        return RedisSink.standalone("redis://:" + PASSWORD + "@" + redis.address()).build();
    }

    private static SinkEvent.Journal journal(int flow, long lsn, String... args) {
        List<byte[]> a = new ArrayList<>();
        for (String s : args) {
            a.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return new SinkEvent.Journal(flow, new JournalEvent(flow, lsn, false,
                new JournalEntry(JournalOp.COMMAND, 0, 0, lsn, 1, a, lsn, true)));
    }

    private static String text(Object... args) {
        return RespReplies.text(redis.call(args));
    }

    private static Checkpoint stable(long... lsns) {
        return Checkpoint.of(MASTER, lsns, Optional.empty(), Instant.parse("2026-12-04T06:00:00Z"));
    }

    @Test
    void journalWritesAndTheirPositionLandTogether() throws Exception {
        try (RedisSink s = sink()) {
            TargetCheckpointStore store = s.checkpointStore();
            s.open(MASTER);
            store.save(stable(100, 200));
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                done.add(s.apply(journal(0, 100 + i, "INCR", "counter")).toCompletableFuture());
            }
            CompletableFuture<Void> last = s.apply(journal(1, 200, "RPUSH", "list", "x")).toCompletableFuture();
            last.get(10, TimeUnit.SECONDS);
            done.get(done.size() - 1).get(10, TimeUnit.SECONDS);
            assertThat(text("GET", "counter")).isEqualTo("50");
            assertThat(text("HGET", store.key(), "lsn:0")).isEqualTo("150");
            assertThat(text("HGET", store.key(), "lsn:1")).isEqualTo("201");
            Checkpoint c = store.load().orElseThrow();
            assertThat(c.nextLsns()).containsExactly(150L, 201L);
            assertThat(c.masterId()).isEqualTo("m4st3r");
            assertThat(store.exact()).isTrue();
        }
    }

    @Test
    void aTransactionRedisRejectsAppliesNothingAndKeepsThePosition() throws Exception {
        try (RedisSink s = sink()) {
            TargetCheckpointStore store = s.checkpointStore();
            s.open(MASTER);
            store.save(stable(10, 20));
            s.apply(journal(0, 10, "SET", "a", "1")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            // wrong number of arguments: refused while queued, so EXEC aborts the whole transaction
            CompletableFuture<Void> bad = s.apply(journal(0, 11, "INCRBY", "a")).toCompletableFuture();
            assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RedisCommandException.class)
                    .hasMessageContaining("INCRBY");
            assertThat(text("GET", "a")).isEqualTo("1");
            assertThat(text("HGET", store.key(), "lsn:0")).isEqualTo("11");
        }
    }

    @Test
    void aGlobalCommandRewritesEveryFlowsPositionInItsTransaction() throws Exception {
        try (RedisSink s = sink()) {
            TargetCheckpointStore store = s.checkpointStore();
            s.open(MASTER);
            store.save(stable(5, 6));
            s.apply(journal(0, 5, "SET", "k", "v")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            JournalEvent flush = new JournalEvent(1, 6, false, new JournalEntry(JournalOp.COMMAND, 0, 0, 9, 2,
                    List.of("FLUSHALL".getBytes(StandardCharsets.US_ASCII)), 6, true));
            s.apply(new SinkEvent.GlobalCommand(1, flush, List.of(8L, 7L))).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(text("EXISTS", "k")).isEqualTo("0");
            Checkpoint c = store.load().orElseThrow(); // the FLUSHALL did not take the checkpoint with it
            assertThat(c.nextLsns()).containsExactly(8L, 7L);
            assertThat(c.resumable()).isTrue();
        }
    }

    @Test
    void aGlobalCommandTheSinkSkipsLeavesNoTransactionOpen() throws Exception {
        try (RedisSink s = RedisSink.standalone("redis://:" + PASSWORD + "@" + redis.address())
                .unsupportedDataPolicy(UnsupportedDataPolicy.SKIP_AND_COUNT).build()) {
            TargetCheckpointStore store = s.checkpointStore();
            s.open(MASTER);
            store.save(stable(5, 6));
            JournalEvent flushSlots = new JournalEvent(0, 5, false, new JournalEntry(JournalOp.COMMAND, 0, 0, 9, 2,
                    List.of("DFLYCLUSTER".getBytes(StandardCharsets.US_ASCII),
                            "FLUSHSLOTS".getBytes(StandardCharsets.US_ASCII), "0".getBytes(StandardCharsets.US_ASCII),
                            "100".getBytes(StandardCharsets.US_ASCII)), 5, true));
            s.apply(new SinkEvent.GlobalCommand(0, flushSlots, List.of(6L, 7L))).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(s.stats().skippedTotal()).as("skipped by the policy, no command sent").isEqualTo(1);
            // the control lane must not be left inside a MULTI: what it sends outside a transaction
            // (the keyspace check of a full-sync start) runs, not queued
            s.apply(new SinkEvent.FullSyncStart(-1, MASTER)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            JournalEvent flush = new JournalEvent(1, 7, false, new JournalEntry(JournalOp.COMMAND, 0, 0, 10, 2,
                    List.of("FLUSHALL".getBytes(StandardCharsets.US_ASCII)), 7, true));
            redis.call("SET", "gone", "1");
            s.apply(new SinkEvent.GlobalCommand(1, flush, List.of(8L, 9L))).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(text("EXISTS", "gone")).isEqualTo("0");
            assertThat(store.load().orElseThrow().nextLsns()).containsExactly(8L, 9L);
        }
    }

    @Test
    void savesNeverLowerAPositionATransactionWroteAndAFullSyncStartForgetsThem() {
        try (RedisSink s = sink()) {
            TargetCheckpointStore store = s.checkpointStore();
            store.save(stable(10, 20));
            redis.call("HSET", store.key(), "lsn:0", "500"); // as a transaction would
            store.save(stable(12, 25));
            assertThat(store.load().orElseThrow().nextLsns()).containsExactly(500L, 20L);
            store.save(Checkpoint.fullSyncInProgress(MASTER, Optional.empty(), Instant.now()));
            Checkpoint c = store.load().orElseThrow();
            assertThat(c.resumable()).isFalse();
            assertThat(text("HEXISTS", store.key(), "lsn:0")).isEqualTo("0");
            store.clear();
            assertThat(store.load()).isEmpty();
            assertThat(store.exists()).isFalse();
        }
    }

    @Test
    void aKeyThatIsNotACheckpointIsATypedErrorNamingIt() {
        try (RedisSink s = sink()) {
            TargetCheckpointStore store = s.checkpointStore();
            redis.call("SET", store.key(), "something else");
            assertThatThrownBy(store::load).isInstanceOf(CheckpointStoreException.class)
                    .hasMessageContaining(store.key()).hasMessageNotContaining(PASSWORD);
            redis.call("DEL", store.key());
            redis.call("HSET", store.key(), "master", "m", "flows", "2", "state", "stable");
            assertThatThrownBy(store::load).isInstanceOf(CheckpointStoreException.class)
                    .hasMessageContaining("lsn:0");
            assertThat(store.toString()).contains(store.key()).doesNotContain(PASSWORD);
        }
    }

    @Test
    void anUnreachableClusterIsATypedErrorNamingTheStore() {
        // the cluster store (per-slot checkpoints: ClusterCheckpointStoreIT); here no node answers
        try (RedisSink s = RedisSink.cluster("127.0.0.1:1").build()) {
            TargetCheckpointStore store = s.checkpointStore();
            assertThat(s.checkpointStore()).isSameAs(store);
            assertThatThrownBy(store::load).isInstanceOf(CheckpointStoreException.class)
                    .hasMessageContaining("127.0.0.1:1");
        }
    }
}
