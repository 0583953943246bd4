package io.df2redis.scenarios;

import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest.Kind;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The master restarts while the replicator follows it with the exactly-once checkpoint in the
 * target: its replication id changes and its LSNs start over, so the checkpoint's positions mean
 * nothing there. The replicator must not resume from them: it runs a full sync (flushing what its
 * sink wrote, since the source may have lost or changed keys meanwhile — a real Dragonfly without a
 * snapshot file restarts empty), and the target ends equal to the restarted master.
 */
@Timeout(300)
class MasterRestartIT {

    static List<Kind> kinds() {
        return DragonflyUnderTest.kinds();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aRestartedMasterMeansAFullSyncNotAResume(Kind kind) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target.Standalone target = Target.standalone()) {
            try (SyncRespClient c = m.client()) {
                Data.allTypes(c, "m:", 300, 2000);
            }
            try (Scenario s = Scenario.exactlyOnce(m, target).start()) {
                s.awaitStable();
                try (SyncRespClient c = m.client()) {
                    Data.mixedWrites(c, "m:", 200, 1);
                }
                s.awaitCaughtUp();
                m.restart();
                try (SyncRespClient c = m.client()) {
                    Data.mixedWrites(c, "after:", 200, 2);
                }
                long deadline = System.nanoTime() + Scenario.WAIT.toNanos();
                while (s.replicator.stats().fullSyncs() < 2) {
                    assertThat(s.replicator.failure()).as("replication failed").isNull();
                    assertThat(System.nanoTime()).as("a full sync after the master restarted").isLessThan(deadline);
                    TimeUnit.MILLISECONDS.sleep(20);
                }
                s.awaitStable();
                try (SyncRespClient c = m.client()) {
                    Data.mixedWrites(c, "after:", 100, 3);
                }
                s.assertConverged();
                Faults.report("MasterRestartIT " + m.name(), 1, "master restarted (new replication id)",
                        "full sync, converged");
            }
        }
    }
}
