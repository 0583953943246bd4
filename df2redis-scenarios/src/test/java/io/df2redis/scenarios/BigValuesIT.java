package io.df2redis.scenarios;

import io.df2redis.replica.ReplicationState;
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

/**
 * Containers far above the chunk size ({@code --serialization_max_chunk_size} 4 KiB), so the
 * master sends them in chunks — interleaved across keys — while writes to those same keys and to
 * new keys land during the (slowed) full sync.
 */
@Timeout(300)
class BigValuesIT {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Kind kind : DragonflyUnderTest.kinds()) {
            out.add(Arguments.of(kind, CompressionMode.NONE));
            out.add(Arguments.of(kind, CompressionMode.LZ4));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void bigValuesWrittenWhileTheSnapshotStreams(Kind kind, CompressionMode mode) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).compression(mode).chunkSize(4096)
                .snapshotEgressLimit(512 * 1024).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target target = Target.standalone();
             SyncRespClient c = m.client()) {
            for (int k = 0; k < 6; k++) {
                List<String> elems = new ArrayList<>();
                List<String> pairs = new ArrayList<>();
                for (int i = 0; i < 8000; i++) {
                    elems.add("k" + k + "-element-" + i);
                    pairs.add("field-" + i);
                    pairs.add("value-" + k + "-" + i);
                }
                Data.variadic(c, "RPUSH", "biglist:" + k, elems);
                Data.variadic(c, "SADD", "bigset:" + k, elems);
                Data.variadic(c, "HSET", "bighash:" + k, pairs);
                List<String> z = new ArrayList<>();
                for (int i = 0; i < 8000; i++) {
                    z.add(Integer.toString(i * 7 % 1000));
                    z.add("m-" + i);
                }
                Data.variadic(c, "ZADD", "bigzset:" + k, z);
                Data.ok(c, "SET", "bigstring:" + k, Data.pad("s" + k, 300_000));
            }
            try (Scenario s = Scenario.of(m, target, b -> b).start()) {
                int i = 0;
                while (s.replicator.state() != ReplicationState.STABLE_SYNC && i < 3000
                        && s.replicator.failure() == null) {
                    int k = i % 6;
                    Data.ok(c, "RPUSH", "biglist:" + k, "during-" + i);
                    Data.ok(c, "SADD", "bigset:" + k, "during-" + i);
                    Data.ok(c, "HSET", "bighash:" + k, "field-" + (i * 13 % 8000), "changed-" + i);
                    Data.ok(c, "ZADD", "bigzset:" + k, "-1", "m-" + (i * 17 % 8000));
                    Data.ok(c, "APPEND", "bigstring:" + k, "+");
                    i++;
                }
                System.out.println("[scenario] " + i + " rounds of writes during the full sync");
                s.awaitStable();
                for (int j = 0; j < 300; j++) {
                    Data.ok(c, "LPUSH", "biglist:" + (j % 6), "stable-" + j);
                    Data.ok(c, "SREM", "bigset:" + (j % 6), "k" + (j % 6) + "-element-" + j);
                }
                s.assertConverged();
            }
        }
    }
}
