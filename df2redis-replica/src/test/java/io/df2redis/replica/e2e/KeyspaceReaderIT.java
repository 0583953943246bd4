package io.df2redis.replica.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The type-aware reader the suite uses on a real Dragonfly, checked against a real
 * {@code redis-server} (same read commands). With {@code CI=true} a missing redis-server fails.
 */
class KeyspaceReaderIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    static String redisServer() {
        String found = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "redis-server");
            if (found == null && f.canExecute()) {
                found = f.getPath();
            }
        }
        if (found == null && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("redis-server is required in CI (.ci/run installs it)");
        }
        Assumptions.assumeTrue(found != null, "redis-server not installed (outside CI this test is skipped)");
        return found;
    }

    @Test
    void readsEveryTypeTtlAndDbFromALiveServer() throws Exception {
        String bin = redisServer();
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path dir = Files.createTempDirectory("df2redis-redis");
        Process p = new ProcessBuilder(bin, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        try {
            SyncRespClient c = null;
            for (int i = 0; i < 100 && c == null; i++) {
                try {
                    c = SyncRespClient.connect("127.0.0.1", port, null, null);
                } catch (io.df2redis.protocol.client.RespConnectionException e) {
                    Thread.sleep(50);
                }
            }
            assertThat(c).as("redis-server answers").isNotNull();
            try (SyncRespClient client = c) {
                client.ok("SET", "s", "v");
                client.ok("SET", "bin", new byte[] {0, (byte) 0xFF});
                client.ok("SET", "t", "x", "PX", "100000");
                client.ok("RPUSH", "l", "a", "b", "a");
                client.ok("SADD", "set", "b", "a");
                client.ok("HSET", "h", "f2", "2", "f1", "1");
                client.ok("ZADD", "z", "2.5", "b", "1", "a", "+inf", "c");
                client.ok("SELECT", "3");
                client.ok("SET", "db3", "x");
                long before = System.currentTimeMillis();
                JsonNode ks = JSON.readTree(JSON.writeValueAsString(
                        io.df2redis.tools.inspect.KeyspaceReader.read("127.0.0.1", port, null, null, 16)));
                assertThat(List.of(ks.fieldNames().next())).containsExactly("0");
                assertThat(ks.get("3").get("db3").get("value").get("utf8").asText()).isEqualTo("x");
                JsonNode db0 = ks.get("0");
                assertThat(db0.get("bin").get("value").get("b64").asText()).isEqualTo("AP8=");
                assertThat(db0.get("l").get("value").toString()).isEqualTo("[{\"utf8\":\"a\"},{\"utf8\":\"b\"},{\"utf8\":\"a\"}]");
                assertThat(db0.get("set").get("value").toString()).isEqualTo("[{\"utf8\":\"a\"},{\"utf8\":\"b\"}]");
                assertThat(db0.get("h").get("value").toString())
                        .isEqualTo("{\"f1\":{\"utf8\":\"1\"},\"f2\":{\"utf8\":\"2\"}}");
                assertThat(db0.get("z").get("value").toString())
                        .isEqualTo("[[{\"utf8\":\"a\"},1.0],[{\"utf8\":\"b\"},2.5],[{\"utf8\":\"c\"},\"inf\"]]");
                assertThat(db0.get("s").get("expire_at_ms").isNull()).isTrue();
                assertThat(db0.get("t").get("expire_at_ms").asLong()).isBetween(before + 90_000, before + 101_000);
            }
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
