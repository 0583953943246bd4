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
import java.util.stream.Stream;

/**
 * Several dbs, with FLUSHDB and FLUSHALL issued while the (slowed) full sync streams and again
 * in stable sync, each followed by new writes: the target ends equal to the master, whichever
 * command came when.
 */
@Timeout(300)
class FlushIT {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Kind kind : DragonflyUnderTest.kinds()) {
            for (String during : new String[] {"FLUSHDB", "FLUSHALL", "none"}) {
                for (String stable : new String[] {"FLUSHDB", "FLUSHALL"}) {
                    out.add(Arguments.of(kind, during, stable));
                }
            }
        }
        return out.stream();
    }

    private static void load(SyncRespClient c, int db, int n) throws Exception {
        Data.ok(c, "SELECT", Integer.toString(db));
        Data.strings(c, "db" + db + ":", n);
        Data.allTypes(c, "t" + db + ":", 200, 2000);
    }

    @ParameterizedTest(name = "{0}: {1} during full sync, {2} in stable sync")
    @MethodSource("cases")
    void flushesDuringFullAndStableSync(Kind kind, String during, String stable) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(3).snapshotEgressLimit(128 * 1024).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target target = Target.standalone();
             SyncRespClient c = m.client()) {
            for (int db : new int[] {0, 1, 2}) {
                load(c, db, 3000);
            }
            try (Scenario s = Scenario.of(m, target, b -> b).start()) {
                if (!during.equals("none")) {
                    Data.ok(c, "SELECT", "1");
                    Data.ok(c, "SET", "before-flush", "gone");
                    Data.ok(c, during);
                    Data.strings(c, "after-flush-1:", 50);
                    Data.ok(c, "SELECT", "2");
                    Data.strings(c, "after-flush-2:", 50);
                }
                s.awaitStable();
                Data.ok(c, "SELECT", "2");
                Data.mixedWrites(c, "t2:", 100, 1);
                Data.ok(c, stable);
                Data.strings(c, "stable-after-flush:", 100);
                Data.ok(c, "SELECT", "0");
                Data.mixedWrites(c, "t0:", 100, 2);
                Data.ok(c, "SELECT", "1");
                Data.strings(c, "db1-late:", 20);
                s.assertConverged();
                org.assertj.core.api.Assertions.assertThat(s.replicator.state()).isEqualTo(ReplicationState.STABLE_SYNC);
            }
        }
    }
}
