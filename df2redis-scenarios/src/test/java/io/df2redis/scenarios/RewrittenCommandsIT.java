package io.df2redis.scenarios;

import io.df2redis.replica.ReplicationState;
import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest.Kind;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The commands Dragonfly journals in rewritten form ({@link Rewrites}), including MULTI/EXEC
 * and EVAL spanning shards, issued while the (slowed) full sync streams and in stable sync, on
 * 2 and 4 shards: the target ends equal to the master.
 */
@Timeout(300)
class RewrittenCommandsIT {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Kind kind : DragonflyUnderTest.kinds()) {
            out.add(Arguments.of(kind, 2));
            out.add(Arguments.of(kind, 4));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, {1} shards")
    @MethodSource("cases")
    void rewrittenCommandsReplicateExactly(Kind kind, int shards) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(shards).snapshotEgressLimit(64 * 1024).build();
        Random rnd = new Random(shards);
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target target = Target.standalone();
             SyncRespClient c = m.client()) {
            Data.strings(c, "bulk:", 3000);
            for (int r = 0; r < 5; r++) {
                Rewrites.round(c, r, rnd);
            }
            try (Scenario s = Scenario.of(m, target, b -> b).start()) {
                int r = 5;
                while (s.replicator.state() != ReplicationState.STABLE_SYNC && r < 40
                        && s.replicator.failure() == null) {
                    Rewrites.round(c, r++, rnd);
                }
                s.awaitStable();
                for (int end = r + 20; r < end; r++) {
                    Rewrites.round(c, r, rnd);
                }
                s.assertConverged();
            }
        }
    }
}
