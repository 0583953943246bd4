package io.df2redis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Splitting big containers at element boundaries: tagged (v1.40) and untagged (v1.30). */
class TaggedChunksTest {

    static Map<Integer, List<RdbKeyValue>> data() {
        List<RdbKeyValue> db0 = new ArrayList<>();
        db0.add(RdbKeyValue.of("big:list", RdbValue.list(Datasets.strings("list-element-", 300))));
        db0.add(RdbKeyValue.of("small:1", RdbValue.string("one")));
        db0.add(RdbKeyValue.of("big:hash", RdbValue.hash(Datasets.strings("field-", 200), Datasets.strings("value-", 200))));
        db0.add(RdbKeyValue.of("small:2", RdbValue.string("two")));
        db0.add(RdbKeyValue.of("big:set", RdbValue.set(Datasets.strings("member-", 200))).withExpireAtMs(Datasets.FAR_FUTURE_MS));
        for (int i = 3; i < 12; i++) {
            db0.add(RdbKeyValue.of("small:" + i, RdbValue.string("v" + i)));
        }
        Map<Integer, List<RdbKeyValue>> m = new LinkedHashMap<>();
        m.put(0, db0);
        m.put(2, List.of(RdbKeyValue.of("big:zset", RdbValue.zset(Datasets.strings("zm-", 150), Datasets.scores(150)))));
        return m;
    }

    @ParameterizedTest
    @EnumSource(value = CompressionMode.class, names = {"NONE", "LZ4"})
    void taggedChunksInterleaveWithOtherRecords(CompressionMode compression) {
        Map<Integer, List<RdbKeyValue>> data = data();
        Map<String, JsonNode> expected = Reference.entries(data, ReleaseProfile.V1_40);
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().chunkSize(512).compression(compression)
                .start();
             TestReplica r = TestReplica.connect(m)) {
            data.forEach(m::putAll);
            r.fullSync();
            FlowReader f = r.flow(0);
            List<Map<String, Object>> recs = f.flatRecords();
            List<Map<String, Object>> chunks = recs.stream().filter(x -> "TAGGED_CHUNK".equals(x.get("op"))).toList();
            assertThat(chunks.size()).isGreaterThan(20);
            // split at element boundaries: ~512 bytes, except list chunks, which are whole quicklist nodes
            assertThat(chunks).filteredOn(c -> !"big:list".equals(c.get("key")))
                    .allSatisfy(c -> assertThat((Integer) c.get("len")).isLessThanOrEqualTo(600));
            assertThat(chunks.stream().map(c -> c.get("id")).distinct().count()).isEqualTo(4);
            assertThat(interleaved(recs)).as("chunks of one entry with other records between them").isTrue();
            if (compression == CompressionMode.LZ4) {
                assertThat(recs.stream().anyMatch(x -> "LZ4_BLOB".equals(x.get("op")))).isTrue();
            }

            Map<String, JsonNode> got = Reference.byKey(f.records());
            assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (String k : expected.keySet()) {
                assertThat(got.get(k).path("value")).as(k).isEqualTo(expected.get(k).path("value"));
                assertThat(got.get(k).path("expire_at_ms")).as(k).isEqualTo(expected.get(k).path("expire_at_ms"));
                assertThat(got.get(k).has("tagged")).as(k).isEqualTo(k.contains("big:"));
            }
        }
    }

    @Test
    void journalBlobsArriveBetweenTheChunksOfAnEntry() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().chunkSize(256)
                .compression(CompressionMode.NONE).paceSnapshot(20_000).start();
             TestReplica r = TestReplica.connect(m)) {
            m.put(RdbKeyValue.of("big:list", RdbValue.list(Datasets.strings("list-element-", 300))));
            m.put(RdbKeyValue.of("big:hash", RdbValue.hash(Datasets.strings("f-", 300), Datasets.strings("v-", 300))));
            r.handshake();
            r.openFlows();
            r.sync();
            FlowReader f = r.flow(0);
            int i = 0;
            while (!f.fullSyncEndSeen()) {
                m.write("SET", "w:" + i++, "x");
                f.readFor(Duration.ofMillis(15));
            }
            r.startStable().awaitJournal();
            List<Map<String, Object>> recs = f.flatRecords();
            boolean blobBetweenChunks = false;
            Object lastChunkId = null;
            boolean sawBlobSinceChunk = false;
            for (Map<String, Object> x : recs) {
                if ("TAGGED_CHUNK".equals(x.get("op"))) {
                    if (sawBlobSinceChunk && x.get("id").equals(lastChunkId) && !Boolean.TRUE.equals(x.get("first"))) {
                        blobBetweenChunks = true;
                    }
                    lastChunkId = x.get("id");
                    sawBlobSinceChunk = false;
                } else if ("JOURNAL_BLOB".equals(x.get("op"))) {
                    sawBlobSinceChunk = true;
                }
            }
            assertThat(blobBetweenChunks).isTrue();
            assertThat(f.journalOffset()).isEqualTo(m.nextLsn(0)).isEqualTo(1 + i);
        }
    }

    @ParameterizedTest
    @EnumSource(value = CompressionMode.class, names = {"NONE", "LZ4", "ZSTD"})
    void untaggedSplitsAreContiguousAndUncompressed(CompressionMode compression) {
        Map<Integer, List<RdbKeyValue>> data = data();
        List<RdbKeyValue> db0 = new ArrayList<>(data.get(0));
        db0.addAll(Datasets.compressible(30));
        data.put(0, db0);
        Map<String, JsonNode> expected = Reference.entries(data, ReleaseProfile.V1_30);
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(ReleaseProfile.V1_30)
                .chunkSize(512).compression(compression).start();
             TestReplica r = TestReplica.connect(m)) {
            data.forEach(m::putAll);
            r.fullSync();
            FlowReader f = r.flow(0);
            assertThat(f.flatRecords()).noneMatch(x -> "TAGGED_CHUNK".equals(x.get("op")));
            // big entries are top-level records (never inside a compressed blob)
            for (Map<String, Object> x : f.records()) {
                if ("ENTRY".equals(x.get("op"))) {
                    continue;
                }
                if (x.get("records") instanceof List<?> inner) {
                    assertThat(inner).noneMatch(y -> String.valueOf(((Map<?, ?>) y).get("key")).startsWith("big:"));
                }
            }
            assertThat(f.records().stream().filter(x -> "ENTRY".equals(x.get("op")))
                    .map(x -> (String) x.get("key"))).contains("big:list", "big:hash", "big:set", "big:zset");
            if (compression != CompressionMode.NONE) {
                assertThat(f.records()).anyMatch(x -> String.valueOf(x.get("op")).endsWith("_BLOB"));
            }
            Map<String, JsonNode> got = Reference.byKey(f.records());
            assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (String k : expected.keySet()) {
                assertThat(got.get(k).path("value")).as(k).isEqualTo(expected.get(k).path("value"));
            }
        }
    }

    @Test
    void v130CannotHaveTaggedChunks() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddedDragonflyMaster.builder()
                .profile(ReleaseProfile.V1_30).taggedChunks(true).start()).isInstanceOf(IllegalArgumentException.class);
    }

    /** Whether some entry's chunks have another record (another entry's chunk or an entry) between them. */
    static boolean interleaved(List<Map<String, Object>> recs) {
        Map<Object, Integer> lastIndex = new LinkedHashMap<>();
        for (int i = 0; i < recs.size(); i++) {
            Map<String, Object> x = recs.get(i);
            if (!"TAGGED_CHUNK".equals(x.get("op"))) {
                continue;
            }
            Integer prev = lastIndex.put(x.get("id"), i);
            if (prev != null) {
                for (int j = prev + 1; j < i; j++) {
                    Object op = recs.get(j).get("op");
                    if ("ENTRY".equals(op) && recs.get(j).get("tagged") == null
                            || "TAGGED_CHUNK".equals(op) && !recs.get(j).get("id").equals(x.get("id"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
