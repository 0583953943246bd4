package io.df2redis.scenarios;

import io.df2redis.replica.ReplicationState;
import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest.Kind;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Redis-native type in its small and large encodings, in two dbs, some with TTLs; writes
 * to each type while the (slowed) snapshot streams and again in stable sync. Ends caught up and
 * with no difference.
 */
@Timeout(300)
class TypesAndEncodingsIT {

    static List<Kind> kinds() {
        return DragonflyUnderTest.kinds();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyTypeAndEncodingArrivesExactly(Kind kind) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).snapshotEgressLimit(256 * 1024).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target target = Target.standalone();
             SyncRespClient c = m.client()) {
            Data.allTypes(c, "a:", 3000, 200_000);
            Data.ok(c, "SELECT", "3");
            Data.allTypes(c, "db3:", 300, 5000);
            Data.ok(c, "SELECT", "0");
            try (Scenario s = Scenario.of(m, target, b -> b).start()) {
                int during = 0;
                while (s.replicator.state() != ReplicationState.STABLE_SYNC && during < 2000
                        && s.replicator.failure() == null) {
                    Data.mixedWrites(c, "a:", 10, during);
                    during += 10;
                }
                s.awaitStable();
                Data.mixedWrites(c, "a:", 1000, 42);
                Data.ok(c, "SELECT", "3");
                Data.mixedWrites(c, "db3:", 300, 7);
                Data.ok(c, "SELECT", "0");
                System.out.println("[scenario] " + during + " writes during the full sync");
                assertThat(s.assertConverged().sourceKeys()).isGreaterThan(40);
            }
        }
    }
}
