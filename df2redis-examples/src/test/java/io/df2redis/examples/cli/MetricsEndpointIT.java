package io.df2redis.examples.cli;

import io.df2redis.examples.cli.CliSyncFixture.Cli;
import io.df2redis.examples.cli.CliSyncFixture.Result;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.df2redis.examples.cli.CliSyncFixture.address;
import static io.df2redis.examples.cli.CliSyncFixture.closedPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --metrics-port}: the run's meters scraped over HTTP in Prometheus text format while it runs. */
@Timeout(120)
class MetricsEndpointIT extends TargetAndReference {
    private static final int KEYS = 400;
    private static final int WRITES = 90;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of every sample of {@code series} (any labels). */
    static double sum(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "(\\{[^}]*})? ([-0-9.eE+NaInf]+)$")
                .matcher(scrape);
        double total = 0;
        boolean found = false;
        while (m.find()) {
            total += Double.parseDouble(m.group(2));
            found = true;
        }
        assertThat(found).as(series + " in\n" + scrape).isTrue();
        return total;
    }

    private static void await(String what, CheckedCondition c) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!c.test()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private interface CheckedCondition {
        boolean test() throws Exception;
    }

    @Test
    void replicateServesPrometheusMetricsWhileItRuns() throws Exception {
        int port = closedPort();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            for (int i = 0; i < KEYS; i++) {
                m.put(0, RdbKeyValue.of("k" + i, RdbValue.string("v" + i)));
            }
            Cli cli = new Cli();
            ReplicateCommand command = cli.subcommand("replicate");
            CompletableFuture<Result> result = CompletableFuture.supplyAsync(() -> cli.execute("replicate",
                    "--source", address(m), "--target", target.address(), "--no-progress",
                    "--metrics-port", Integer.toString(port)));
            await("the snapshot in the target", () ->
                    ((io.df2redis.protocol.resp.IntegerReply) target.call("DBSIZE")).value() >= KEYS);
            String first = get(port, "/metrics").body();
            assertThat(first).as("the first scrape already shows every flow meter")
                    .contains("df2redis_flow_snapshot_entries_total{flow=\"0\"}")
                    .contains("df2redis_flow_journal_applied_total{flow=\"1\"}")
                    .contains("df2redis_flow_lag_seconds{flow=\"1\"}");
            await("stable sync in the metrics", () -> {
                try {
                    return get(port, "/metrics").body().contains("df2redis_replicator_state{state=\"stable_sync\"} 1");
                } catch (IOException notYet) {
                    return false;
                }
            });
            for (int i = 0; i < WRITES; i++) {
                m.write(0, "SET", "live" + i, "x" + i);
            }
            await("the writes applied", () -> sum(get(port, "/metrics").body(), "df2redis_flow_journal_applied_total")
                    == WRITES);
            HttpResponse<String> r = get(port, "/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue(MetricsEndpoint.CONTENT_TYPE);
            String scrape = r.body();
            assertThat(scrape).contains("# TYPE df2redis_flow_applied_lsn gauge")
                    .contains("df2redis_flow_applied_lsn{flow=\"0\"}").contains("df2redis_flow_applied_lsn{flow=\"1\"}")
                    .contains("# TYPE df2redis_sink_commands_total counter")
                    .contains("df2redis_replicator_flows 2")
                    .doesNotContain("password");
            assertThat(sum(scrape, "df2redis_flow_snapshot_entries_total")).isEqualTo(KEYS);
            assertThat(sum(scrape, "df2redis_flow_lag_entries")).isZero();
            assertThat(sum(scrape, "df2redis_flow_lag_seconds")).isZero();
            assertThat(sum(scrape, "df2redis_sink_operations_total")).isGreaterThanOrEqualTo(KEYS + WRITES);
            assertThat(sum(scrape, "df2redis_sink_commands_total")).isPositive();
            assertThat(sum(scrape, "df2redis_sink_errors_total")).isZero();
            assertThat(sum(scrape, "df2redis_flow_received_bytes_total")).isPositive();
            assertThat(get(port, "/other").statusCode()).isEqualTo(404);
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(405);

            command.requestStop();
            Result done = result.get(60, TimeUnit.SECONDS);
            assertThat(done.code()).as(done.err()).isZero();
            assertThat(done.err()).contains("df2redis: metrics at http://127.0.0.1:" + port + "/metrics");
            assertThatThrownBy(() -> get(port, "/metrics")).as("closed with the run").isInstanceOf(IOException.class);
        }
    }

    @Test
    void aPortInUseIsAUsageError() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(1).start();
             ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result r = CliSyncFixture.run("migrate", "--source", address(m), "--target", target.address(),
                    "--metrics-port", Integer.toString(busy.getLocalPort()));
            assertThat(r.code()).isEqualTo(Df2RedisCli.USAGE);
            assertThat(r.err()).contains("cannot serve --metrics-port on 127.0.0.1:" + busy.getLocalPort());
        }
    }
}
