package io.df2redis.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InspectCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream saved;

    @BeforeEach
    void captureStdout() {
        saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStdout() {
        System.setOut(saved);
    }

    static Path vectors() {
        String p = System.getProperty("df2redis.vectors");
        Path root = p != null ? Paths.get(p) : Paths.get("../../shared/vectors");
        assertThat(root).isDirectory();
        return root;
    }

    @Test
    void printsTheKeyspaceOfARedisRdbFileExactlyInTheVectorsShape() throws Exception {
        Path dir = vectors().resolve("redis");
        for (String name : new String[] {"hash-zipmap", "zset-ziplist", "list-quicklist", "scriptbackup"}) {
            out.reset();
            int code = Df2RedisCli.run("inspect", "--compact", dir.resolve(name + ".rdb").toString());
            assertThat(code).isZero();
            JsonNode actual = JSON.readTree(out.toByteArray());
            assertThat(actual).as(name).isEqualTo(JSON.readTree(dir.resolve(name + ".expected.json").toFile()));
        }
    }

    @Test
    void printsAFlowRecordByRecordLikeTheReferenceDecoder() throws Exception {
        Path dir = vectors().resolve("dragonfly/v1.40.1/spec-example-1shard");
        int code = Df2RedisCli.run("inspect", "--flow", "--compact", dir.resolve("flow-0.bin").toString());
        assertThat(code).isZero();
        JsonNode ours = JSON.readTree(out.toByteArray()).get("flows").get(0);
        JsonNode ref = JSON.readTree(Files.readAllBytes(dir.resolve("decoded.json"))).get("flows").get(0);
        assertThat(ops(ours)).isEqualTo(ops(ref));
        assertThat(ours.get("stats")).isEqualTo(ref.get("stats"));
        assertThat(ours.get("next_lsn_after_stream")).isEqualTo(ref.get("next_lsn_after_stream"));
    }

    @Test
    void corruptInputExitsWithCode3() {
        int code = Df2RedisCli.run("inspect", vectors().resolve("redis/corrupt_ziplist.rdb").toString());
        assertThat(code).isEqualTo(Df2RedisCli.CORRUPT_INPUT);
    }

    @Test
    void missingFileExitsWithCode1AndBadUsageWith2() {
        assertThat(Df2RedisCli.run("inspect", "/nonexistent/file.rdb")).isEqualTo(Df2RedisCli.FAILURE);
        assertThat(Df2RedisCli.run("inspect")).isEqualTo(Df2RedisCli.USAGE);
    }

    private static List<String> ops(JsonNode flow) {
        List<String> ops = new ArrayList<>();
        flow.get("records").forEach(r -> ops.add(r.get("op").asText() + "@" + r.path("off").asText()));
        return ops;
    }

    @Test
    void demoReplicatesTheEmbeddedMasterEndToEnd() {
        int code = Df2RedisCli.run("demo", "--no-redis", "--keys", "2000", "--shards", "2");
        assertThat(code).isZero();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("handshake: df-v1.40.1, 2 flows").contains("full sync done")
                .contains("2001 journal entries applied").contains("in-memory replica: 2005 keys");
    }
}
