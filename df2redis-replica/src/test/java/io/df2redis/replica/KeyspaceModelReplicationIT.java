package io.df2redis.replica;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Captures with writes during and after the snapshot: the keyspace a listener builds from the
 * replicator's events (snapshot entries as upserts, then journal blobs and journal entries in
 * flow order, FLUSHDB once) equals the master's keyspace read back after the capture.
 */
class KeyspaceModelReplicationIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"v1.40.1/writes-during-fullsync", "v1.40.1/spec-example-1shard",
        "v1.30.3/spec-example-1shard"})
    void snapshotPlusJournalEqualsTheMastersKeyspace(String name) throws Exception {
        Path dir = CapturedCaseReplicationIT.vectors().resolve("dragonfly").resolve(name);
        JsonNode handshake = JSON.readTree(dir.resolve("handshake.json").toFile());
        try (EmbeddedDragonflyMaster master = EmbeddedDragonflyMaster.replay(dir)) {
            KeyspaceModel model = new KeyspaceModel();
            try (Replicator r = Replicator.builder().source(master.host(), master.port()).listener(model).build()) {
                r.start();
                assertThat(r.awaitStableSync(Duration.ofSeconds(60))).isTrue();
                for (int i = 0; i < handshake.get("num_flows").asInt(); i++) {
                    long target = handshake.get("flows").get(i).get("next_lsn_at_close").asLong();
                    int flow = i;
                    CapturedCaseReplicationIT.awaitTrue(() -> r.stats().flows().get(flow).appliedLsn() == target,
                            "flow " + i + " applied " + target);
                }
                assertThat(model.unsupported).isEmpty();
                JsonNode expected = JSON.readTree(CapturedCaseReplicationIT.read(dir, "expected.json"));
                JsonNode actual = JSON.readTree(JSON.writeValueAsString(model.keyspace()));
                assertThat(actual.size()).isEqualTo(expected.size());
                int keys = 0;
                for (Iterator<String> dbs = expected.fieldNames(); dbs.hasNext(); ) {
                    String db = dbs.next();
                    assertThat(actual.get(db).size()).as("keys in db " + db).isEqualTo(expected.get(db).size());
                    for (Iterator<String> it = expected.get(db).fieldNames(); it.hasNext(); ) {
                        String k = it.next();
                        keys++;
                        assertThat(actual.get(db).get(k)).as(db + "/" + k).isEqualTo(expected.get(db).get(k));
                    }
                }
                assertThat(keys).isGreaterThan(0);
            }
        }
    }
}
