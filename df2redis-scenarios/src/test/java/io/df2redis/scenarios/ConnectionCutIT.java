package io.df2redis.scenarios;

import io.df2redis.replica.ReplicationState;
import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest.Kind;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest;
import io.df2redis.testkit.proxy.Direction;
import io.df2redis.testkit.proxy.FaultProxy;
import io.df2redis.testkit.proxy.ProxiedConnection;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections between the replicator and the master cut through a {@link FaultProxy}: a flow
 * connection cut in stable sync resumes with a partial sync when the master's backlog still holds
 * the missed entries and falls back to a full sync when it does not; a flow connection cut at a
 * random byte of the snapshot and the control connection cut both end in a new, complete sync.
 * After each, the target equals the master.
 */
@Timeout(300)
class ConnectionCutIT {

    static Stream<Arguments> kindsAndSeeds() {
        List<Arguments> out = new ArrayList<>();
        for (Kind kind : DragonflyUnderTest.kinds()) {
            for (long seed : new long[] {1, 2, 3}) {
                out.add(Arguments.of(kind, seed));
            }
        }
        return out.stream();
    }

    static List<Kind> kinds() {
        return DragonflyUnderTest.kinds();
    }

    private static ProxiedConnection flow(FaultProxy proxy, int flow) {
        return proxy.awaitConnection(c -> c.isOpen() && c.clientCommands().stream().anyMatch(cmd -> cmd.size() >= 5
                && cmd.get(0).equalsIgnoreCase("DFLY") && cmd.get(1).equalsIgnoreCase("FLOW")
                && cmd.get(4).equals(Integer.toString(flow))), Duration.ofSeconds(30));
    }

    private static void awaitSessions(Scenario s, long sessions) throws InterruptedException {
        long deadline = System.nanoTime() + Scenario.WAIT.toNanos();
        while (s.replicator.stats().sessions() < sessions || s.replicator.state() != ReplicationState.STABLE_SYNC) {
            assertThat(s.replicator.failure()).as("replication failed").isNull();
            assertThat(System.nanoTime()).as("session " + sessions + " reached stable sync").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("kindsAndSeeds")
    void flowCutWithinTheBacklogResumesWithPartialSync(Kind kind, long seed) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).build();
        Random rnd = new Random(seed);
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target target = Target.standalone();
             FaultProxy proxy = FaultProxy.start(m.host(), m.port());
             SyncRespClient c = m.client()) {
            Data.allTypes(c, "c:", 500, 5000);
            try (Scenario s = Scenario.of(m, target, b -> b, null, new InetSocketAddress(proxy.host(), proxy.port()))
                    .start()) {
                s.awaitStable();
                Data.mixedWrites(c, "c:", 200, seed);
                ProxiedConnection victim = flow(proxy, rnd.nextInt(2));
                long at = victim.cutAtRandomByte(rnd, Direction.UPSTREAM_TO_CLIENT, 2000);
                Data.mixedWrites(c, "c:", 300, seed + 100);
                System.out.println("[scenario] flow connection cut " + at + " bytes on; faults " + proxy.faultCount());
                awaitSessions(s, 2);
                Data.mixedWrites(c, "c:", 100, seed + 200);
                s.assertConverged();
                Faults.report("ConnectionCutIT " + m.name(), 1, "flow cut at a random byte in stable sync", "partial sync, converged");
                assertThat(s.replicator.stats().fullSyncs()).as("partial sync, no second full sync").isEqualTo(1);
                assertThat(proxy.faultCount()).isPositive();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void flowCutBeyondTheBacklogFallsBackToFullSync(Kind kind) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).backlogLength(16).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target target = Target.standalone();
             FaultProxy proxy = FaultProxy.start(m.host(), m.port());
             SyncRespClient c = m.client()) {
            Data.allTypes(c, "b:", 300, 2000);
            try (Scenario s = Scenario.of(m, target, b -> b, null, new InetSocketAddress(proxy.host(), proxy.port()))
                    .start()) {
                s.awaitStable();
                proxy.refuseNew(true);
                proxy.cut();
                // far more than 16 entries per shard while the replicator cannot connect
                Data.strings(c, "missed:", 400);
                Data.mixedWrites(c, "b:", 400, 9);
                for (int i = 0; i < 200; i++) {
                    Data.ok(c, "DEL", "missed:" + (i * 2));
                }
                proxy.refuseNew(false);
                awaitSessions(s, 2);
                assertThat(s.replicator.stats().fullSyncs()).as("a second full sync").isEqualTo(2);
                Data.strings(c, "after:", 50);
                s.assertConverged();
                Faults.report("ConnectionCutIT " + m.name(), 1, "flow cut beyond the backlog", "full sync, converged");
            }
        }
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("kindsAndSeeds")
    void flowCutDuringTheSnapshotEndsInACompleteSync(Kind kind, long seed) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).snapshotEgressLimit(256 * 1024).build();
        Random rnd = new Random(seed);
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target target = Target.standalone();
             FaultProxy proxy = FaultProxy.start(m.host(), m.port());
             SyncRespClient c = m.client()) {
            Data.allTypes(c, "f:", 2000, 100_000);
            Data.strings(c, "k:", 3000);
            try (Scenario s = Scenario.of(m, target, b -> b, null, new InetSocketAddress(proxy.host(), proxy.port()))
                    .start()) {
                ProxiedConnection victim = flow(proxy, rnd.nextInt(2));
                // within the first 16 KB: well inside every flow's (LZ4-compressed) snapshot
                long at = victim.cutAtRandomByte(rnd, Direction.UPSTREAM_TO_CLIENT, 16_000);
                System.out.println("[scenario] snapshot flow cut at byte " + at);
                Data.mixedWrites(c, "f:", 200, seed);
                awaitSessions(s, 2);
                Data.mixedWrites(c, "f:", 200, seed + 1);
                s.assertConverged();
                Faults.report("ConnectionCutIT " + m.name(), 1, "flow cut at a random byte of the snapshot", "complete sync, converged");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void controlConnectionCut(Kind kind) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target target = Target.standalone();
             FaultProxy proxy = FaultProxy.start(m.host(), m.port());
             SyncRespClient c = m.client()) {
            Data.allTypes(c, "k:", 300, 2000);
            try (Scenario s = Scenario.of(m, target, b -> b, null, new InetSocketAddress(proxy.host(), proxy.port()))
                    .start()) {
                s.awaitStable();
                ProxiedConnection control = proxy.connections().get(0);
                assertThat(control.sentCommand("DFLY", "FLOW")).as("the first connection is the control one").isFalse();
                control.cut();
                Data.mixedWrites(c, "k:", 300, 5);
                awaitSessions(s, 2);
                Data.mixedWrites(c, "k:", 100, 6);
                s.assertConverged();
                Faults.report("ConnectionCutIT " + m.name(), 1, "control connection cut", "converged");
            }
        }
    }
}
