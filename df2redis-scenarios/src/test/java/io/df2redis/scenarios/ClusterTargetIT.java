package io.df2redis.scenarios;

import io.df2redis.replica.ReplicationState;
import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest.Kind;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest;
import io.df2redis.testkit.redis.RedisClusterProcess;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 3-master Redis Cluster target: a slot moves to another master while the (slowed) full sync
 * streams and another in stable sync, under writes; the sink follows ASK and MOVED without
 * reordering, and the cluster ends equal to the master.
 */
@Timeout(300)
class ClusterTargetIT {

    static List<Kind> kinds() {
        return DragonflyUnderTest.kinds();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void slotMigrationsDuringFullAndStableSync(Kind kind) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).snapshotEgressLimit(128 * 1024).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target.Cluster target = Target.cluster();
             SyncRespClient c = m.client()) {
            RedisClusterProcess cluster = target.cluster();
            Data.strings(c, "{hot}:", 1500);
            Data.strings(c, "k:", 3000);
            Data.allTypes(c, "{warm}:", 300, 3000);
            int hot = cluster.slot("{hot}:0");
            int warm = cluster.slot("{warm}:0");
            try (Scenario s = Scenario.of(m, target, b -> b).start()) {
                RedisClusterProcess.Migration mig = cluster.beginMigration(hot, (cluster.owner(hot) + 1) % 3);
                int round = 0;
                while (s.replicator.state() != ReplicationState.STABLE_SYNC && round < 500
                        && s.replicator.failure() == null) {
                    Data.ok(c, "SET", "{hot}:" + round, "during-" + round);
                    Data.ok(c, "INCR", "{hot}:counter");
                    mig.moveKeys(20);
                    round++;
                }
                s.awaitStable();
                while (mig.moveKeys(200) > 0) {
                    Data.ok(c, "INCR", "{hot}:counter");
                }
                mig.finish();
                RedisClusterProcess.Migration mig2 = cluster.beginMigration(warm, (cluster.owner(warm) + 2) % 3);
                for (int i = 0; i < 300; i++) {
                    Data.mixedWrites(c, "{warm}:", 2, i);
                    Data.ok(c, "INCR", "{hot}:counter");
                    if (i % 10 == 0) {
                        mig2.moveKeys(10);
                    }
                }
                while (mig2.moveKeys(200) > 0) {
                    Data.ok(c, "INCR", "{hot}:counter");
                }
                mig2.finish();
                Data.strings(c, "{warm}:late:", 50);
                s.assertConverged();
                assertThat(s.sink.stats().errors()).isZero();
            }
        }
    }
}
