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
        return io.df2redis.testkit.CapturedCases.vectorsRoot();
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

    @Test
    void verifyComparesTwoLiveServersAndExitsWith4OnDifferences() throws Exception {
        String bin = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (bin == null && new java.io.File(dir, "redis-server").canExecute()) {
                bin = dir + "/redis-server";
            }
        }
        if (bin == null && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("redis-server is required in CI");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(bin != null, "redis-server not installed");
        int[] ports = new int[2];
        Process[] procs = new Process[2];
        java.nio.file.Path dir = Files.createTempDirectory("df2redis-verify");
        try {
            for (int i = 0; i < 2; i++) {
                try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                    ports[i] = s.getLocalPort();
                }
                procs[i] = new ProcessBuilder(bin, "--port", Integer.toString(ports[i]), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("redis-" + i + ".log").toFile()).start();
            }
            for (int i = 0; i < 2; i++) {
                send(ports[i], "SET", "k", "v");
                send(ports[i], "RPUSH", "l", "a", "b");
            }
            assertThat(Df2RedisCli.run("verify", "--source", "127.0.0.1:" + ports[0], "--target",
                    "127.0.0.1:" + ports[1])).isZero();
            send(ports[1], "SET", "k", "changed");
            out.reset();
            assertThat(Df2RedisCli.run("verify", "--source", "127.0.0.1:" + ports[0], "--target",
                    "127.0.0.1:" + ports[1])).isEqualTo(Df2RedisCli.DIFFERENCES);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 differences").contains("VALUE db 0 key 'k'");
        } finally {
            for (Process p : procs) {
                if (p != null) {
                    p.destroy();
                    p.waitFor();
                }
            }
        }
    }

    /** Sends one command (retrying while the server starts). */
    private static void send(int port, String... args) throws Exception {
        StringBuilder sb = new StringBuilder("*" + args.length + "\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        for (int attempt = 0; ; attempt++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                s.getOutputStream().write(sb.toString().getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                assertThat(s.getInputStream().read()).isNotEqualTo('-');
                return;
            } catch (java.io.IOException e) {
                if (attempt > 100) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
