package io.df2redis.replica;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.df2redis.replica.e2e.Datasets;
import io.df2redis.testkit.ConnectionRecord;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.ReleaseProfile;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static io.df2redis.replica.CapturedCaseReplicationIT.awaitTrue;
import static io.df2redis.replica.ReconnectBackoffIT.keyOnShard;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resume on start from a {@link FileCheckpointStore}: a new replicator continues where a closed or
 * crashed one stopped with a partial sync (no snapshot, nothing missing; after a crash entries may
 * repeat — at-least-once — and are counted), and falls back to a clean full sync, logged with the
 * reason, whenever resuming could be wrong: positions out of the master's backlog (on some flows or
 * all), a restarted master (new replication id), another flow count, a release without raw partial
 * sync (v1.30), a sink that refuses, another target, or a restart during a full sync. Store failures
 * end in typed errors. All against the embedded master, with the master's view of every
 * {@code DFLY FLOW} as evidence.
 */
class CheckpointResumeIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- fixtures

    /** A store that records which thread saves, can fail saves, and stops writing when "the process dies". */
    static final class RecordingStore implements CheckpointStore {
        final CheckpointStore delegate;
        final List<String> threads = new CopyOnWriteArrayList<>();
        final List<Checkpoint> saved = new CopyOnWriteArrayList<>();
        volatile Predicate<Checkpoint> failSave = c -> false;
        private boolean crashed;

        RecordingStore(CheckpointStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<Checkpoint> load() {
            return delegate.load();
        }

        @Override
        public void save(Checkpoint c) {
            threads.add(Thread.currentThread().getName());
            if (failSave.test(c)) {
                throw new CheckpointStoreException("cannot write the test store: disk full");
            }
            synchronized (this) {
                if (!crashed) {
                    delegate.save(c);
                    saved.add(c);
                }
            }
        }

        /** Nothing saved from now on reaches the file, as after a SIGKILL. */
        synchronized void crash() {
            crashed = true;
        }

        @Override
        public void clear() {
            delegate.clear();
        }
    }

    /** A sink that confirms everything at once, with an optional target identity and resume refusal. */
    static final class TestSink implements ReplicationSink {
        final String identity;
        final String refusal;
        final AtomicInteger fullSyncStarts = new AtomicInteger();

        TestSink(String identity, String refusal) {
            this.identity = identity;
            this.refusal = refusal;
        }

        @Override
        public Optional<String> targetIdentity() {
            return Optional.ofNullable(identity);
        }

        @Override
        public Optional<String> resumeRefusal() {
            return Optional.ofNullable(refusal);
        }

        @Override
        public CompletionStage<Void> apply(SinkEvent event) {
            if (event instanceof SinkEvent.FullSyncStart) {
                fullSyncStarts.incrementAndGet();
            }
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Non-idempotent writes on every shard (SET, INCR, LPUSH, HSET) until closed. */
    static final class Workload implements AutoCloseable {
        private final EmbeddedDragonflyMaster m;
        private final Thread thread;
        private final AtomicLong iterations = new AtomicLong();
        private volatile boolean stop;
        private volatile Throwable error;

        Workload(EmbeddedDragonflyMaster m) {
            this.m = m;
            this.thread = new Thread(this::run, "workload");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            try {
                while (!stop) {
                    long i = iterations.getAndIncrement();
                    m.write("SET", "s:" + (i % 50), "v" + i);
                    m.write("INCR", "c:" + (i % 7));
                    m.write("LPUSH", "l:" + (i % 5), Long.toString(i));
                    m.write("HSET", "h:" + (i % 3), "f" + (i % 10), Long.toString(i));
                    Thread.sleep(1); // a steady stream, not a flood
                }
            } catch (Throwable e) {
                error = e;
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join();
            assertThat(error).as("workload error").isNull();
        }
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

    /** The {@code DFLY FLOW} commands of the first session opened after connection {@code afterId}, by flow. */
    private static List<List<String>> firstFlowCommands(EmbeddedDragonflyMaster m, long afterId, int flows) {
        List<List<String>> out = m.connections().stream().filter(c -> c.id() > afterId && c.flowId() >= 0)
                .sorted(Comparator.comparingLong(ConnectionRecord::id)).limit(flows)
                .map(c -> c.commands().stream().filter(cmd -> cmd.size() > 2 && cmd.get(0).equalsIgnoreCase("DFLY")
                        && cmd.get(1).equalsIgnoreCase("FLOW")).findFirst().orElseThrow())
                .sorted(Comparator.comparing(cmd -> Integer.parseInt(cmd.get(4)))).toList();
        assertThat(out).hasSize(flows);
        return out;
    }

    /** Whether a connection opened after {@code afterId} sent {@code DFLY SYNC} (a full sync). */
    private static boolean sentDflySync(EmbeddedDragonflyMaster m, long afterId) {
        return m.connections().stream().filter(c -> c.id() > afterId).flatMap(c -> c.commands().stream())
                .anyMatch(cmd -> cmd.size() > 1 && cmd.get(0).equalsIgnoreCase("DFLY")
                        && cmd.get(1).equalsIgnoreCase("SYNC"));
    }

    private static void assertAskedPartial(List<List<String>> flowCommands, Checkpoint c) {
        for (int i = 0; i < flowCommands.size(); i++) {
            List<String> cmd = flowCommands.get(i);
            assertThat(cmd).as("DFLY FLOW of flow " + i).hasSize(6);
            assertThat(cmd.get(2)).isEqualTo(c.masterId());
            assertThat(Long.parseLong(cmd.get(5))).as("LSN asked on flow " + i).isEqualTo(c.nextLsns().get(i));
        }
    }

    private static void assertAskedFull(List<List<String>> flowCommands) {
        for (List<String> cmd : flowCommands) {
            assertThat(cmd).as("DFLY FLOW without an LSN").hasSize(5);
        }
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

    /** A first replicator follows {@code m} with {@code store}, applies some writes and is closed. */
    private static Checkpoint runAndClose(EmbeddedDragonflyMaster m, CheckpointStore store, ResumeModel model,
                                          ReplicationSink sink) throws Exception {
        Replicator.Builder b = replicator(m, store, model.gate());
        if (sink != null) {
            b.sink(sink);
        }
        try (Replicator r = b.build()) {
            r.start();
            assertThat(r.awaitStableSync(WAIT)).isTrue();
            for (int i = 0; i < 30; i++) {
                m.write("INCR", "n:" + i % 6);
                m.write("LPUSH", "list", "x" + i);
            }
            awaitCaughtUp(m, r);
        }
        Checkpoint c = store.load().orElseThrow();
        assertThat(c.resumable()).isTrue();
        assertThat(c.nextLsnArray()).containsExactly(m.replicaOffsets());
        return c;
    }

    // ---------------------------------------------------------------- resume

    @ParameterizedTest(name = "crash={0}")
    @ValueSource(booleans = {false, true})
    void aNewReplicatorResumesWithAPartialSyncAfterACloseOrACrash(boolean crash) throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(ReleaseProfile.V1_40).shards(2)
                .start()) {
            for (int i = 0; i < 20; i++) {
                m.write("SET", "init:" + i, "v" + i);
            }
            Path file = dir.resolve("state/df2redis.checkpoint");
            RecordingStore store1 = new RecordingStore(new FileCheckpointStore(file));
            ResumeModel model = new ResumeModel();
            ResumeModel.Gate g1 = model.gate();
            NioEventLoopGroup group = new NioEventLoopGroup(2);
            try (Workload w = new Workload(m)) {
                Replicator r1 = replicator(m, store1, g1).eventLoopGroup(group).build();
                r1.start();
                assertThat(r1.awaitStableSync(WAIT)).isTrue();
                w.start();
                // the timer saves the confirmed position while the master takes writes
                awaitTrue(() -> store1.saved.stream().anyMatch(c -> c.resumable()
                        && c.nextLsns().stream().allMatch(l -> l > 100)), "a periodic checkpoint past LSN 100");
                if (crash) {
                    // the process dies: nothing more reaches the file or the host's data, its sockets close
                    store1.crash();
                    g1.crash();
                    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
                    // RECONNECTING can be brief (the next attempt is CONNECTING): wait for "not in sync"
                    awaitTrue(() -> r1.state() != ReplicationState.STABLE_SYNC, "the dead replicator's session ended");
                }
                r1.close(); // after a crash: releases its threads; what it does reaches neither file nor host
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
                assertThat(r1.stats().fullSyncs()).isEqualTo(1);
                assertThat(store1.threads).as("threads that saved").isNotEmpty()
                        .allMatch(t -> t.equals("df2redis-checkpoint") || t.equals("df2redis-supervisor")
                                || t.equals("df2redis-close"));

                // the master goes on taking writes while nobody replicates
                long[] at = m.replicaOffsets();
                awaitTrue(() -> m.nextLsn(0) > at[0] + 50 && m.nextLsn(1) > at[1] + 50, "writes while away");

                Checkpoint ckpt = new FileCheckpointStore(file).load().orElseThrow();
                assertThat(ckpt.masterId()).isEqualTo(m.masterId());
                assertThat(ckpt.flowCount()).isEqualTo(2);
                assertThat(ckpt.release()).isEqualTo("df-v1.40.1");
                assertThat(ckpt.protocolVersion()).isEqualTo(5);
                for (int f = 0; f < 2; f++) {
                    if (crash) {
                        assertThat(ckpt.nextLsns().get(f)).as("saved only over what was delivered")
                                .isLessThanOrEqualTo(model.lastLsn(f) + 1);
                    } else {
                        assertThat(ckpt.nextLsns().get(f)).as("the final checkpoint covers everything delivered")
                                .isEqualTo(model.lastLsn(f) + 1);
                    }
                }
                long lastBefore0 = model.lastLsn(0);
                long lastBefore1 = model.lastLsn(1);

                long afterId = maxConnectionId(m);
                ResumeModel.Gate g2 = model.gate();
                try (Replicator r2 = replicator(m, new FileCheckpointStore(file), g2).build()) {
                    r2.start();
                    assertThat(r2.awaitStableSync(WAIT)).isTrue();
                    w.close();
                    awaitCaughtUp(m, r2);
                    assertAskedPartial(firstFlowCommands(m, afterId, 2), ckpt);
                    assertThat(sentDflySync(m, afterId)).as("DFLY SYNC sent").isFalse();
                    assertThat(r2.stats().fullSyncs()).isZero();
                    assertThat(r2.stats().sessions()).isEqualTo(1);
                    assertThat(model.snapshots()).as("snapshots the host saw").isEqualTo(1);
                    assertModelEqualsMaster(model, m);
                    long expectedRepeats = (lastBefore0 + 1 - ckpt.nextLsns().get(0))
                            + (lastBefore1 + 1 - ckpt.nextLsns().get(1));
                    assertThat((long) model.repeats()).as("entries delivered twice").isEqualTo(expectedRepeats);
                    if (!crash) {
                        assertThat(model.repeats()).isZero();
                    }
                    System.out.printf("resume after %s: checkpoint %s, %d journal entries applied, %d delivered "
                            + "again (at-least-once), 0 missing%n", crash ? "a crash" : "close()", ckpt.nextLsns(),
                            model.journalEntries(), model.repeats());
                }
            }
        }
    }

    @ParameterizedTest(name = "out of the backlog on both flows={0}")
    @ValueSource(booleans = {false, true})
    void positionsOutOfTheBacklogMeanACleanFullSync(boolean bothFlows) throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(ReleaseProfile.V1_40).shards(2)
                .backlogLength(8).start()) {
            m.write("SET", "k", "v");
            FileCheckpointStore store = new FileCheckpointStore(dir.resolve("ckpt"));
            ResumeModel model = new ResumeModel();
            Checkpoint c = runAndClose(m, store, model, null);
            String k0 = keyOnShard(m, 0);
            String k1 = keyOnShard(m, 1);
            for (int i = 0; i < 20; i++) {
                m.write("INCR", k0); // more than the 8 items the backlog keeps
                if (bothFlows) {
                    m.write("INCR", k1);
                }
            }
            long afterId = maxConnectionId(m);
            ResumeModel.Gate g2 = model.gate();
            try (CapturedStderr err = new CapturedStderr();
                 Replicator r2 = replicator(m, store, g2).build()) {
                r2.start();
                assertThat(r2.awaitStableSync(WAIT)).isTrue();
                awaitCaughtUp(m, r2);
                assertAskedPartial(firstFlowCommands(m, afterId, 2), c);
                assertThat(r2.stats().fullSyncs()).isEqualTo(1);
                assertThat(model.snapshots()).isEqualTo(2);
                if (bothFlows) {
                    assertThat(r2.stats().sessions()).isEqualTo(1);
                    assertThat(err.text()).contains("answered FULL on every flow to the partial sync request from the "
                            + "checkpoint saved at");
                } else {
                    // mixed answers: that session ends, the next one asks for no position
                    assertThat(r2.stats().sessions()).isEqualTo(2);
                    assertThat(g2.errors).singleElement().isInstanceOf(FullSyncRestartException.class);
                    assertThat(g2.errors.get(0)).hasMessageContaining("with FULL on 1 and PARTIAL on 1 flows");
                    long secondSession = m.connections().stream().filter(x -> x.id() > afterId && x.flowId() >= 0)
                            .sorted(Comparator.comparingLong(ConnectionRecord::id)).skip(2).findFirst().orElseThrow()
                            .id() - 1;
                    assertAskedFull(firstFlowCommands(m, secondSession, 2));
                }
                assertModelEqualsMaster(model, m);
                awaitTrue(() -> java.util.Arrays.equals(store.load().orElseThrow().nextLsnArray(), m.replicaOffsets()),
                        "the new position saved by the timer");
            }
        }
    }

    @Test
    void aRestartedMasterMeansAFullSync() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(ReleaseProfile.V1_40).shards(2)
                .start()) {
            m.write("SET", "k", "v");
            FileCheckpointStore store = new FileCheckpointStore(dir.resolve("ckpt"));
            ResumeModel model = new ResumeModel();
            Checkpoint c = runAndClose(m, store, model, null);
            m.restart(); // new replication id, LSNs start over at 1
            m.write("SET", "after-restart", "x");
            long afterId = maxConnectionId(m);
            try (CapturedStderr err = new CapturedStderr();
                 Replicator r2 = replicator(m, store, model.gate()).build()) {
                r2.start();
                assertThat(r2.awaitStableSync(WAIT)).isTrue();
                m.write("INCR", "n:0");
                awaitCaughtUp(m, r2);
                assertAskedFull(firstFlowCommands(m, afterId, 2));
                assertThat(r2.stats().fullSyncs()).isEqualTo(1);
                assertThat(err.text()).contains("the master's replication id changed from " + c.masterId() + " to "
                        + m.masterId());
                assertModelEqualsMaster(model, m);
                assertThat(store.load().orElseThrow().masterId()).isEqualTo(m.masterId());
            }
        }
    }

    @Test
    void anotherFlowCountMeansAFullSync() throws Exception {
        String id = "00112233445566778899aabbccddeeff00112233";
        ResumeModel model = new ResumeModel();
        FileCheckpointStore store = new FileCheckpointStore(dir.resolve("ckpt"));
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().masterId(id).shards(2).start()) {
            m.write("SET", "k", "v");
            runAndClose(m, store, model, null);
        }
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().masterId(id).shards(3).start();
             CapturedStderr err = new CapturedStderr()) {
            m.write("SET", "k3", "v");
            try (Replicator r2 = replicator(m, store, model.gate()).build()) {
                r2.start();
                assertThat(r2.awaitStableSync(WAIT)).isTrue();
                awaitCaughtUp(m, r2);
                assertAskedFull(firstFlowCommands(m, 0, 3));
                assertThat(r2.stats().fullSyncs()).isEqualTo(1);
                assertThat(err.text()).contains("the master has 3 flows, the saved position has 2");
                assertModelEqualsMaster(model, m);
            }
        }
    }

    @Test
    void aReleaseWithoutRawPartialSyncMeansAFullSyncWithTheReasonLogged() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(ReleaseProfile.V1_30).shards(2)
                .start()) {
            m.write("SET", "k", "v");
            FileCheckpointStore store = new FileCheckpointStore(dir.resolve("ckpt"));
            ResumeModel model = new ResumeModel();
            Checkpoint c = runAndClose(m, store, model, null);
            assertThat(c.release()).isEqualTo("df-v1.30.3");
            long afterId = maxConnectionId(m);
            try (CapturedStderr err = new CapturedStderr();
                 Replicator r2 = replicator(m, store, model.gate()).build()) {
                r2.start();
                assertThat(r2.awaitStableSync(WAIT)).isTrue();
                awaitCaughtUp(m, r2);
                assertAskedFull(firstFlowCommands(m, afterId, 2));
                assertThat(r2.stats().fullSyncs()).isEqualTo(1);
                assertThat(err.text()).contains("not resuming from the checkpoint saved at", "release df-v1.30.3",
                        "no partial sync (v1.21 to v1.30 always answer FULL)");
                assertModelEqualsMaster(model, m);
            }
        }
    }

    /**
     * The safety net of a full sync: once it started (the sink empties its target), the stored
     * position is gone, so a restart before it completed does a full sync again instead of resuming
     * from the old position over an incomplete target. The full sync here comes from a sink that
     * refuses to resume, which is honoured for the first session too.
     */
    @Test
    void aRestartDuringAFullSyncDoesAFullSyncAgain() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(ReleaseProfile.V1_40).shards(2)
                .start()) {
            for (int i = 0; i < 10; i++) {
                m.write("SET", "k" + i, "v");
            }
            Path file = dir.resolve("ckpt");
            FileCheckpointStore store = new FileCheckpointStore(file);
            ResumeModel model = new ResumeModel();
            Checkpoint c = runAndClose(m, store, model, new TestSink(null, null));

            // second run: the target lost its data, the sink refuses to resume; the host is stuck in the
            // snapshot until the replicator is stopped (its drain gives up, the applier is interrupted)
            CountDownLatch inSnapshot = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ReplicationListener slow = new ReplicationListener() {
                @Override
                public void onEntryStart(int flow, io.df2redis.protocol.rdb.RdbEntry entry) {
                    inSnapshot.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            TestSink refusing = new TestSink(null, "the target was restarted without its data");
            long afterId = maxConnectionId(m);
            try (CapturedStderr err = new CapturedStderr()) {
                Replicator r2 = replicator(m, store, slow).sink(refusing)
                        .options(o -> o.drainTimeout(Duration.ofMillis(500))).build();
                r2.start();
                assertThat(inSnapshot.await(60, TimeUnit.SECONDS)).isTrue();
                assertThat(err.text()).contains("not resuming from the checkpoint saved at " + c.savedAt(),
                        "the target was restarted without its data");
                assertThat(refusing.fullSyncStarts).hasValue(1);
                Checkpoint during = new FileCheckpointStore(file).load().orElseThrow();
                assertThat(during.resumable()).as("checkpoint while the full sync runs").isFalse();
                assertThat(during.masterId()).isEqualTo(m.masterId());
                r2.closeAsync().get(60, TimeUnit.SECONDS); // stopped before the snapshot was applied
                release.countDown();
                assertThat(r2.stats().flows()).noneMatch(f -> f.appliedLsn() > 0);
            }
            assertAskedFull(firstFlowCommands(m, afterId, 2));
            assertThat(new FileCheckpointStore(file).load().orElseThrow().resumable()).isFalse();

            long third = maxConnectionId(m);
            TestSink sink = new TestSink(null, null);
            try (CapturedStderr err = new CapturedStderr();
                 Replicator r3 = replicator(m, store, model.gate()).sink(sink).build()) {
                r3.start();
                assertThat(r3.awaitStableSync(WAIT)).isTrue();
                awaitCaughtUp(m, r3);
                assertAskedFull(firstFlowCommands(m, third, 2));
                assertThat(sink.fullSyncStarts).hasValue(1);
                assertThat(err.text()).contains("was saved when a full sync started");
                assertModelEqualsMaster(model, m);
            }
            assertThat(new FileCheckpointStore(file).load().orElseThrow().resumable()).isTrue();
        }
    }

    @Test
    void anotherTargetMeansAFullSyncAndTheSameTargetResumes() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(ReleaseProfile.V1_40).shards(2)
                .start()) {
            m.write("SET", "k", "v");
            FileCheckpointStore store = new FileCheckpointStore(dir.resolve("ckpt"));
            ResumeModel model = new ResumeModel();
            Checkpoint a = runAndClose(m, store, model, new TestSink("redis A", null));
            assertThat(a.targetIdentity()).contains("redis A");
            TestSink b = new TestSink("redis B", null);
            long afterId = maxConnectionId(m);
            try (CapturedStderr err = new CapturedStderr();
                 Replicator r2 = replicator(m, store, model.gate()).sink(b).build()) {
                r2.start();
                assertThat(r2.awaitStableSync(WAIT)).isTrue();
                awaitCaughtUp(m, r2);
                assertAskedFull(firstFlowCommands(m, afterId, 2));
                assertThat(b.fullSyncStarts).hasValue(1);
                assertThat(err.text()).contains("the sink's target is 'redis B', the saved position belongs to "
                        + "'redis A'");
            }
            Checkpoint saved = store.load().orElseThrow();
            assertThat(saved.targetIdentity()).contains("redis B");
            m.write("INCR", "n:1");
            afterId = maxConnectionId(m);
            TestSink b2 = new TestSink("redis B", null);
            try (Replicator r3 = replicator(m, store, model.gate()).sink(b2).build()) {
                r3.start();
                assertThat(r3.awaitStableSync(WAIT)).isTrue();
                awaitCaughtUp(m, r3);
                assertAskedPartial(firstFlowCommands(m, afterId, 2), saved);
                assertThat(r3.stats().fullSyncs()).isZero();
                assertThat(b2.fullSyncStarts).hasValue(0);
                assertModelEqualsMaster(model, m);
            }
        }
    }

    // ---------------------------------------------------------------- store failures

    @Test
    void anUnreadableStoreStopsTheReplicatorBeforeItConnects() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            Path p = dir.resolve("ckpt");
            Files.createDirectory(p);
            try (Replicator r = replicator(m, new FileCheckpointStore(p), new ReplicationListener() {
            }).build()) {
                r.start();
                awaitTrue(() -> r.state() == ReplicationState.FAILED, "FAILED");
                assertThat(r.failure()).isInstanceOf(CheckpointStoreException.class).hasMessageContaining(p.toString());
                assertThat(r.failure().isRetryable()).isFalse();
                assertThat(r.stats().sessions()).isZero();
                assertThat(m.connections()).isEmpty();
            }
        }
    }

    @Test
    void aFullSyncDoesNotStartWhenItsCheckpointCannotBeSaved() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            m.write("SET", "k", "v");
            RecordingStore store = new RecordingStore(new FileCheckpointStore(dir.resolve("ckpt")));
            store.failSave = c -> !c.resumable();
            TestSink sink = new TestSink(null, null);
            AtomicInteger fullSyncStarts = new AtomicInteger();
            try (Replicator r = replicator(m, store, new ReplicationListener() {
                @Override
                public void onFullSyncStart(MasterInfo master) {
                    fullSyncStarts.incrementAndGet();
                }
            }).sink(sink).build()) {
                r.start();
                awaitTrue(() -> r.state() == ReplicationState.FAILED, "FAILED");
                assertThat(r.failure()).isInstanceOf(CheckpointStoreException.class)
                        .hasMessageContaining("the full sync does not start").hasMessageContaining("disk full");
                assertThat(sink.fullSyncStarts).as("the target was not emptied").hasValue(0);
                assertThat(fullSyncStarts).hasValue(0);
                assertThat(r.stats().sessions()).isEqualTo(1);
            }
        }
    }

    @Test
    void aFailingPeriodicSaveIsLoggedAndReplicationGoesOn() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            m.write("SET", "k", "v");
            RecordingStore store = new RecordingStore(new FileCheckpointStore(dir.resolve("ckpt")));
            store.failSave = Checkpoint::resumable;
            ResumeModel model = new ResumeModel();
            try (CapturedStderr err = new CapturedStderr();
                 Replicator r = replicator(m, store, model.gate()).build()) {
                r.start();
                assertThat(r.awaitStableSync(WAIT)).isTrue();
                m.write("INCR", "n");
                awaitTrue(() -> err.text().contains("could not save the checkpoint"), "the WARN");
                m.write("INCR", "n");
                awaitCaughtUp(m, r);
                assertThat(r.state()).isEqualTo(ReplicationState.STABLE_SYNC);
                assertThat(err.count("could not save the checkpoint")).as("said once, not every second").isEqualTo(1);
                assertModelEqualsMaster(model, m);
                assertThat(store.load().orElseThrow().resumable()).as("the full-sync checkpoint stays").isFalse();
            }
        }
    }

    // ------------------------------------------------------------------ exact stores

    /**
     * A store kept atomically with the target ({@link CheckpointStore#exact()}, as the Redis sink's)
     * is what the target holds: when a session ends, the next one resumes from what the store says
     * now — here less than the replicator applied, as when the reply to a transaction that did not
     * run was lost — not from the replicator's memory. A store that is not exact is read once.
     */
    @ParameterizedTest(name = "exact={0}")
    @ValueSource(booleans = {true, false})
    void anExactStoreIsReadAgainBeforeEverySession(boolean exact) throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(ReleaseProfile.V1_40).shards(2)
                .start()) {
            FileCheckpointStore file = new FileCheckpointStore(dir.resolve("exact-" + exact));
            AtomicInteger loads = new AtomicInteger();
            CheckpointStore store = new CheckpointStore() {
                @Override
                public Optional<Checkpoint> load() {
                    loads.incrementAndGet();
                    return file.load();
                }

                @Override
                public void save(Checkpoint c) {
                    file.save(c);
                }

                @Override
                public void clear() {
                    file.clear();
                }

                @Override
                public boolean exact() {
                    return exact;
                }
            };
            try (Replicator r = replicator(m, store, new ReplicationListener() { }).build()) {
                r.start();
                assertThat(r.awaitStableSync(WAIT)).isTrue();
                for (int i = 0; i < 40; i++) {
                    m.write("INCR", "n:" + i % 8);
                }
                awaitCaughtUp(m, r);
                awaitTrue(() -> r.lastCheckpoint().filter(Checkpoint::resumable).map(c -> c.nextLsnArray()[0] == m.nextLsn(0)
                        && c.nextLsnArray()[1] == m.nextLsn(1)).orElse(false), "the caught-up position saved");
                Checkpoint now = r.lastCheckpoint().orElseThrow();
                Checkpoint lower = new Checkpoint(now.masterId(), 2, now.release(), now.protocolVersion(),
                        List.of(now.nextLsns().get(0) - 3, now.nextLsns().get(1)), Optional.empty(), now.savedAt());
                file.save(lower);
                int loadsBefore = loads.get();
                long afterId = maxConnectionId(m);
                long sessions = r.stats().sessions();
                m.dropFlowAfterBytes(0, 0);
                m.write("INCR", keyOnShard(m, 0));
                awaitTrue(() -> r.stats().sessions() > sessions && r.state() == ReplicationState.STABLE_SYNC,
                        "a new session after the cut");
                List<List<String>> asked = firstFlowCommands(m, afterId, 2);
                if (exact) {
                    assertThat(loads.get()).as("read again before the new session").isGreaterThan(loadsBefore);
                    assertAskedPartial(asked, lower);
                } else {
                    assertThat(loads.get()).as("read once, at start").isEqualTo(loadsBefore);
                    assertThat(Long.parseLong(asked.get(0).get(5))).as("flow 0 from memory")
                            .isEqualTo(now.nextLsns().get(0));
                }
            }
        }
    }
}
