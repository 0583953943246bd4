package io.df2redis.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.df2redis.examples.cli.CliSyncFixture.Cli;
import io.df2redis.examples.cli.CliSyncFixture.Result;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.df2redis.examples.cli.CliSyncFixture.address;
import static io.df2redis.examples.cli.CliSyncFixture.closedPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --http-port}: {@code /health}, {@code /ready} and {@code /status} read with a real HTTP
 * client during a {@code replicate} into a password-protected Redis — through a paced full sync, stable
 * sync, and a lag held up by {@code CLIENT PAUSE} — and never showing the password.
 */
@Timeout(150)
class StatusEndpointIT {
    private static final String SECRET = "status-secret-9f3e";
    private static final int KEYS = 3000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode status(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = get(port, "/status");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(StatusEndpoint.JSON);
        assertThat(r.body()).doesNotContain(SECRET);
        return JSON.readTree(r.body());
    }

    private static void await(String what, Check c) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!c.test()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private interface Check {
        boolean test() throws Exception;
    }

    @Test
    void healthReadyAndStatusFollowTheRun() throws Exception {
        int port = closedPort();
        Path passwordFile = Files.createTempFile("df2redis-target", ".pw");
        Files.writeString(passwordFile, SECRET);
        try (RedisServerProcess target = RedisServerProcess.start("--requirepass", SECRET);
             EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            for (int i = 0; i < KEYS; i++) {
                m.put(0, RdbKeyValue.of("key:" + i, RdbValue.string("value-" + i + "-".repeat(40))));
            }
            // held back (about 100 KB per flow at 2 KB/s: some 50 s) while the test looks at the full sync,
            // released below once it has
            m.paceSnapshot(2_000);
            Cli cli = new Cli();
            ReplicateCommand command = cli.subcommand("replicate");
            CompletableFuture<Result> result = CompletableFuture.supplyAsync(() -> cli.execute("replicate",
                    "--source", address(m), "--target", target.address(), "--target-password-file",
                    passwordFile.toString(), "--no-progress", "--http-port", Integer.toString(port),
                    "--ready-max-lag", "0"));

            await("the full sync", () -> {
                try {
                    return "full_sync".equals(status(port).path("state").asText());
                } catch (IOException notYet) {
                    return false;
                }
            });
            assertThat(get(port, "/health").statusCode()).isEqualTo(200);
            HttpResponse<String> notReady = get(port, "/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(notReady.body()).path("reason").asText()).isEqualTo("state full_sync");
            JsonNode during = status(port);
            assertThat(during.path("mode").asText()).isEqualTo("replicate");
            assertThat(during.path("master").path("address").asText()).isEqualTo(address(m));
            assertThat(during.path("master").path("flows").asInt()).isEqualTo(2);
            assertThat(during.path("totals").path("sourceKeys").asLong()).isEqualTo(KEYS);
            assertThat(during.path("totals").path("snapshotKeys").asLong()).isLessThan(KEYS);
            m.paceSnapshot(0);

            await("ready", () -> get(port, "/ready").statusCode() == 200);
            JsonNode stable = status(port);
            assertThat(stable.path("state").asText()).isEqualTo("stable_sync");
            assertThat(stable.path("totals").path("snapshotKeys").asLong()).isEqualTo(KEYS);
            assertThat(stable.path("flows")).hasSize(2);
            assertThat(stable.path("flows").get(0).path("appliedLsn").isIntegralNumber()).isTrue();
            assertThat(stable.path("sink").path("errors").asLong()).isZero();
            assertThat(stable.path("sink").path("operations").asLong()).isGreaterThanOrEqualTo(KEYS);
            assertThat(stable.path("sink").path("commands").asLong()).isPositive();
            assertThat(stable.path("target").asText()).contains(target.address());
            assertThat(stable.path("lastError").isNull()).isTrue();

            // a lag above --ready-max-lag 0: not ready until Redis takes writes again
            target.call("AUTH", SECRET);
            target.call("CLIENT", "PAUSE", "1500", "WRITE");
            for (int i = 0; i < 50; i++) {
                m.write(0, "SET", "live" + i, "v" + i);
            }
            await("a lag", () -> status(port).path("totals").path("lagEntries").asLong() > 0);
            HttpResponse<String> lagging = get(port, "/ready");
            if (status(port).path("totals").path("lagEntries").asLong() > 0) {
                assertThat(lagging.statusCode()).isEqualTo(503);
                assertThat(lagging.body()).contains("lags");
            }
            await("a lag in time", () -> status(port).path("totals").path("lagMillis").asLong() >= 200
                    || status(port).path("totals").path("lagEntries").asLong() == 0);
            await("caught up and ready again", () -> get(port, "/ready").statusCode() == 200);
            JsonNode caughtUp = status(port);
            assertThat(caughtUp.path("totals").path("lagMillis").asLong()).as("no entry waits").isZero();
            assertThat(caughtUp.path("flows").get(0).path("appliedBytes").asLong()).isPositive();
            assertThat(status(port).path("totals").path("journalEntries").asLong()).isEqualTo(50);
            assertThat(get(port, "/nothing").statusCode()).isEqualTo(404);

            command.requestStop();
            Result done = result.get(60, TimeUnit.SECONDS);
            assertThat(done.code()).as(done.err()).isZero();
            assertThat(done.err()).contains("df2redis: status at http://127.0.0.1:" + port + "/status");
            assertThatThrownBy(() -> get(port, "/health")).as("closed with the run").isInstanceOf(IOException.class);
        } finally {
            Files.deleteIfExists(passwordFile);
        }
    }
}
