package io.df2redis.replica;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.df2redis.replica.e2e.Datasets;
import io.df2redis.testkit.CompressionMode;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.ReleaseProfile;
import io.df2redis.tools.SyncRespClient;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replicator against the embedded Dragonfly-protocol master of the test kit: handshake in
 * both release profiles with and without credentials and TLS, typed errors, full sync of every
 * type in every compression mode and shard count, writes during full sync, and a stable-sync
 * workload — each checked against a model of the master's keyspace, not by counts.
 */
class EmbeddedMasterReplicationIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Replicator.Builder replicator(EmbeddedDragonflyMaster m) {
        return Replicator.builder().source(m.host(), m.port())
                .options(o -> o.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200)));
    }

    private static JsonNode tree(Object o) throws IOException {
        return JSON.readTree(JSON.writeValueAsString(o));
    }

    @ParameterizedTest
    @EnumSource(ReleaseProfile.class)
    void handshakeFollowsTheProtocolInEachProfile(ReleaseProfile profile) throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(profile).shards(3).start();
             Replicator r = replicator(m).build()) {
            List<String> states = new CopyOnWriteArrayList<>();
            r.start();
            assertThat(r.awaitStableSync(WAIT)).isTrue();
            MasterInfo info = r.masterInfo();
            assertThat(info.flowCount()).isEqualTo(3);
            assertThat(info.masterId()).isEqualTo(m.masterId());
            assertThat(info.release()).isEqualTo(profile.dragonflyVersion());
            assertThat(info.protocolVersion()).isEqualTo(profile == ReleaseProfile.V1_40 ? 5 : 4);
            assertThat(r.state()).isEqualTo(ReplicationState.STABLE_SYNC);
            List<String> control = m.connections().stream().filter(c -> c.flowId() < 0 && c.sent("DFLY")).findFirst().orElseThrow()
                    .commands().stream().map(c -> String.join(" ", c)).toList();
            assertThat(control).startsWith("PING", "REPLCONF listening-port 0", "REPLCONF capa eof capa psync2",
                    "REPLCONF capa dragonfly");
            assertThat(control).contains("REPLCONF CLIENT-VERSION 4", "DFLY SYNC " + info.syncId(),
                    "DFLY STARTSTABLE " + info.syncId());
            assertThat(control.indexOf("REPLCONF CLIENT-VERSION 4"))
                    .isGreaterThan(control.indexOf("REPLCONF capa dragonfly"));
        }
    }

    static Stream<Arguments> credentials() {
        return Stream.of(Arguments.of("password", false), Arguments.of("acl-user", false), Arguments.of("tls", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentials")
    void authenticatesWithPasswordAclUserAndTls(String mode, boolean tls) throws Exception {
        var b = EmbeddedDragonflyMaster.builder().shards(2);
        DragonflyEndpoint ep;

        if (mode.equals("password")) {
            b.requirePass("s3cret");
        } else if (mode.equals("acl-user")) {
            b.aclUser("repl", "s3cret");
        } else {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            try (java.io.InputStream in = getClass().getResourceAsStream("/tls-server.p12")) {
                ks.load(in, "changeit".toCharArray());
            }
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "changeit".toCharArray());
            b.sslContext(SslContextBuilder.forServer(kmf).build());
        }
        try (EmbeddedDragonflyMaster m = b.start()) {
            m.write("SET", "k", "v");
            ep = DragonflyEndpoint.of(m.host(), m.port());
            if (mode.equals("password")) {
                ep = ep.withPassword("s3cret");
            } else if (mode.equals("acl-user")) {
                ep = ep.withUser("repl", "s3cret");
            } else {
                ep = ep.withTls(SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                        .build());
            }
            KeyspaceModel model = new KeyspaceModel();
            try (Replicator r = Replicator.builder().source(ep).listener(model).build()) {
                r.start();
                assertThat(r.awaitStableSync(WAIT)).as(mode).isTrue();
                assertThat(tree(model.keyspace())).isEqualTo(tree(Datasets.modelOf(m)));
                assertThat(ep.toString()).doesNotContain("s3cret");
            }
        }
    }

    @Test
    void errorRepliesBecomeTypedErrors() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().requirePass("right").start()) {
            try (Replicator r = Replicator.builder().source(m.host(), m.port()).build()) {
                r.start();
                CapturedCaseReplicationIT.awaitTrue(() -> r.state() == ReplicationState.FAILED, "NOAUTH failure");
                assertThat(r.failure()).isInstanceOf(AuthenticationException.class).hasMessageContaining("NOAUTH");
            }
            try (Replicator r = Replicator.builder()
                    .source(DragonflyEndpoint.of(m.host(), m.port()).withPassword("wrong")).build()) {
                r.start();
                CapturedCaseReplicationIT.awaitTrue(() -> r.state() == ReplicationState.FAILED, "WRONGPASS failure");
                assertThat(r.failure()).isInstanceOf(AuthenticationException.class).hasMessageContaining("WRONGPASS");
                assertThat(r.failure().isRetryable()).isFalse();
            }
        }
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().start();
             Replicator r = replicator(m).build()) {
            m.pretendRedis(true);
            r.start();
            CapturedCaseReplicationIT.awaitTrue(() -> r.state() == ReplicationState.FAILED, "Redis master failure");
            assertThat(r.failure()).isInstanceOf(UnsupportedMasterException.class).hasMessageContaining("Redis");
        }
    }

    @Test
    void loadingMasterIsRetried() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            m.write("SET", "k", "v");
            m.replyLoading(3);
            try (Replicator r = replicator(m).options(o -> o.loadingRetryDelay(Duration.ofMillis(20))).build()) {
                r.start();
                assertThat(r.awaitStableSync(WAIT)).isTrue();
            }
        }
    }

    static Stream<Arguments> fullSyncMatrix() {
        List<Arguments> out = new ArrayList<>();
        for (ReleaseProfile p : ReleaseProfile.values()) {
            for (int shards : new int[] {1, 8}) {
                for (CompressionMode c : CompressionMode.values()) {
                    out.add(Arguments.of(p, shards, c));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} shards {2}")
    @MethodSource("fullSyncMatrix")
    void fullSyncOfEveryTypeReproducesTheDataset(ReleaseProfile profile, int shards, CompressionMode compression)
            throws Exception {
        var b = EmbeddedDragonflyMaster.builder().profile(profile).shards(shards)
                .compression(compression);
        if (profile == ReleaseProfile.V1_40) {
            b.chunkSize(4096); // many small tagged chunks, interleaved
        }
        try (EmbeddedDragonflyMaster m = b.start()) {
            Datasets.everyType(m, 5_000);
            KeyspaceModel model = new KeyspaceModel();
            try (Replicator r = replicator(m).listener(model).build()) {
                r.start();
                assertThat(r.awaitFullSync(WAIT)).isTrue();
                assertThat(tree(model.keyspace())).isEqualTo(tree(Datasets.modelOf(m)));
            }
        }
    }

    @Test
    void aMillionElementListArrivesInBoundedBatches() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(1).start()) {
            List<byte[]> big = new ArrayList<>(1_000_000);
            for (int i = 0; i < 1_000_000; i++) {
                big.add(Datasets.b(Integer.toString(i)));
            }
            m.put(0, io.df2redis.protocol.rdb.RdbKeyValue.of("list:1m",
                    io.df2redis.protocol.rdb.RdbValue.list(big)));
            big = null;
            long[] seen = new long[2];
            try (Replicator r = replicator(m).listener(new ReplicationListener() {
                private long next;

                @Override
                public void onValueBatch(int flow, io.df2redis.protocol.rdb.RdbEntry e,
                                         io.df2redis.protocol.rdb.ValueBatch batch) {
                    for (byte[] x : ((io.df2redis.protocol.rdb.ValueBatch.ListElements) batch).elements()) {
                        assertThat(new String(x)).isEqualTo(Long.toString(next++));
                    }
                    seen[0] = next;
                    seen[1] = Math.max(seen[1], batch.size());
                }
            }).build()) {
                r.start();
                assertThat(r.awaitFullSync(WAIT)).isTrue();
                assertThat(seen[0]).isEqualTo(1_000_000);
                assertThat(seen[1]).isLessThanOrEqualTo(r.options().decoderOptions().batchMaxElements());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ReleaseProfile.class)
    void writesDuringFullSyncAreApplied(ReleaseProfile profile) throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(profile).shards(2)
                .paceSnapshot(200_000).start()) {
            for (int i = 0; i < 3000; i++) {
                m.put(0, io.df2redis.protocol.rdb.RdbKeyValue.of("base:" + i,
                        io.df2redis.protocol.rdb.RdbValue.string("value-" + i + "-padding-padding-padding")));
            }
            KeyspaceModel model = new KeyspaceModel();
            try (Replicator r = replicator(m).listener(model).build(); SyncRespClient c = SyncRespClient.connect(m.host(),
                    m.port(), null, null)) {
                r.start();
                CapturedCaseReplicationIT.awaitTrue(() -> r.state() == ReplicationState.FULL_SYNC, "full sync");
                for (int i = 0; i < 300; i++) {
                    c.ok("SET", "base:" + (i * 7), "changed-" + i);
                    c.ok("SET", "new:" + i, "during full sync");
                    c.ok("DEL", "base:" + (i * 11 + 1));
                    c.ok("LPUSH", "list:w", Integer.toString(i));
                }
                assertThat(r.awaitStableSync(WAIT)).isTrue();
                awaitCaughtUp(m, r);
                assertThat(model.unsupported).isEmpty();
                assertThat(tree(model.keyspace())).isEqualTo(tree(Datasets.modelOf(m)));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ReleaseProfile.class)
    void stableSyncWorkloadArrivesCompleteInOrderWithExactAcks(ReleaseProfile profile) throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(profile).shards(4)
                .lsnInterval(Duration.ofMillis(200)).start()) {
            m.write("SET", "before", "1");
            KeyspaceModel model = new KeyspaceModel();
            try (Replicator r = replicator(m).listener(model).build(); SyncRespClient c =
                    SyncRespClient.connect(m.host(), m.port(), null, null)) {
                r.start();
                assertThat(r.awaitStableSync(WAIT)).isTrue();
                for (int i = 0; i < 200; i++) {
                    c.ok("MSET", "a:" + i, "1", "b:" + i, "2", "c:" + i, "3");
                    c.ok("SET", "ttl:" + i, "v", "PX", "3600000");
                    if (i % 3 == 0) {
                        c.ok("DEL", "a:" + i, "b:" + i);
                    }
                    if (i == 100) {
                        c.ok("SELECT", "1");
                        c.ok("SET", "db1:x", "y");
                        c.ok("FLUSHDB");
                        c.ok("SET", "db1:after", "z");
                        c.ok("SELECT", "0");
                        m.ping();
                    }
                    c.ok("INCR", "counter");
                }
                m.ping();
                awaitCaughtUp(m, r);
                assertThat(model.unsupported).isEmpty();
                assertThat(tree(model.keyspace())).isEqualTo(tree(Datasets.modelOf(m)));
                assertThat(model.globals).containsExactly("FLUSHDB");
                // per flow, entries arrive in LSN order (a global command is delivered once, so
                // the other flows skip its LSN)
                for (List<Long> l : model.lsns.values()) {
                    for (int i = 1; i < l.size(); i++) {
                        assertThat(l.get(i)).as("per-flow LSN order").isGreaterThan(l.get(i - 1));
                    }
                }
                for (int f = 0; f < 4; f++) {
                    assertThat(r.stats().flows().get(f).appliedLsn()).isEqualTo(m.nextLsn(f));
                }
                assertThat(model.lsns.values().stream().flatMap(List::stream).count()).isPositive();
            }
        }
    }

    /** Waits until every flow's ACK reached the master's next LSN. */
    private static void awaitCaughtUp(EmbeddedDragonflyMaster m, Replicator r) {
        for (int f = 0; f < m.shardCount(); f++) {
            long target = m.nextLsn(f);
            assertThat(m.awaitAck(f, target, WAIT)).as("flow " + f + " ACK " + target + " (last "
                    + m.lastAck(f) + ")").isTrue();
        }
    }

    @Test
    void flushDuringFullSyncRestartsTheFullSync() throws Exception {
        // about 90 KB per flow, held back at 4 KB/s (some 20 s) until the flush landed, then released
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).paceSnapshot(4_000).start()) {
            for (int i = 0; i < 5000; i++) {
                m.put(0, io.df2redis.protocol.rdb.RdbKeyValue.of("k:" + i,
                        io.df2redis.protocol.rdb.RdbValue.string("value-value-value-value-" + i)));
            }
            List<ReplicationException> errors = new CopyOnWriteArrayList<>();
            KeyspaceModel model = new KeyspaceModel() {
                @Override
                public void onError(ReplicationException error) {
                    errors.add(error);
                }
            };
            try (Replicator r = replicator(m).listener(model).build(); SyncRespClient c = SyncRespClient.connect(m.host(),
                    m.port(), null, null)) {
                r.start();
                // the flush must land inside the snapshot stream: wait until keys are arriving
                CapturedCaseReplicationIT.awaitTrue(() -> r.state() == ReplicationState.FULL_SYNC
                        && r.stats().flows().stream().mapToLong(f -> f.entries()).sum() > 0, "full sync under way");
                assertThat(r.stats().flows().stream().mapToLong(f -> f.entries()).sum()).as("snapshot not done yet")
                        .isLessThan(5000);
                c.ok("FLUSHDB");
                c.ok("SET", "after-flush", "v");
                m.paceSnapshot(0); // the flush is in the stream: the rest (and the next full sync) at full speed
                assertThat(r.awaitStableSync(WAIT)).isTrue();
                awaitCaughtUp(m, r);
                assertThat(errors).hasAtLeastOneElementOfType(FullSyncRestartException.class);
                assertThat(r.stats().fullSyncs()).isGreaterThanOrEqualTo(2);
                assertThat(tree(model.keyspace())).isEqualTo(tree(Datasets.modelOf(m)));
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aBrokenSessionResumesWithoutLosingWrites(boolean masterRestarts) throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(ReleaseProfile.V1_40).shards(2)
                .start()) {
            for (int i = 0; i < 100; i++) {
                m.write("SET", "k:" + i, "v" + i);
            }
            List<String> reconnects = new CopyOnWriteArrayList<>();
            KeyspaceModel model = new KeyspaceModel() {
                @Override
                public void onReconnect(int attempt, java.time.Duration delay, ReplicationException cause) {
                    reconnects.add(cause.getClass().getSimpleName());
                }
            };
            try (Replicator r = replicator(m).listener(model).build()) {
                SyncRespClient c = SyncRespClient.connect(m.host(), m.port(), null, null);
                r.start();
                assertThat(r.awaitStableSync(WAIT)).isTrue();
                for (int i = 0; i < 100; i++) {
                    c.ok("SET", "live:" + i, "v" + i);
                }
                awaitCaughtUp(m, r);
                if (masterRestarts) {
                    m.restart(); // new master id: the replica must start over with a full sync
                    c.close();
                    c = SyncRespClient.connect(m.host(), m.port(), null, null);
                } else {
                    m.dropFlowAfterBytes(1, 0); // cut flow 1 at its next write
                }
                for (int i = 0; i < 100; i++) {
                    c.ok("SET", "after:" + i, "v" + i);
                    c.ok("DEL", "k:" + i);
                }
                CapturedCaseReplicationIT.awaitTrue(() -> !reconnects.isEmpty(), "a reconnect");
                assertThat(r.awaitStableSync(WAIT)).isTrue();
                CapturedCaseReplicationIT.awaitTrue(() -> r.state() == ReplicationState.STABLE_SYNC
                        && r.stats().sessions() >= 2, "second session in stable sync");
                awaitCaughtUp(m, r);
                assertThat(tree(model.keyspace())).isEqualTo(tree(Datasets.modelOf(m)));
                assertThat(r.stats().fullSyncs()).as("full syncs").isEqualTo(masterRestarts ? 2 : 1);
                c.close();
            }
        }
    }

    @Test
    void sinkErrorsFollowTheHandlerFailurePolicy() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            m.write("SET", "k", "v");
            ReplicationException fatal = new ReplicationException("target cannot hold key 'k'") {
                @Override
                public boolean isRetryable() {
                    return false;
                }
            };
            ReplicationSink failing = event -> event instanceof SinkEvent.EntryStart
                    ? java.util.concurrent.CompletableFuture.failedFuture(fatal)
                    : java.util.concurrent.CompletableFuture.completedFuture(null);
            try (Replicator r = replicator(m).sink(failing).build()) {
                r.start();
                CapturedCaseReplicationIT.awaitTrue(() -> r.state() == ReplicationState.FAILED, "FAILED");
                // the sink's own typed verdict passes the handler-failure policy as it is
                assertThat(r.failure()).isSameAs(fatal);
                assertThat(r.failure().isRetryable()).isFalse();
                assertThat(r.stats().sessions()).isEqualTo(1);
            }
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            ReplicationSink flaky = event -> event instanceof SinkEvent.EntryStart && calls.incrementAndGet() == 1
                    ? java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("target hiccup"))
                    : java.util.concurrent.CompletableFuture.completedFuture(null);
            // the default policy stops on a hiccup too ...
            try (Replicator r = replicator(m).sink(flaky).build()) {
                r.start();
                CapturedCaseReplicationIT.awaitTrue(() -> r.state() == ReplicationState.FAILED, "FAILED");
                assertThat(r.failure()).isInstanceOf(HandlerException.class).hasRootCauseMessage("target hiccup");
            }
            // ... which the retry policy rides out in place, in the same session
            calls.set(0);
            List<ReplicationException> errors = new CopyOnWriteArrayList<>();
            try (Replicator r = replicator(m).sink(flaky).listener(new ReplicationListener() {
                @Override
                public void onError(ReplicationException error) {
                    errors.add(error);
                }
            }).handlerFailurePolicy(HandlerFailurePolicy.retry(Duration.ofMillis(10), Duration.ofMillis(10), 3))
                    .build()) {
                r.start();
                assertThat(r.awaitStableSync(WAIT)).isTrue();
                assertThat(errors).isEmpty();
                assertThat(r.stats().sessions()).isEqualTo(1);
                assertThat(r.stats().handlerRetries()).isEqualTo(1);
            }
        }
    }
}
