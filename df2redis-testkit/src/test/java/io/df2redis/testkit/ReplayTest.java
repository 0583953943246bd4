package io.df2redis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.df2redis.protocol.journal.JournalEncoder;
import io.df2redis.protocol.rdb.Compression;
import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbRecords;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.testkit.internal.ReplayBackend;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;

import static io.df2redis.testkit.TestReplica.str;
import static org.assertj.core.api.Assertions.assertThat;

/** Replay mode: a captured case served verbatim. */
class ReplayTest {

    @Test
    void specExampleV140IsByteIdentical() {
        Path dir = Vectors.dragonfly("v1.40.1", "spec-example-1shard");
        JsonNode h = Vectors.json(dir, "handshake.json");
        byte[] expected = Vectors.bytes(dir.resolve("flow-0.bin"));
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.replay(dir);
             TestReplica r = TestReplica.connect(m)) {
            assertThat(m.isReplay()).isTrue();
            assertThat(m.profile()).isEqualTo(ReleaseProfile.V1_40);
            // every main-connection reply is the captured reply_raw
            for (JsonNode c : h.path("commands")) {
                if (!c.path("conn").asText().equals("main") || c.path("cmd").get(0).asText().equals("DFLY")) {
                    continue;
                }
                String[] cmd = new String[c.path("cmd").size()];
                for (int i = 0; i < cmd.length; i++) {
                    cmd[i] = c.path("cmd").get(i).asText();
                }
                assertThat(r.main.send(cmd).readRaw()).isEqualTo(c.path("reply_raw").asText());
            }
            r.masterId = h.path("master_id").asText();
            r.syncId = h.path("sync_id").asText();
            r.numFlows = 1;
            r.openFlows();
            assertThat(r.flow(0).token).isEqualTo(h.path("flows").get(0).path("eof_token").asText());
            r.sync().awaitFullSyncEnd();
            // before STARTSTABLE: everything up to JOURNAL_OFFSET, nothing more
            r.flow(0).readFor(Duration.ofMillis(100));
            assertThat(r.flow(0).bytes.size()).isEqualTo(198);
            r.startStable();
            r.flow(0).readUntil(f -> f.bytes.size() >= expected.length, TestReplica.WAIT);
            assertThat(HexFormat.of().formatHex(r.flow(0).bytes.toByteArray())).isEqualTo(HexFormat.of().formatHex(expected));
            r.ack(0, 2);
            assertThat(m.awaitAck(0, 2, Duration.ofSeconds(5))).isTrue();
            String info = ((BulkString) r.main.call("INFO", "SERVER")).asString();
            assertThat(info).contains("dragonfly_version:df-v1.40.1\r\n");
            assertThat(str(r.main.call("DFLY", "FLOW", "f".repeat(40), "SYNC1", "0"))).isEqualTo("-ERR bad master id");
        }
    }

    @ParameterizedTest
    @CsvSource({"v1.30.3, journal-2shards", "v1.40.1, journal-2shards", "v1.30.3, spec-example-1shard"})
    void multiFlowCasesAreByteIdentical(String release, String caseName) {
        Path dir = Vectors.dragonfly(release, caseName);
        JsonNode decoded = Vectors.json(dir, "decoded.json");
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.replay(dir);
             TestReplica r = TestReplica.connect(m)) {
            r.handshake();
            assertThat(r.masterId).isEqualTo(m.masterId());
            r.openFlows();
            r.sync().awaitFullSyncEnd();
            for (FlowReader f : r.flows) {
                f.readFor(Duration.ofMillis(50));
                // before STARTSTABLE: exactly the bytes up to the JOURNAL_OFFSET record (or its blob)
                assertThat(f.bytes.size()).isEqualTo((int) journalOffsetRecord(decoded.path("flows").get(f.flow)));
            }
            r.startStable();
            for (FlowReader f : r.flows) {
                byte[] expected = Vectors.bytes(dir.resolve("flow-" + f.flow + ".bin"));
                f.readUntil(x -> x.bytes.size() >= expected.length, TestReplica.WAIT);
                assertThat(f.bytes.toByteArray()).isEqualTo(expected);
                JsonNode df = decoded.path("flows").get(f.flow);
                assertThat(f.nextLsn()).isEqualTo(df.path("next_lsn_after_stream").asLong());
                r.ack(f.flow, f.nextLsn());
                assertThat(m.awaitAck(f.flow, f.nextLsn(), Duration.ofSeconds(5))).isTrue();
            }
        }
    }

    /** Offset of the JOURNAL_OFFSET record, or of the compressed blob that holds it. */
    static long journalOffsetRecord(JsonNode flow) {
        for (JsonNode r : flow.path("records")) {
            if (r.path("op").asText().equals("JOURNAL_OFFSET")) {
                return r.path("off").asLong();
            }
            for (JsonNode in : r.path("records")) {
                if (in.path("op").asText().equals("JOURNAL_OFFSET")) {
                    return r.path("off").asLong();
                }
            }
        }
        return -1;
    }

    @Test
    void partialSyncCaseServesItsSessionsInOrder() {
        Path dir = Vectors.dragonfly("v1.40.1", "partial-sync-2shards");
        JsonNode h2 = Vectors.json(dir.resolve("session-2"), "handshake.json");
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.replay(dir)) {
            try (TestReplica r = TestReplica.connect(m)) {
                r.fullSync();
                assertThat(r.syncId).isEqualTo("SYNC1");
                for (FlowReader f : r.flows) {
                    byte[] expected = Vectors.bytes(dir.resolve("session-1/flow-" + f.flow + ".bin"));
                    f.readUntil(x -> x.bytes.size() >= expected.length, TestReplica.WAIT);
                    assertThat(f.bytes.toByteArray()).isEqualTo(expected);
                }
            }
            try (TestReplica r = TestReplica.connect(m)) {
                r.handshake();
                assertThat(r.syncId).isEqualTo("SYNC2");
                long[] lsns = {h2.path("requested_lsns").get(0).asLong(), h2.path("requested_lsns").get(1).asLong()};
                assertThat(r.openFlows(lsns)).containsExactly("PARTIAL", "PARTIAL");
                assertThat(r.flows.get(1).token).isEqualTo(h2.path("flows").get(1).path("eof_token").asText());
                assertThat(str(r.main.call("DFLY", "SYNC", "SYNC2"))).isEqualTo("-ERR invalid state");
                r.startStable();
                for (FlowReader f : r.flows) {
                    byte[] expected = Vectors.bytes(dir.resolve("session-2/flow-" + f.flow + ".bin"));
                    f.readUntil(x -> x.bytes.size() >= expected.length, TestReplica.WAIT);
                    assertThat(f.bytes.toByteArray()).isEqualTo(expected);
                    assertThat(f.nextLsn()).isEqualTo(h2.path("flows").get(f.flow).path("next_lsn_at_close").asLong());
                }
            }
        }
    }

    @Test
    void session2DirectoryAloneCanBeReplayed() {
        Path dir = Vectors.dragonfly("v1.40.1", "partial-sync-2shards").resolve("session-2");
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.replay(dir);
             TestReplica r = TestReplica.connect(m)) {
            r.handshake();
            assertThat(r.openFlows(7, 6)).containsExactly("PARTIAL", "PARTIAL");
            r.startStable();
            byte[] expected = Vectors.bytes(dir.resolve("flow-1.bin"));
            r.flow(1).readUntil(x -> x.bytes.size() >= expected.length, TestReplica.WAIT);
            assertThat(r.flow(1).bytes.toByteArray()).isEqualTo(expected);
        }
    }

    @Test
    void splitPointFindsTheBlobHoldingJournalOffset() {
        RdbEncoder enc = RdbEncoder.dragonfly();
        ByteBuf b = Unpooled.buffer();
        enc.writeHeader(b);
        RdbRecords.writeSelectDb(b, 0);
        enc.writeEntry(b, RdbKeyValue.of("k", RdbValue.string("v")));
        RdbRecords.writeFullSyncEnd(b);
        int blobAt = b.writerIndex();
        ByteBuf inner = Unpooled.buffer();
        for (int i = 0; i < 20; i++) {
            enc.writeJournalBlob(inner, JournalEncoder.commandItem(0, "SET", "key-" + i, "value-value-value"));
        }
        RdbRecords.writeJournalOffset(inner, 21);
        byte[] records = new byte[inner.readableBytes()];
        inner.readBytes(records);
        assertThat(enc.writeFlush(b, Compression.LZ4, records)).isTrue();
        enc.writeEof(b);
        RdbRecords.writeEofToken(b, "0".repeat(40));
        byte[] flow = new byte[b.readableBytes()];
        b.readBytes(flow);
        assertThat(ReplayBackend.splitPoint(flow)).isEqualTo(blobAt);
    }
}
