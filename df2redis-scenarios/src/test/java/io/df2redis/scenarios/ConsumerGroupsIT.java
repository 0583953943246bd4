package io.df2redis.scenarios;

import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest.Kind;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

/**
 * Streams with consumer groups worked on during stable sync — XREADGROUP (consumers created,
 * pending entries, last-delivered id), XACK, XCLAIM, XAUTOCLAIM, XGROUP SETID/CREATECONSUMER/
 * DELCONSUMER, XDEL, XTRIM — after a snapshot that already held groups with pending entries:
 * the target's streams equal the master's, groups, consumers and pending entries included.
 */
@Timeout(300)
class ConsumerGroupsIT {

    static List<Kind> kinds() {
        return DragonflyUnderTest.kinds();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void consumerGroupsReplicateExactly(Kind kind) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target target = Target.standalone();
             SyncRespClient c = m.client()) {
            for (int s = 0; s < 4; s++) {
                String key = "stream:" + s;
                for (int i = 1; i <= 200; i++) {
                    Data.ok(c, "XADD", key, i + "-" + s, "n", Integer.toString(i), "s", "v" + s);
                }
                Data.ok(c, "XGROUP", "CREATE", key, "g1", "0");
                Data.ok(c, "XGROUP", "CREATE", key, "g2", "$");
                Data.ok(c, "XREADGROUP", "GROUP", "g1", "alice", "COUNT", "20", "STREAMS", key, ">");
                Data.ok(c, "XACK", key, "g1", "1-" + s, "2-" + s);
            }
            try (Scenario sc = Scenario.of(m, target, b -> b).start()) {
                sc.awaitStable();
                for (int s = 0; s < 4; s++) {
                    String key = "stream:" + s;
                    for (int i = 201; i <= 260; i++) {
                        Data.ok(c, "XADD", key, i + "-" + s, "n", Integer.toString(i));
                    }
                    Data.ok(c, "XREADGROUP", "GROUP", "g1", "bob", "COUNT", "15", "STREAMS", key, ">");
                    Data.ok(c, "XREADGROUP", "GROUP", "g2", "carol", "COUNT", "5", "STREAMS", key, ">");
                    Data.ok(c, "XACK", key, "g1", "25-" + s, "26-" + s, "27-" + s);
                    Data.ok(c, "XCLAIM", key, "g1", "carol", "0", "3-" + s, "4-" + s);
                    Data.ok(c, "XAUTOCLAIM", key, "g1", "dave", "0", "0-0", "COUNT", "3");
                    Data.ok(c, "XGROUP", "CREATECONSUMER", key, "g2", "erin");
                    Data.ok(c, "XGROUP", "DELCONSUMER", key, "g2", "erin");
                    Data.ok(c, "XGROUP", "CREATE", key, "g3", "100-" + s);
                    Data.ok(c, "XGROUP", "SETID", key, "g3", "150-" + s);
                    Data.ok(c, "XDEL", key, "199-" + s);
                    Data.ok(c, "XTRIM", key, "MAXLEN", "240");
                    Data.ok(c, "XADD", key, "*", "auto", "id");
                }
                sc.assertConverged();
            }
        }
    }
}
