package io.df2redis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.SimpleString;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The required structure test: the spec §10 example built on the embedded master in each profile
 * decodes to the same records as the real capture's decoded.json (same ops, entries with the
 * same types and values, the same AUX keys in the same order, the same journal records), modulo
 * offsets, time/memory AUX values, tokens, ids and key order.
 */
class SpecExampleStructureTest {

    @ParameterizedTest
    @CsvSource({"V1_30, v1.30.3", "V1_40, v1.40.1"})
    void specExampleMatchesTheRealCapture(ReleaseProfile profile, String release) {
        Path dir = Vectors.dragonfly(release, "spec-example-1shard");
        JsonNode real = Vectors.json(dir, "decoded.json").path("flows").get(0);
        JsonNode handshake = Vectors.json(dir, "handshake.json");

        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(profile).shards(1).start();
             TestReplica r = TestReplica.connect(m)) {
            // client commands before replication (no journal yet: no replica ever connected)
            m.write("SET", "k", "v");
            m.write("LPUSH", "l", "a", "b");
            m.write("HSET", "h", "f", "v");
            r.fullSync();
            m.write("SET", "k", "v2");
            FlowReader f = r.awaitLsn(0, 2);

            // capa reply: same shape (element count, types, version, flow count, sync id)
            ArrayReply capa = r.capa;
            assertThat(capa.size()).isEqualTo(handshake.path("capa_reply_len").asInt());
            assertThat(((SimpleString) capa.get(0)).value()).hasSize(40);
            assertThat(((SimpleString) capa.get(1)).value()).isEqualTo(handshake.path("sync_id").asText());
            assertThat(((IntegerReply) capa.get(2)).value()).isEqualTo(handshake.path("num_flows").asLong());
            assertThat(((IntegerReply) capa.get(3)).value()).isEqualTo(handshake.path("dfly_version").asLong());
            if (capa.size() == 5) {
                assertThat(((SimpleString) capa.get(4)).value()).isEqualTo(m.masterId());
            }

            JsonNode ours = Structure.json(f.records());
            assertThat(Structure.normalize(ours)).isEqualTo(Structure.normalize(real.path("records")));
            assertThat(Structure.json(f.recorder.summary(f.bytes.size()).get("stats"))).isEqualTo(real.path("stats"));
            assertThat(f.journalOffset()).isEqualTo(real.path("journal_offset").asLong());
            assertThat(f.nextLsn()).isEqualTo(real.path("next_lsn_after_stream").asLong());
            // the only differences left are example values: the byte count is the capture's
            assertThat(f.bytes.size()).isEqualTo(real.path("bytes").asInt());
        }
    }
}
