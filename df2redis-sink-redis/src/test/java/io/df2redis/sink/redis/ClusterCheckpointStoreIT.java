package io.df2redis.sink.redis;

import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.journal.JournalOp;
import io.df2redis.protocol.resp.RespReplies;
import io.df2redis.replica.Checkpoint;
import io.df2redis.replica.JournalEvent;
import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.SinkEvent;
import io.df2redis.testkit.redis.RedisClusterProcess;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RedisSink#checkpointStore()} on a real 3-master Redis Cluster: every journal write lands in
 * one transaction with its slot's checkpoint hash; a replay from an older position applies nothing
 * twice (non-idempotent INCR/RPUSH counts stay exact), also across a slot migration; a node that lost
 * its data is noticed and no checkpoint is returned; a flush writes the checkpoint again.
 */
@Timeout(180)
class ClusterCheckpointStoreIT {
    private static final MasterInfo MASTER = new MasterInfo("m4st3r", "SYNC1", 2, 3, "", "df-v1.40.1");
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisClusterProcess.start(3);
        cluster.awaitConverged(Duration.ofSeconds(30));
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

    private static RedisSink sink() {
        return RedisSink.cluster(cluster.addresses().toArray(String[]::new)).build();
    }

    private static SinkEvent.Journal journal(int flow, long lsn, String... args) {
        List<byte[]> a = new ArrayList<>();
        for (String s : args) {
            a.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return new SinkEvent.Journal(flow, new JournalEvent(flow, lsn, false,
                new JournalEntry(JournalOp.COMMAND, 0, 0, lsn, 1, a, lsn, true)));
    }

    private static Checkpoint stable(long... lsns) {
        return Checkpoint.of(MASTER, lsns, Optional.empty(), Instant.parse("2026-12-04T06:00:00Z"));
    }

    private static String text(String key, Object... args) {
        return RespReplies.text(cluster.call(key, args));
    }

    /** Flow 0: INCR c:{i % 40} and RPUSH l:{i % 40} for LSN 100 + i, i in [from, to). */
    private static void workload(RedisSink s, int from, int to) throws Exception {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = from; i < to; i++) {
            done.add(s.apply(journal(0, 100 + 2L * i, "INCR", "c:" + (i % 40))).toCompletableFuture());
            done.add(s.apply(journal(0, 101 + 2L * i, "RPUSH", "l:" + (i % 40), Integer.toString(i)))
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    private static void assertExact(int writes) {
        for (int k = 0; k < 40; k++) {
            long expected = writes / 40 + (k < writes % 40 ? 1 : 0);
            assertThat(text("c:" + k, "GET", "c:" + k)).as("counter c:%d", k).isEqualTo(Long.toString(expected));
            assertThat(text("l:" + k, "LLEN", "l:" + k)).as("list l:%d", k).isEqualTo(Long.toString(expected));
        }
    }

    @Test
    void aStableCheckpointGivesEverySlotItsHashAndAFullSyncRemovesThem() throws Exception {
        try (RedisSink s = sink()) {
            TargetCheckpointStore store = s.checkpointStore();
            assertThat(store.load()).isEmpty();
            store.save(Checkpoint.of(MASTER, new long[0], Optional.empty(), Instant.now()));
            assertThat(store.load()).hasValueSatisfying(c -> assertThat(c.resumable()).isFalse());
            assertThat(store.ownKeys()).isEqualTo(1);
            store.save(stable(100, 200));
            assertThat(cluster.dbsize()).as("the header and a hash per slot").isEqualTo(16384 + 1);
            assertThat(store.ownKeys()).isEqualTo(16384 + 1);
            assertThat(store.load()).hasValueSatisfying(c -> assertThat(c.nextLsns()).containsExactly(100L, 200L));
            store.save(Checkpoint.of(MASTER, new long[0], Optional.empty(), Instant.now())); // a full sync starts
            assertThat(cluster.dbsize()).isEqualTo(1);
            store.clear();
            assertThat(cluster.dbsize()).isZero();
        }
    }

    @Test
    void aReplayFromAnOlderPositionAppliesNothingTwice() throws Exception {
        try (RedisSink s = sink()) {
            TargetCheckpointStore store = s.checkpointStore();
            s.open(MASTER);
            store.save(stable(100, 1));
            workload(s, 0, 300);
            assertExact(300);
        }
        // a restarted replicator resumes from the header's position (100: the store was never saved
        // again), older than what every slot holds: the whole stream comes again
        try (RedisSink s = sink()) {
            TargetCheckpointStore store = s.checkpointStore();
            Checkpoint c = store.load().orElseThrow();
            assertThat(c.nextLsns()).containsExactly(100L, 1L);
            s.open(MASTER);
            workload(s, 0, 400);
            assertExact(400);
            assertThat(s.stats().toString()).isNotEmpty();
        }
    }

    @Test
    void aSlotMigratedWithItsCheckpointIsStillAppliedOnce() throws Exception {
        int slot = cluster.slot("c:7");
        try (RedisSink s = sink()) {
            TargetCheckpointStore store = s.checkpointStore();
            s.open(MASTER);
            store.save(stable(100, 1));
            workload(s, 0, 200);
            // the slot moves (its data and its checkpoint hash) while the next writes are in flight
            int to = (cluster.owner(slot) + 1) % 3;
            RedisClusterProcess.Migration m = cluster.beginMigration(slot, to);
            CompletableFuture<Void> more = CompletableFuture.runAsync(() -> {
                try {
                    workload(s, 200, 300);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            m.moveKeys(3);
            m.finish();
            more.get(60, TimeUnit.SECONDS);
            assertExact(300);
        }
        try (RedisSink s = sink()) {
            TargetCheckpointStore store = s.checkpointStore();
            assertThat(store.load()).isPresent();
            s.open(MASTER);
            workload(s, 0, 350);
            assertExact(350);
        }
    }

    @Test
    void aNodeThatLostItsDataLeavesNoCheckpointToResumeFrom() throws Exception {
        try (RedisSink s = sink()) {
            TargetCheckpointStore store = s.checkpointStore();
            s.open(MASTER);
            store.save(stable(100, 1));
            workload(s, 0, 50);
            assertThat(store.load()).isPresent();
            // one master restarts without persistence: its slots' data and checkpoint hashes are gone
            RedisServerProcess node = cluster.nodes().get(cluster.owner(cluster.slot("c:3")));
            node.call("FLUSHALL");
            assertThat(store.load()).as("a slot without its hash means lost data: a full sync").isEmpty();
        }
    }

    @Test
    void aFlushWritesTheCheckpointAgainWithThePositionsAfterIt() throws Exception {
        try (RedisSink s = sink()) {
            TargetCheckpointStore store = s.checkpointStore();
            s.open(MASTER);
            store.save(stable(100, 1));
            workload(s, 0, 50);
            JournalEvent flushAll = new JournalEvent(1, 6, false, new JournalEntry(JournalOp.COMMAND, 0, 0, 9, 2,
                    List.of("FLUSHALL".getBytes(StandardCharsets.US_ASCII)), 6, true));
            s.apply(new SinkEvent.GlobalCommand(1, flushAll, List.of(300L, 7L))).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            assertThat(cluster.dbsize()).as("only the checkpoint").isEqualTo(16384 + 1);
            Checkpoint c = store.load().orElseThrow();
            assertThat(c.nextLsns()).containsExactly(300L, 7L);
            // entries after the flush are applied (nothing is skipped by positions from before it)
            workload(s, 100, 110);
            assertThat(text("c:20", "GET", "c:20")).isEqualTo("1");
        }
    }
}
