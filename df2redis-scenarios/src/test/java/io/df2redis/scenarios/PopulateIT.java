package io.df2redis.scenarios;

import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest.Kind;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * A dataset made by {@code DEBUG POPULATE} (the way the benchmarks fill a real master: strings of
 * identical bytes, which LZ4 compresses to almost nothing, plus random hashes, lists, sorted sets
 * and keys with TTLs), synced in full, then populated again in stable sync over the same keys and
 * new ones: the target ends equal to the master.
 */
@Timeout(300)
class PopulateIT {

    static Stream<Kind> kinds() {
        return DragonflyUnderTest.kinds().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aPopulatedMasterIsCopiedAndFollowed(Kind kind) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target target = Target.standalone();
             SyncRespClient c = m.client()) {
            Data.ok(c, "DEBUG", "POPULATE", "20000", "key", "32");
            Data.ok(c, "DEBUG", "POPULATE", "300", "h", "64", "RAND", "TYPE", "HASH", "ELEMENTS", "20");
            Data.ok(c, "DEBUG", "POPULATE", "300", "l", "16", "TYPE", "LIST", "ELEMENTS", "50");
            Data.ok(c, "DEBUG", "POPULATE", "200", "z", "30", "RAND", "TYPE", "ZSET", "ELEMENTS", "10");
            // TTLs by EXPIRE, not POPULATE's EXPIRE option, which older releases lack
            Data.ok(c, "DEBUG", "POPULATE", "500", "ttl", "8");
            for (int i = 0; i < 500; i += 2) {
                Data.ok(c, "EXPIRE", "ttl:" + i, Integer.toString(3000 + i));
            }
            try (Scenario s = Scenario.of(m, target, b -> b).start()) {
                s.awaitStable();
                Data.ok(c, "DEBUG", "POPULATE", "25000", "key", "12", "RAND");
                Data.ok(c, "DEBUG", "POPULATE", "100", "h", "64", "RAND", "TYPE", "HASH", "ELEMENTS", "3");
                s.assertConverged();
            }
        }
    }
}
