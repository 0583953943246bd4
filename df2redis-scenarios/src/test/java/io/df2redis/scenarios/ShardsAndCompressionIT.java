package io.df2redis.scenarios;

import io.df2redis.testkit.CompressionMode;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 1, 2, 4 and 8 shards ({@code --proactor_threads}) × every compression mode
 * ({@code --compression_mode} 0 none, 1 LZF, 2 ZSTD, 3 LZ4): a mixed data set, writes during and
 * after the full sync, and the flow count and applied LSNs of every flow checked.
 */
@Timeout(300)
class ShardsAndCompressionIT {

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (Kind kind : DragonflyUnderTest.kinds()) {
            for (int shards : new int[] {1, 2, 4, 8}) {
                for (CompressionMode mode : CompressionMode.values()) {
                    out.add(Arguments.of(kind, shards, mode));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, {1} shards, {2}")
    @MethodSource("matrix")
    void shardsAndCompression(Kind kind, int shards, CompressionMode mode) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(shards).compression(mode).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target target = Target.standalone();
             SyncRespClient c = m.client()) {
            Data.allTypes(c, "t:", 1500, 40_000);
            Data.strings(c, "k:", 3000);
            try (Scenario s = Scenario.of(m, target, b -> b).start()) {
                Data.mixedWrites(c, "t:", 200, shards);
                s.awaitStable();
                assertThat(s.replicator.masterInfo().flowCount()).isEqualTo(shards);
                Data.mixedWrites(c, "t:", 500, mode.ordinal());
                Data.strings(c, "live:", 500);
                s.assertConverged();
            }
        }
    }
}
