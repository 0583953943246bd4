package io.df2redis.scenarios;

import io.df2redis.replica.ReplicationState;
import io.df2redis.sink.redis.UnsupportedData;
import io.df2redis.sink.redis.UnsupportedDataException;
import io.df2redis.sink.redis.UnsupportedDataPolicy;
import io.df2redis.sink.redis.verify.Difference;
import io.df2redis.sink.redis.verify.Report;
import io.df2redis.sink.redis.verify.VerifyOptions;
import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest.Kind;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dragonfly-only data — JSON, Bloom, Count-Min sketch, Top-K, Cuckoo filters, hash fields and
 * set members with their own TTLs (HSETEX, SADDEX) — in the snapshot and in stable sync, into a
 * Redis 7.0 without modules, under each {@link UnsupportedDataPolicy}: FAIL stops with a typed
 * error naming a key; SKIP_AND_COUNT and CALLBACK report every such key, and nothing else
 * differs.
 */
@Timeout(300)
class DragonflyOnlyTypesIT {
    /** Keys of Dragonfly-only data written before the sync. */
    static final Set<String> SNAPSHOT_KEYS = Set.of("j:1", "bf:1", "cms:1", "tk:1", "cf:1", "hx:1", "sx:1");
    /** Keys of Dragonfly-only data written in stable sync. */
    static final Set<String> LIVE_KEYS = Set.of("j:2", "bf:2", "hx:2", "sx:2");

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Kind kind : DragonflyUnderTest.kinds()) {
            for (UnsupportedDataPolicy p : UnsupportedDataPolicy.values()) {
                out.add(Arguments.of(kind, p));
            }
        }
        return out.stream();
    }

    private static void snapshotData(SyncRespClient c) throws Exception {
        Data.strings(c, "plain:", 500);
        Data.ok(c, "JSON.SET", "j:1", "$", "{\"a\":1,\"b\":[1,2,3],\"c\":{\"d\":\"e\"}}");
        Data.ok(c, "BF.ADD", "bf:1", "x");
        Data.ok(c, "CMS.INITBYDIM", "cms:1", "100", "5");
        Data.ok(c, "CMS.INCRBY", "cms:1", "a", "3");
        Data.ok(c, "TOPK.RESERVE", "tk:1", "5");
        Data.ok(c, "TOPK.ADD", "tk:1", "a", "b", "a");
        Data.ok(c, "CF.RESERVE", "cf:1", "1000");
        Data.ok(c, "CF.ADD", "cf:1", "x");
        Data.ok(c, "HSETEX", "hx:1", "3600", "f", "v");
        Data.ok(c, "SADDEX", "sx:1", "3600", "m");
    }

    private static void liveData(SyncRespClient c) throws Exception {
        Data.strings(c, "live:", 100);
        Data.ok(c, "JSON.SET", "j:2", "$", "{\"n\":2}");
        Data.ok(c, "JSON.NUMINCRBY", "j:2", "$.n", "5");
        Data.ok(c, "BF.ADD", "bf:2", "y");
        Data.ok(c, "HSETEX", "hx:2", "3600", "f", "v");
        Data.ok(c, "SADDEX", "sx:2", "3600", "m");
        Data.ok(c, "SET", "after-all", "v");
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void dragonflyOnlyDataUnderEachPolicy(Kind kind, UnsupportedDataPolicy policy) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).build();
        ConcurrentLinkedQueue<String> called = new ConcurrentLinkedQueue<>();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target target = Target.standalone();
             SyncRespClient c = m.client()) {
            snapshotData(c);
            try (Scenario s = Scenario.of(m, target, b -> policy == UnsupportedDataPolicy.CALLBACK
                    ? b.onUnsupported((key, db, type, reason) -> called.add(new String(key)))
                    : b.unsupportedDataPolicy(policy)).start()) {
                if (policy == UnsupportedDataPolicy.FAIL) {
                    assertThatThrownBy(() -> s.replicator.awaitStableSync(Duration.ofSeconds(60)))
                            .isInstanceOf(UnsupportedDataException.class);
                    assertThat(s.replicator.state()).isEqualTo(ReplicationState.FAILED);
                    Throwable root = s.replicator.failure();
                    while (!(root instanceof UnsupportedDataException) && root.getCause() != null) {
                        root = root.getCause();
                    }
                    UnsupportedData d = ((UnsupportedDataException) root).data();
                    assertThat(SNAPSHOT_KEYS).contains(d.keyAsString());
                    assertThat(root.getMessage()).contains(d.keyAsString());
                    return;
                }
                s.awaitStable();
                liveData(c);
                s.awaitCaughtUp();
                Set<String> reported = s.sink.stats().skipped().stream().map(UnsupportedData::keyAsString)
                        .collect(Collectors.toCollection(TreeSet::new));
                Set<String> expected = new TreeSet<>(SNAPSHOT_KEYS);
                expected.addAll(LIVE_KEYS);
                assertThat(reported).as("keys reported as unsupported").isEqualTo(expected);
                if (policy == UnsupportedDataPolicy.CALLBACK) {
                    assertThat(new TreeSet<>(called)).isEqualTo(expected);
                }
                Report report = s.verify(Scenario.defaultVerify(m).toBuilder().skipUnholdable(true).build());
                Set<String> differing = report.differences().stream().map(Difference::key)
                        .collect(Collectors.toCollection(TreeSet::new));
                assertThat(expected).as("every difference was reported as unsupported: " + report.differences())
                        .containsAll(differing);
                assertThat(report.sourceKeys()).isGreaterThan(600);
            }
        }
    }
}
