package io.df2redis.replica;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.df2redis.replica.e2e.Datasets;
import io.df2redis.testkit.ConnectionRecord;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.ReleaseProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.df2redis.replica.CapturedCaseReplicationIT.awaitTrue;
import static io.df2redis.replica.ReconnectBackoffIT.keyOnShard;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resume from a checkpoint against a v1.34 master (spec §6.2): its partial sync is the incremental
 * form — {@code DFLY SYNC} is still sent after every flow answered PARTIAL, and each flow replays
 * the missed journal items as JOURNAL_BLOBs inside an RDB-framed stream. Nothing is emptied, no full
 * sync is reported, the replayed entries carry their LSNs (no gap, no repeat) and non-idempotent
 * writes made while away (INCR, APPEND, LPUSH) end up exact. Positions out of the backlog, an item
 * evicted between FLOW and SYNC, and a restarted master all end in a full sync, logged with the
 * reason.
 */
class IncrementalPartialSyncIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Every journal event the listener saw: flow, LSN, whether in a full sync. */
    static final class Recorder extends CopyOnWriteArrayList<JournalEvent> implements ReplicationListener {
        private static final long serialVersionUID = 1L;
        final List<ReplicationException> errors = new CopyOnWriteArrayList<>();

        @Override
        public void onJournalEntry(JournalEvent e) {
            add(e);
        }

        @Override
        public void onError(ReplicationException error) {
            errors.add(error);
        }
    }

    /** Forwards to a {@link ResumeModel} gate and records the journal events. */
    private static ReplicationListener both(ResumeModel.Gate g, Recorder rec) {
        return new ReplicationListener() {
            @Override
            public void onFullSyncStart(MasterInfo master) {
                g.onFullSyncStart(master);
            }

            @Override
            public void onEntryStart(int flow, io.df2redis.protocol.rdb.RdbEntry entry) {
                g.onEntryStart(flow, entry);
            }

            @Override
            public void onValueBatch(int flow, io.df2redis.protocol.rdb.RdbEntry entry,
                                     io.df2redis.protocol.rdb.ValueBatch batch) {
                g.onValueBatch(flow, entry, batch);
            }

            @Override
            public void onEntryEnd(int flow, io.df2redis.protocol.rdb.RdbEntry entry,
                                   io.df2redis.protocol.rdb.EntrySummary summary) {
                g.onEntryEnd(flow, entry, summary);
            }

            @Override
            public void onJournalEntry(JournalEvent e) {
                g.onJournalEntry(e);
                rec.onJournalEntry(e);
            }

            @Override
            public void onError(ReplicationException error) {
                g.onError(error);
                rec.onError(error);
            }
        };
    }

    private static Replicator.Builder replicator(EmbeddedDragonflyMaster m, CheckpointStore store,
                                                 ReplicationListener l) {
        return Replicator.builder().source(m.host(), m.port()).listener(l).checkpointStore(store)
                .options(o -> o.checkpointInterval(Duration.ofMillis(100))
                        .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200)));
    }

    private static long maxConnectionId(EmbeddedDragonflyMaster m) {
        return m.connections().stream().mapToLong(ConnectionRecord::id).max().orElse(0);
    }

    /** The DFLY commands (FLOW, SYNC, STARTSTABLE) of connections opened after {@code afterId}, in order. */
    private static List<List<String>> dflyCommands(EmbeddedDragonflyMaster m, long afterId) {
        return m.connections().stream().filter(c -> c.id() > afterId)
                .sorted(Comparator.comparingLong(ConnectionRecord::id)).flatMap(c -> c.commands().stream())
                .filter(cmd -> cmd.size() > 1 && cmd.get(0).equalsIgnoreCase("DFLY")).toList();
    }

    private static long count(List<List<String>> cmds, String sub) {
        return cmds.stream().filter(c -> c.get(1).equalsIgnoreCase(sub)).count();
    }

    private static void awaitCaughtUp(EmbeddedDragonflyMaster m, Replicator r) throws InterruptedException {
        for (int f = 0; f < m.shardCount(); f++) {
            int flow = f;
            awaitTrue(() -> r.state() == ReplicationState.STABLE_SYNC && r.stats().flows().size() == m.shardCount()
                    && r.stats().flows().get(flow).appliedLsn() == m.nextLsn(flow), "flow " + f + " caught up");
        }
    }

    private static void assertModelEqualsMaster(ResumeModel model, EmbeddedDragonflyMaster m) throws IOException {
        assertThat(model.keyspace.unsupported).isEmpty();
        assertThat(model.gaps()).as("missing journal entries").isEmpty();
        JsonNode actual = JSON.readTree(JSON.writeValueAsString(model.keyspace.keyspace()));
        JsonNode expected = JSON.readTree(JSON.writeValueAsString(Datasets.modelOf(m)));
        assertThat(actual).isEqualTo(expected);
    }

    /** A first replicator follows {@code m}, applies non-idempotent writes and is closed. */
    private static Checkpoint runAndClose(EmbeddedDragonflyMaster m, CheckpointStore store, ResumeModel model)
            throws Exception {
        try (Replicator r = replicator(m, store, model.gate()).build()) {
            r.start();
            assertThat(r.awaitStableSync(WAIT)).isTrue();
            for (int i = 0; i < 30; i++) {
                m.write("INCR", "n:" + i % 6);
                m.write("APPEND", "a:" + i % 4, "x" + i);
                m.write("LPUSH", "list", "x" + i);
            }
            awaitCaughtUp(m, r);
        }
        Checkpoint c = store.load().orElseThrow();
        assertThat(c.resumable()).isTrue();
        assertThat(c.nextLsnArray()).containsExactly(m.replicaOffsets());
        return c;
    }

    /** Non-idempotent writes on both shards while nobody replicates. */
    private static void writeWhileAway(EmbeddedDragonflyMaster m, int rounds) {
        for (int i = 0; i < rounds; i++) {
            m.write("INCR", "n:" + i % 6);
            m.write("APPEND", "a:" + i % 4, "y" + i);
            m.write("LPUSH", "list", "y" + i);
            m.write("INCRBY", "big", "3");
        }
    }

    @ParameterizedTest(name = "writes during the resume={0}")
    @ValueSource(booleans = {false, true})
    void aV134MasterResumesWithAnIncrementalPartialSync(boolean writesDuringResume) throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(ReleaseProfile.V1_34).shards(2)
                .start()) {
            for (int i = 0; i < 20; i++) {
                m.write("SET", "init:" + i, "v" + i);
            }
            FileCheckpointStore store = new FileCheckpointStore(dir.resolve("ckpt"));
            ResumeModel model = new ResumeModel();
            Checkpoint c = runAndClose(m, store, model);
            assertThat(c.release()).isEqualTo("df-v1.34.2");
            assertThat(c.protocolVersion()).isEqualTo(4);
            writeWhileAway(m, 40);
            long[] away = m.replicaOffsets();
            assertThat(away[0]).isGreaterThan(c.nextLsns().get(0));
            assertThat(away[1]).isGreaterThan(c.nextLsns().get(1));

            long afterId = maxConnectionId(m);
            Recorder rec = new Recorder();
            CheckpointResumeIT.TestSink sink = new CheckpointResumeIT.TestSink(null, null);
            if (writesDuringResume) {
                // lands in the incremental stream (before or after FULLSYNC_END) or in stable sync
                m.beforeNextDfly("SYNC", () -> writeWhileAway(m, 5));
                m.beforeNextDfly("STARTSTABLE", () -> writeWhileAway(m, 5));
            }
            try (Replicator r2 = replicator(m, store, both(model.gate(), rec)).sink(sink).build()) {
                r2.start();
                assertThat(r2.awaitStableSync(WAIT)).isTrue();
                m.write("INCR", "n:0");
                awaitCaughtUp(m, r2);
                List<List<String>> cmds = dflyCommands(m, afterId);
                List<List<String>> flows = cmds.stream().filter(x -> x.get(1).equalsIgnoreCase("FLOW"))
                        .sorted(Comparator.comparing(x -> Integer.parseInt(x.get(4)))).toList();
                assertThat(flows).hasSize(2);
                for (int f = 0; f < 2; f++) {
                    assertThat(flows.get(f)).as("DFLY FLOW with the saved LSN").hasSize(6);
                    assertThat(Long.parseLong(flows.get(f).get(5))).isEqualTo(c.nextLsns().get(f));
                }
                assertThat(count(cmds, "SYNC")).as("DFLY SYNC, required by the incremental form").isEqualTo(1);
                assertThat(count(cmds, "STARTSTABLE")).isEqualTo(1);
                assertThat(r2.stats().fullSyncs()).as("no full sync").isZero();
                assertThat(r2.stats().sessions()).isEqualTo(1);
                assertThat(sink.fullSyncStarts.get()).as("the sink was not told to empty its target").isZero();
                assertThat(model.snapshots()).as("snapshots the host saw").isEqualTo(1);
                assertThat(model.repeats()).as("entries delivered twice").isZero();
                assertModelEqualsMaster(model, m);
                for (int f = 0; f < 2; f++) {
                    int flow = f;
                    List<Long> lsns = rec.stream().filter(e -> e.flow() == flow).map(JournalEvent::lsn).toList();
                    assertThat(rec.stream().filter(e -> e.flow() == flow)).as("flow " + f + " events")
                            .allMatch(e -> !e.fullSync() && e.lsn() > 0);
                    assertThat(lsns.get(0)).as("the first replayed LSN of flow " + f).isEqualTo(c.nextLsns().get(f));
                    for (int i = 1; i < lsns.size(); i++) {
                        assertThat(lsns.get(i)).isEqualTo(lsns.get(i - 1) + 1);
                    }
                }
                assertThat(rec.errors).isEmpty();
                awaitTrue(() -> Arrays.equals(store.load().orElseThrow().nextLsnArray(), m.replicaOffsets()),
                        "the new position saved by the timer");
            }
        }
    }

    @ParameterizedTest(name = "out of the backlog on both flows={0}")
    @ValueSource(booleans = {false, true})
    void positionsOutOfTheBacklogMeanAFullSync(boolean bothFlows) throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(ReleaseProfile.V1_34).shards(2)
                .backlogLength(8).start()) {
            m.write("SET", "k", "v");
            FileCheckpointStore store = new FileCheckpointStore(dir.resolve("ckpt"));
            ResumeModel model = new ResumeModel();
            runAndClose(m, store, model);
            String k0 = keyOnShard(m, 0);
            String k1 = keyOnShard(m, 1);
            for (int i = 0; i < 20; i++) {
                m.write("INCR", k0); // more than the 8 items the backlog keeps
                if (bothFlows) {
                    m.write("INCR", k1);
                }
            }
            ResumeModel.Gate g2 = model.gate();
            try (CapturedStderr err = new CapturedStderr();
                 Replicator r2 = replicator(m, store, g2).build()) {
                r2.start();
                assertThat(r2.awaitStableSync(WAIT)).isTrue();
                awaitCaughtUp(m, r2);
                assertThat(r2.stats().fullSyncs()).isEqualTo(1);
                assertThat(model.snapshots()).isEqualTo(2);
                if (bothFlows) {
                    assertThat(r2.stats().sessions()).isEqualTo(1);
                    assertThat(err.text()).contains("answered FULL on every flow to the partial sync request");
                } else {
                    assertThat(r2.stats().sessions()).isEqualTo(2);
                    assertThat(g2.errors).singleElement().isInstanceOf(FullSyncRestartException.class);
                    assertThat(g2.errors.get(0)).hasMessageContaining("with FULL on 1 and PARTIAL on 1 flows");
                }
                assertModelEqualsMaster(model, m);
            }
        }
    }

    @Test
    void anItemEvictedBeforeDflySyncEndsTheSessionAndAFullSyncFollows() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(ReleaseProfile.V1_34).shards(2)
                .backlogLength(8).start()) {
            m.write("SET", "k", "v");
            FileCheckpointStore store = new FileCheckpointStore(dir.resolve("ckpt"));
            ResumeModel model = new ResumeModel();
            runAndClose(m, store, model);
            String k0 = keyOnShard(m, 0);
            m.write("INCR", k0); // within the backlog: FLOW answers PARTIAL on both flows
            // after the FLOW replies and before DFLY SYNC, the master takes more writes than its backlog keeps
            m.beforeNextDfly("SYNC", () -> {
                for (int i = 0; i < 20; i++) {
                    m.write("INCR", k0);
                }
            });
            long afterId = maxConnectionId(m);
            ResumeModel.Gate g2 = model.gate();
            try (CapturedStderr err = new CapturedStderr();
                 Replicator r2 = replicator(m, store, g2).build()) {
                r2.start();
                assertThat(r2.awaitStableSync(WAIT)).isTrue();
                awaitCaughtUp(m, r2);
                assertThat(g2.errors).singleElement().isInstanceOf(FullSyncRestartException.class);
                assertThat(g2.errors.get(0)).hasMessageContaining("closed the incremental partial sync stream before "
                        + "FULLSYNC_END").hasMessageContaining("partial sync was unsuccessful");
                assertThat(r2.stats().sessions()).as("one failed session, then a full sync, no retry loop")
                        .isEqualTo(2);
                assertThat(r2.stats().fullSyncs()).isEqualTo(1);
                List<List<String>> cmds = dflyCommands(m, afterId);
                assertThat(cmds.stream().filter(x -> x.get(1).equalsIgnoreCase("FLOW")).map(List::size))
                        .as("FLOW with LSNs, then without").containsExactlyInAnyOrder(6, 6, 5, 5);
                assertThat(model.snapshots()).isEqualTo(2);
                assertModelEqualsMaster(model, m);
                assertThat(err.text()).contains("incremental partial sync stream before FULLSYNC_END");
            }
        }
    }

    @Test
    void aRestartedV134MasterMeansAFullSync() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(ReleaseProfile.V1_34).shards(2)
                .start()) {
            m.write("SET", "k", "v");
            FileCheckpointStore store = new FileCheckpointStore(dir.resolve("ckpt"));
            ResumeModel model = new ResumeModel();
            Checkpoint c = runAndClose(m, store, model);
            m.restart();
            m.write("SET", "after-restart", "x");
            long afterId = maxConnectionId(m);
            try (CapturedStderr err = new CapturedStderr();
                 Replicator r2 = replicator(m, store, model.gate()).build()) {
                r2.start();
                assertThat(r2.awaitStableSync(WAIT)).isTrue();
                m.write("INCR", "n:0");
                awaitCaughtUp(m, r2);
                assertThat(dflyCommands(m, afterId).stream().filter(x -> x.get(1).equalsIgnoreCase("FLOW")))
                        .allMatch(x -> x.size() == 5);
                assertThat(r2.stats().fullSyncs()).isEqualTo(1);
                assertThat(err.text()).contains("the master's replication id changed from " + c.masterId());
                assertModelEqualsMaster(model, m);
            }
        }
    }
}
