package io.df2redis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.df2redis.protocol.rdb.RdbKeyValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Full sync of a dataset holding every value type, in both profiles and every compression mode. */
class FullSyncTest {

    static Stream<Arguments> modes() {
        List<Arguments> out = new ArrayList<>();
        for (ReleaseProfile p : List.of(ReleaseProfile.V1_30, ReleaseProfile.V1_40)) { // the captured releases
            for (CompressionMode c : CompressionMode.values()) {
                out.add(Arguments.of(p, c));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modes")
    void everyKeyArrivesWithItsTypeAndValue(ReleaseProfile profile, CompressionMode compression) {
        Map<Integer, List<RdbKeyValue>> data = new LinkedHashMap<>(Datasets.allTypes(profile));
        List<RdbKeyValue> db0 = new ArrayList<>(data.get(0));
        db0.addAll(Datasets.compressible(40));
        data.put(0, db0);
        Map<String, JsonNode> expected = Reference.entries(data, profile);

        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(profile).shards(2)
                .compression(compression).script("return 1").start();
             TestReplica r = TestReplica.connect(m)) {
            data.forEach(m::putAll);
            r.fullSync();

            Map<String, JsonNode> got = new LinkedHashMap<>();
            long lz4 = 0;
            long zstd = 0;
            for (FlowReader f : r.flows) {
                assertThat(f.journalOffset()).isEqualTo(1);
                assertThat(f.fullSyncEndSeen()).isTrue();
                for (Map<String, Object> e : f.entries()) {
                    String key = e.get("db") + ":" + e.get("key");
                    assertThat(m.shardOf((String) e.get("key"))).as("shard of " + key).isEqualTo(f.flow);
                    assertThat(got.put(key, Structure.json(e))).as("duplicate " + key).isNull();
                }
                Map<String, Object> stats = cast(f.recorder.summary(0).get("stats"));
                lz4 += (Long) stats.get("lz4_blobs");
                zstd += (Long) stats.get("zstd_blobs");
                assertThat(stats.get("tagged_chunks")).isEqualTo(0L);
            }
            assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (Map.Entry<String, JsonNode> e : expected.entrySet()) {
                JsonNode g = got.get(e.getKey());
                for (String field : new String[] {"type", "type_name", "count", "value", "expire_at_ms", "df_mask",
                    "mc_flags"}) {
                    assertThat(g.path(field)).as(e.getKey() + " " + field).isEqualTo(e.getValue().path(field));
                }
            }
            assertThat(lz4 > 0).isEqualTo(compression == CompressionMode.LZ4);
            assertThat(zstd > 0).isEqualTo(compression == CompressionMode.ZSTD);
            String bigEnc = got.get("0:str:big").path("detail").path("enc").asText();
            assertThat(bigEnc).isEqualTo(compression == CompressionMode.LZF ? "lzf" : "raw");

            // AUX fields per release (spec §4.3)
            List<String> aux0 = auxKeys(r.flow(0));
            List<String> aux1 = auxKeys(r.flow(1));
            if (profile == ReleaseProfile.V1_30) {
                assertThat(aux0).containsExactly("redis-ver", "df-ver", "redis-bits", "ctime", "used-mem",
                        "aof-preamble", "lua");
                assertThat(aux1).containsExactly("redis-ver", "df-ver", "redis-bits", "ctime", "used-mem",
                        "aof-preamble");
            } else {
                assertThat(aux0).containsExactly("redis-ver", "df-ver", "redis-bits", "ctime", "used-mem",
                        "aof-preamble", "lua", "shard-count", "table-mem", "shard-id");
                assertThat(aux1).containsExactly("redis-ver", "df-ver", "redis-bits", "ctime", "used-mem",
                        "aof-preamble", "shard-id");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    private static List<String> auxKeys(FlowReader f) {
        return f.flatRecords().stream().filter(r -> "AUX".equals(r.get("op"))).map(r -> (String) r.get("key")).toList();
    }
}
