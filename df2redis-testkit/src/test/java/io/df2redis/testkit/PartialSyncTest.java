package io.df2redis.testkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.df2redis.testkit.StableSyncTest.keyOnShard;
import static io.df2redis.testkit.TestReplica.str;
import static org.assertj.core.api.Assertions.assertThat;

/** Reconnecting with {@code DFLY FLOW … <lsn>} (spec §6). */
class PartialSyncTest {

    @Test
    void v140ServesAPartialSyncFromTheBacklog() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            String a = keyOnShard(m, "a", 0);
            String b = keyOnShard(m, "b", 1);
            m.write("SET", a, "0");
            Keyspace ks = new Keyspace();
            long[] next = new long[2];
            try (TestReplica r = TestReplica.connect(m)) {
                r.fullSync();
                for (int i = 1; i <= 3; i++) {
                    m.write("SET", a, "a" + i);
                    m.write("SET", b, "b" + i);
                }
                for (int f = 0; f < 2; f++) {
                    next[f] = r.awaitLsn(f, m.nextLsn(f)).nextLsn();
                    ks.apply(r.flow(f).flatRecords());
                }
            }
            assertThat(next).containsExactly(4, 4);
            m.awaitSessionState(SessionState.CANCELLED, Duration.ofSeconds(5));
            // writes while disconnected
            m.write("SET", a, "offline-a");
            m.write("MSET", a, "x", b, "y");
            m.write("DEL", b);

            try (TestReplica r = TestReplica.connect(m)) {
                r.handshake();
                assertThat(r.syncId).isEqualTo("SYNC2");
                assertThat(r.openFlows(next)).containsExactly("PARTIAL", "PARTIAL");
                assertThat(str(r.main.call("DFLY", "SYNC", r.syncId))).isEqualTo("-ERR invalid state");
                // nothing is written to a PARTIAL flow before STARTSTABLE
                assertThat(r.flow(0).conn.readFor(Duration.ofMillis(100))).isEmpty();
                r.startStable();
                assertThat(m.sessionState()).isEqualTo(SessionState.STABLE_SYNC);
                m.write("SET", b, "live");
                for (int f = 0; f < 2; f++) {
                    r.awaitLsn(f, m.nextLsn(f));
                    ks.apply(r.flow(f).flatRecords());
                }
                List<Map<String, Object>> j0 = StableSyncTest.journal(r.flow(0));
                assertThat(j0.stream().map(StableSyncTest::describe)).containsExactly(
                        "COMMAND SET " + a + " offline-a", "LSN 4", "COMMAND MSET " + a + " x");
                assertThat(j0.get(0)).containsEntry("lsn_assigned", 4L);
                List<Map<String, Object>> j1 = StableSyncTest.journal(r.flow(1));
                assertThat(j1.stream().map(StableSyncTest::describe)).containsExactly(
                        "COMMAND MSET " + b + " y", "LSN 4", "COMMAND DEL " + b, "COMMAND SET " + b + " live");
                assertThat(ks.db0).isEqualTo(Keyspace.of(m));
            }
        }
    }

    @Test
    void v134ServesAnIncrementalStreamAfterDflySync() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(ReleaseProfile.V1_34).shards(2)
                .start()) {
            String a = keyOnShard(m, "a", 0);
            String b = keyOnShard(m, "b", 1);
            m.write("SET", a, "0");
            Keyspace ks = new Keyspace();
            long[] next = new long[2];
            try (TestReplica r = TestReplica.connect(m)) {
                r.fullSync();
                m.write("SET", b, "b1");
                for (int f = 0; f < 2; f++) {
                    next[f] = r.awaitLsn(f, m.nextLsn(f)).nextLsn();
                    ks.apply(r.flow(f).flatRecords());
                }
            }
            m.awaitSessionState(SessionState.CANCELLED, Duration.ofSeconds(5));
            m.write("SET", a, "offline-a");
            m.write("MSET", a, "x", b, "y");
            m.write("DEL", b);
            try (TestReplica r = TestReplica.connect(m)) {
                r.handshake();
                assertThat(r.openFlows(next)).containsExactly("PARTIAL", "PARTIAL");
                // nothing is written to a PARTIAL flow before DFLY SYNC
                assertThat(r.flow(0).conn.readFor(Duration.ofMillis(100))).isEmpty();
                r.sync().awaitFullSyncEnd();
                m.write("SET", b, "live"); // after the cut: one more JOURNAL_BLOB
                long[] offsets = {m.nextLsn(0), m.nextLsn(1)};
                r.startStable().awaitJournal();
                for (int f = 0; f < 2; f++) {
                    FlowReader fr = r.flow(f);
                    assertThat(fr.entries()).as("no key entries in an incremental stream").isEmpty();
                    assertThat(fr.flatRecords().stream().filter(x -> "AUX".equals(x.get("op")))).isNotEmpty();
                    assertThat(fr.flatRecords().stream().filter(x -> "JOURNAL_OFFSET".equals(x.get("op")))
                            .map(x -> ((Number) x.get("lsn")).longValue())).containsExactly(offsets[f]);
                    ks.apply(fr.flatRecords());
                }
                assertThat(ks.db0).isEqualTo(Keyspace.of(m));
            }
        }
    }

    @Test
    void staleOrUnknownLsnGetsAFullSync() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().backlogLength(4).start()) {
            try (TestReplica r = TestReplica.connect(m)) {
                r.fullSync();
            }
            for (int i = 0; i < 10; i++) {
                m.write("SET", "k" + i, "v");
            }
            m.awaitSessionState(SessionState.CANCELLED, Duration.ofSeconds(5));
            try (TestReplica r = TestReplica.connect(m)) {
                r.handshake();
                assertThat(r.openFlows(1)).containsExactly("FULL");
            }
            try (TestReplica r = TestReplica.connect(m)) {
                r.handshake();
                assertThat(r.openFlows(8)).containsExactly("PARTIAL"); // 8..10 still in the 4-item backlog
            }
            try (TestReplica r = TestReplica.connect(m)) {
                r.handshake();
                assertThat(r.openFlows(11)).containsExactly("PARTIAL"); // exactly up to date
                r.startStable();
                assertThat(r.flow(0).conn.readFor(Duration.ofMillis(100))).isEmpty();
            }
            try (TestReplica r = TestReplica.connect(m)) {
                r.handshake();
                assertThat(r.openFlows(12)).containsExactly("FULL"); // from the future
            }
        }
    }

    @Test
    void v130AlwaysAnswersFull() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(ReleaseProfile.V1_30).start()) {
            long next;
            try (TestReplica r = TestReplica.connect(m)) {
                r.fullSync();
                m.write("SET", "k", "1");
                next = r.awaitLsn(0, 2).nextLsn();
            }
            m.awaitSessionState(SessionState.CANCELLED, Duration.ofSeconds(5));
            m.write("SET", "k", "2");
            try (TestReplica r = TestReplica.connect(m)) {
                r.handshake();
                assertThat(r.openFlows(next)).containsExactly("FULL");
                assertThat(str(r.main.call("DFLY", "STARTSTABLE", r.syncId))).isEqualTo("-ERR invalid state");
                r.sync().awaitFullSyncEnd().startStable().awaitJournal();
                assertThat(r.flow(0).journalOffset()).isEqualTo(3); // the shard's next LSN, not 1
                assertThat(r.flow(0).entries()).singleElement().satisfies(e ->
                        assertThat(e.get("value")).isEqualTo(Map.of("utf8", "2")));
            }
        }
    }
}
