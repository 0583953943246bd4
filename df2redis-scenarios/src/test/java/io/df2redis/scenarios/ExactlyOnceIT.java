package io.df2redis.scenarios;

import io.df2redis.replica.ReplicationState;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.verify.Report;
import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest.Kind;
import io.df2redis.testkit.proxy.Direction;
import io.df2redis.testkit.proxy.FaultProxy;
import io.df2redis.testkit.proxy.ProxiedConnection;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sink's exactly-once checkpoint ({@code RedisSink.checkpointStore()}) under connection cuts
 * between the sink and Redis, at random bytes of Redis' replies: a cut may lose the reply to an
 * {@code EXEC} that ran, so the replicator cannot know whether its last transaction was applied. It
 * must read the position from the target before it resumes, so that the live non-idempotent
 * workload (INCR, APPEND, LPUSH, HINCRBY, XADD) ends exactly equal — a transaction applied twice
 * would show as a counter, a list or a stream that differs (and XADD would even fail). The faults
 * and the outcome are printed.
 */
@Timeout(600)
class ExactlyOnceIT {
    static final int CUTS = Integer.getInteger("df2redis.cuts", 24);

    static List<Kind> kinds() {
        return DragonflyUnderTest.kinds();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void targetConnectionCutsApplyNothingTwice(Kind kind) throws Exception {
        long seed = Long.getLong("df2redis.seed", System.nanoTime());
        Random rnd = new Random(seed);
        System.out.println("[seed] ExactlyOnceIT seed " + seed + " (-Ddf2redis.seed=" + seed + " repeats it)");
        DragonflySpec spec = DragonflySpec.builder().shards(2).backlogLength(1_000_000).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target.Standalone target = Target.standalone();
             FaultProxy proxy = FaultProxy.start("127.0.0.1", target.redis().port());
             SyncRespClient c = m.client()) {
            Data.allTypes(c, "seed:", 200, 2000);
            RedisSink sink = RedisSink.standalone(proxy.host() + ":" + proxy.port()).build();
            Replicator r = Replicator.builder().source(Scenario.source(m, null, null)).ownedSink(sink)
                    .checkpointStore(sink.checkpointStore())
                    .options(o -> o.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(500)))
                    .build();
            int faults = 0;
            try (r; NonIdempotentWorkload load = NonIdempotentWorkload.start(m.client(), "x:", 400, seed)) {
                r.start();
                assertThat(r.awaitStableSync(Scenario.WAIT)).as("stable sync; failure %s", r.failure()).isTrue();
                for (int i = 0; i < CUTS; i++) {
                    TimeUnit.MILLISECONDS.sleep(100 + rnd.nextInt(400));
                    ProxiedConnection lane = proxy.awaitConnection(ExactlyOnceIT::flowLane, Duration.ofSeconds(60));
                    long sessions = r.stats().sessions();
                    lane.cutAtRandomByte(rnd, Direction.UPSTREAM_TO_CLIENT, 2_000);
                    faults++;
                    awaitNewStableSession(r, sessions);
                }
                load.close();
                Report report = KillResumeIT.awaitEqual(m, target, Duration.ofSeconds(120));
                Faults.report("ExactlyOnceIT " + m.name(), faults, "sink-Redis connection cut at a random reply byte",
                        load.ops() + " non-idempotent writes; " + r.stats().sessions() + " sessions, "
                        + r.stats().fullSyncs() + " full sync(s); " + report.summary());
                assertThat(report.differences()).as("differences after %d cuts", faults).isEmpty();
                assertThat(r.stats().fullSyncs()).as("every cut resumed with a partial sync").isEqualTo(1);
            }
        }
    }

    /**
     * A flow's lane (the proxy sees a connection's first 256 bytes only): not the checkpoint
     * store's connection ({@code HGETALL}, {@code HSETNX}), not the control lane or a probe
     * ({@code INFO}, {@code EXISTS}); a lane that started in stable sync opens a transaction at
     * once, one that carried the snapshot has sent much more.
     */
    private static boolean flowLane(ProxiedConnection p) {
        return p.isOpen() && !p.sentCommand("HGETALL") && !p.sentCommand("HSETNX") && !p.sentCommand("INFO")
                && !p.sentCommand("EXISTS") && (p.sentCommand("MULTI") || p.bytesClientToUpstream() > 20_000);
    }

    /** Waits until a session after the {@code before}-th one reached stable sync. */
    private static void awaitNewStableSession(Replicator r, long before) throws InterruptedException {
        long deadline = System.nanoTime() + Scenario.WAIT.toNanos();
        while (r.stats().sessions() <= before || r.state() != ReplicationState.STABLE_SYNC) {
            assertThat(r.failure()).as("replication failed").isNull();
            assertThat(System.nanoTime()).as("a new session reached stable sync after the cut").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
