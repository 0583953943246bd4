package io.df2redis.testkit;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.df2redis.testkit.TestReplica.str;
import static org.assertj.core.api.Assertions.assertThat;

/** Drop, stall and restart hooks. */
class FaultHooksTest {

    @Test
    void dropAFlowAfterNBytesOfFullSync() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             TestReplica r = TestReplica.connect(m)) {
            m.putAll(0, Datasets.compressible(50));
            m.dropFlowAfterBytes(1, 100);
            r.handshake();
            r.openFlows();
            r.sync();
            byte[] got = r.flow(1).conn.readFor(Duration.ofSeconds(2));
            assertThat(got).hasSize(100);
            assertThat(r.flow(1).conn.closedWithin(Duration.ofSeconds(2))).isTrue();
            // closing a flow cancels the session: the other flow is closed too
            assertThat(r.flow(0).conn.closedWithin(Duration.ofSeconds(5))).isTrue();
            assertThat(m.sessionState()).isEqualTo(SessionState.CANCELLED);
        }
    }

    @Test
    void dropTheCurrentFlowInStableSync() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().start();
             TestReplica r = TestReplica.connect(m)) {
            r.fullSync();
            int sofar = r.flow(0).bytes.size();
            m.dropFlowAfterBytes(0, sofar + 5);
            m.write("SET", "k", "v");
            byte[] rest = r.flow(0).conn.readFor(Duration.ofSeconds(1));
            assertThat(rest).hasSize(5);
            assertThat(r.flow(0).conn.closedWithin(Duration.ofSeconds(2))).isTrue();
        }
    }

    @Test
    void stallAFlow() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().start();
             TestReplica r = TestReplica.connect(m)) {
            r.fullSync();
            long t0 = System.nanoTime(); // before the stall's clock starts: the elapsed time below is at least the stall
            m.stallFlow(0, Duration.ofMillis(1500));
            m.write("SET", "k", "v");
            assertThat(r.flow(0).conn.readFor(Duration.ofMillis(500))).isEmpty();
            r.awaitLsn(0, 2);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        }
    }

    @Test
    void stallArmedBeforeTheFlowConnects() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().start();
             TestReplica r = TestReplica.connect(m)) {
            m.put(RdbKeyValue.of("k", RdbValue.string("v")));
            long t0 = System.nanoTime();
            // long enough to outlast the FLOW reply, the SYNC round trip and the read below on a loaded machine
            m.stallFlow(0, Duration.ofSeconds(2));
            r.handshake();
            r.openFlows();
            r.sync();
            assertThat(r.flow(0).conn.readFor(Duration.ofMillis(500))).isEmpty();
            r.awaitFullSyncEnd();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the snapshot waited for the stall")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void aSnapshotHeldBackByItsPaceGoesOnAtOnceWhenReleased() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().compression(CompressionMode.NONE)
                .paceSnapshot(1_000).start();
             TestReplica r = TestReplica.connect(m)) {
            // one 30 KB entry: at 1 KB/s the next step of the snapshot is 30 s away, longer than any wait below
            m.put(RdbKeyValue.of("big", RdbValue.string("x".repeat(30_000))));
            m.put(RdbKeyValue.of("small", RdbValue.string("v")));
            r.handshake();
            r.openFlows();
            r.sync();
            r.flow(0).readUntil(f -> !f.entries().isEmpty(), TestReplica.WAIT);
            assertThat(r.flow(0).readFor(Duration.ofMillis(300)).fullSyncEndSeen()).as("held back").isFalse();
            m.paceSnapshot(0);
            r.awaitFullSyncEnd(); // within TestReplica.WAIT (10 s), not the 30 s the old pace would take
            assertThat(r.flow(0).entries()).hasSize(2);
        }
    }

    @Test
    void restartTakesANewIdResetsLsnsAndClosesConnections() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            String oldId;
            try (TestReplica r = TestReplica.connect(m)) {
                r.fullSync();
                m.write("SET", "k", "v");
                oldId = m.masterId();
                assertThat(m.nextLsn(m.shardOf("k"))).isEqualTo(2);
                m.restart();
                assertThat(r.main.closedWithin(Duration.ofSeconds(5))).isTrue();
                assertThat(r.flow(0).conn.closedWithin(Duration.ofSeconds(5))).isTrue();
            }
            assertThat(m.masterId()).isNotEqualTo(oldId).matches("[0-9a-f]{40}");
            assertThat(m.replicaOffsets()).containsExactly(0, 0);
            assertThat(m.get(0, "k")).isPresent(); // the dataset survives
            try (TestReplica r = TestReplica.connect(m)) {
                r.handshake();
                assertThat(r.syncId).isEqualTo("SYNC1");
                assertThat(str(r.main.call("DFLY", "FLOW", oldId, "SYNC1", "0", "2"))).isEqualTo("-ERR bad master id");
                r.openFlows();
                r.sync().awaitFullSyncEnd().startStable().awaitJournal();
                assertThat(r.flow(0).journalOffset()).isEqualTo(1);
                assertThat(r.flows.stream().mapToLong(f -> f.entries().size()).sum()).isEqualTo(1);
            }
        }
    }
    @Test
    void aDflyCommandCanBeAnsweredWithAnErrorOnceOrNotAtAll() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().start();
             TestReplica r = TestReplica.connect(m)) {
            m.failNextDfly("startstable", "ERR invalid state");
            r.handshake();
            r.openFlows();
            r.sync().awaitFullSyncEnd();
            assertThat(str(r.main.call("DFLY", "STARTSTABLE", r.syncId))).isEqualTo("-ERR invalid state");
            m.ignoreNextDfly("STARTSTABLE");
            r.main.send("DFLY", "STARTSTABLE", r.syncId);
            assertThat(r.main.readFor(Duration.ofMillis(300))).as("no reply at all").isEmpty();
            // both faults were one-shot and executed nothing: the session still starts stable sync
            assertThat(str(r.main.call("DFLY", "STARTSTABLE", r.syncId))).isEqualTo("OK");
            assertThat(m.sessionState()).isEqualTo(SessionState.STABLE_SYNC);
        }
    }
}
