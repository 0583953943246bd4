package io.df2redis.scenarios;

import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest.Kind;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest;
import io.df2redis.testkit.redis.RedisServerProcess;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The target restarts empty (no persistence) while the replicator follows the master: the
 * replicator must not resume with a partial sync from positions the target no longer holds (that
 * left the keys written before the restart missing); it detects the restart (the target's
 * {@code run_id} changed) and runs a full sync, after which the target equals the master.
 */
@Timeout(300)
class TargetRestartIT {

    static List<Kind> kinds() {
        return DragonflyUnderTest.kinds();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void targetRestartedEmptyGetsAFullSync(Kind kind) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target.Standalone target = Target.standalone();
             SyncRespClient c = m.client()) {
            Data.allTypes(c, "r:", 300, 2000);
            try (Scenario s = Scenario.of(m, target, b -> b).start()) {
                s.awaitStable();
                Data.mixedWrites(c, "r:", 200, 1);
                s.awaitCaughtUp();
                RedisServerProcess redis = target.redis();
                redis.kill();
                Data.mixedWrites(c, "r:", 100, 2);
                redis.launch(); // empty: no RDB, no AOF
                long deadline = System.nanoTime() + Scenario.WAIT.toNanos();
                while (s.replicator.stats().fullSyncs() < 2) {
                    assertThat(s.replicator.failure()).as("replication failed").isNull();
                    assertThat(System.nanoTime()).as("a second full sync after the target restarted")
                            .isLessThan(deadline);
                    TimeUnit.MILLISECONDS.sleep(20);
                }
                s.awaitStable();
                Data.mixedWrites(c, "r:", 100, 3);
                s.assertConverged();
                Faults.report("TargetRestartIT " + m.name(), 1, "target restarted without persistence",
                        "full sync, converged");
            }
        }
    }

    /**
     * A replicator started anew with the checkpoint of an earlier one (as after a deploy): when
     * the target restarted empty in between, the checkpoint names another target ({@code run_id})
     * and a full sync follows, instead of a partial sync that would leave the snapshot missing.
     * With the same target it resumes without a full sync.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aCheckpointIsNotResumedIntoARestartedTarget(Kind kind) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).build();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("df2redis-checkpoint");
        io.df2redis.replica.FileCheckpointStore store = new io.df2redis.replica.FileCheckpointStore(
                dir.resolve("checkpoint"));
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target.Standalone target = Target.standalone();
             SyncRespClient c = m.client()) {
            Data.allTypes(c, "k:", 300, 2000);
            try (Scenario s = Scenario.of(m, target, b -> b, null, null, store).start()) {
                s.awaitStable();
                Data.mixedWrites(c, "k:", 200, 1);
                s.awaitCaughtUp();
            }
            Data.mixedWrites(c, "k:", 100, 2);
            // the same target: resumed, nothing flushed, no full sync
            try (Scenario s = Scenario.of(m, target, b -> b, null, null, store).start()) {
                s.awaitStable();
                assertThat(s.replicator.stats().fullSyncs()).as("resumed from the checkpoint").isZero();
                Data.mixedWrites(c, "k:", 100, 3);
                s.assertConverged();
            }
            RedisServerProcess redis = target.redis();
            redis.kill();
            redis.launch(); // empty: no RDB, no AOF
            Data.mixedWrites(c, "k:", 100, 4);
            try (Scenario s = Scenario.of(m, target, b -> b, null, null, store).start()) {
                s.awaitStable();
                assertThat(s.replicator.stats().fullSyncs()).as("a full sync into the restarted target").isEqualTo(1);
                Data.mixedWrites(c, "k:", 100, 5);
                s.assertConverged();
            }
        }
    }

    /**
     * With the sink's own checkpoint ({@code RedisSink.checkpointStore()}, exactly once) the
     * target that restarted empty lost the checkpoint with its data: the replicator, which reads the
     * checkpoint from the target before every session, finds none and runs a full sync — no
     * {@code run_id} comparison involved. A new replicator resumes from the checkpoint in the target.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void theInTargetCheckpointGoesWithTheTargetsData(Kind kind) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target.Standalone target = Target.standalone();
             SyncRespClient c = m.client()) {
            Data.allTypes(c, "t:", 300, 2000);
            try (Scenario s = Scenario.exactlyOnce(m, target).start()) {
                s.awaitStable();
                Data.mixedWrites(c, "t:", 200, 1);
                s.awaitCaughtUp();
            }
            Data.mixedWrites(c, "t:", 100, 2);
            try (Scenario s = Scenario.exactlyOnce(m, target).start()) {
                s.awaitStable();
                assertThat(s.replicator.stats().fullSyncs()).as("resumed from the checkpoint in the target").isZero();
                Data.mixedWrites(c, "t:", 100, 3);
                s.awaitCaughtUp();
                RedisServerProcess redis = target.redis();
                redis.kill();
                Data.mixedWrites(c, "t:", 100, 4);
                redis.launch(); // empty: no RDB, no AOF, no checkpoint
                long deadline = System.nanoTime() + Scenario.WAIT.toNanos();
                while (s.replicator.stats().fullSyncs() < 1) {
                    assertThat(s.replicator.failure()).as("replication failed").isNull();
                    assertThat(System.nanoTime()).as("a full sync after the target restarted").isLessThan(deadline);
                    TimeUnit.MILLISECONDS.sleep(20);
                }
                s.awaitStable();
                Data.mixedWrites(c, "t:", 100, 5);
                s.assertConverged();
                Faults.report("TargetRestartIT " + m.name(), 1, "target restarted without persistence, in-target "
                        + "checkpoint", "full sync, converged");
            }
        }
    }
}
