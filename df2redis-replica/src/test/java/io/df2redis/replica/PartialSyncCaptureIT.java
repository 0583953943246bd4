package io.df2redis.replica;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real partial-sync capture (v1.40.1): session 1 is a full sync; its master goes away; the
 * replicator reconnects to session 2 (same master id), asks for its applied LSNs with
 * {@code DFLY FLOW … <lsn>}, gets PARTIAL on every flow, starts stable sync without DFLY SYNC
 * and applies the raw journal — ending with exactly the master's keyspace.
 */
class PartialSyncCaptureIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void reconnectsWithAPartialSyncFromTheAppliedLsns() throws Exception {
        Path dir = CapturedCaseReplicationIT.vectors().resolve("dragonfly/v1.40.1/partial-sync-2shards");
        JsonNode hs1 = JSON.readTree(dir.resolve("session-1/handshake.json").toFile());
        JsonNode hs2 = JSON.readTree(dir.resolve("session-2/handshake.json").toFile());
        List<String> fullSyncs = new CopyOnWriteArrayList<>();
        KeyspaceModel model = new KeyspaceModel() {
            @Override
            public synchronized void onFullSyncStart(MasterInfo master) {
                super.onFullSyncStart(master);
                fullSyncs.add(master.syncId());
            }
        };
        EmbeddedDragonflyMaster first = EmbeddedDragonflyMaster.builder().replay(dir.resolve("session-1")).start();
        int port = first.port();
        try (Replicator r = Replicator.builder().source(first.host(), port)
                .options(o -> o.reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(200))).listener(model).build()) {
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).isTrue();
            for (int i = 0; i < 2; i++) {
                long target = hs1.get("flows").get(i).get("next_lsn_at_close").asLong();
                assertThat(first.awaitAck(i, target, Duration.ofSeconds(30))).isTrue();
            }
            first.close();
            try (EmbeddedDragonflyMaster second = EmbeddedDragonflyMaster.builder().replay(dir.resolve("session-2"))
                    .port(port).start()) {
                for (int i = 0; i < 2; i++) {
                    long target = hs2.get("flows").get(i).get("next_lsn_at_close").asLong();
                    assertThat(second.awaitAck(i, target, Duration.ofSeconds(30))).as("flow " + i + " ACK " + target)
                            .isTrue();
                }
                List<String> flowCommands = second.connections().stream().filter(c -> c.flowId() >= 0)
                        .map(c -> String.join(" ", c.commands().get(c.commands().size() > 0
                                && c.commands().get(0).get(0).equalsIgnoreCase("AUTH") ? 1 : 0))).toList();
                assertThat(flowCommands).allMatch(c -> c.startsWith("DFLY FLOW"))
                        .anyMatch(c -> c.endsWith(" 0 " + hs1.get("flows").get(0).get("next_lsn_at_close").asLong()));
                assertThat(second.connections().stream().anyMatch(c -> c.sent("DFLY")
                        && c.commands().stream().anyMatch(x -> x.size() > 1 && x.get(1).equals("SYNC")))).isFalse();
                assertThat(fullSyncs).hasSize(1);
                assertThat(r.stats().fullSyncs()).isEqualTo(1);
                JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
                assertThat(JSON.readTree(JSON.writeValueAsString(model.keyspace()))).isEqualTo(expected);
            }
        }
    }
}
