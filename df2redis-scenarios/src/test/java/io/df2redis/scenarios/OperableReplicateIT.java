package io.df2redis.scenarios;

import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest.Kind;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12's "done means", as an operator runs it: {@code df2redis.jar replicate --http-port
 * --metrics-port --include-key 'user:*' --rename-prefix user:u: --max-ops 20000} under a live load of
 * user and other keys. The status page and JSON are served, the metrics exported, the limit holds
 * (measured from the run's own operation counter), and {@code df2redis.jar verify} with the same
 * filter reports no difference. Runs against the embedded master, or a real Dragonfly when one is
 * configured ({@link DragonflyUnderTest#kinds()}).
 */
@Timeout(600)
class OperableReplicateIT {
    private static final int USER_KEYS = 50_000;
    private static final long MAX_OPS = 20_000;
    private static final Pattern URL = Pattern.compile("(http://[0-9.]+:[0-9]+)/");

    static List<Kind> kinds() {
        return DragonflyUnderTest.kinds();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void filteredRenamedRateLimitedReplicationIsObservableAndExact(Kind kind) throws Exception {
        Path logs = Files.createTempDirectory("df2redis-operable");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, DragonflySpec.builder().shards(2).build());
             Target.Standalone target = Target.standalone();
             SyncRespClient c = m.client()) {
            Data.allTypes(c, "user:", 300, 3000);
            Data.allTypes(c, "other:", 50, 500);
            Data.strings(c, "user:s:", USER_KEYS);
            String source = m.host() + ":" + m.port();
            List<String> filter = List.of("--include-key", "user:*", "--rename-prefix", "user:u:");
            List<String> args = new java.util.ArrayList<>(List.of("replicate", "--source", source, "--target",
                    target.redis().address(), "--http-port", "0", "--metrics-port", "0", "--max-ops",
                    Long.toString(MAX_OPS), "--status-interval", "200ms"));
            args.addAll(filter);
            try (NonIdempotentWorkload users = NonIdempotentWorkload.start(m.client(), "user:w:", 200, 1);
                 NonIdempotentWorkload others = NonIdempotentWorkload.start(m.client(), "other:w:", 200, 2);
                 CliProcess p = CliProcess.start(logs.resolve("replicate.log"), args)) {
                p.awaitLine(l -> l.startsWith("df2redis: status at"), Duration.ofSeconds(60), "the status URL");
                p.awaitLine(l -> l.startsWith("df2redis: metrics at"), Duration.ofSeconds(60), "the metrics URL");
                String status = url(p, "df2redis: status at");
                String metrics = url(p, "df2redis: metrics at");

                // the limit, from the run's own counter, over a window of the full sync
                long ops0 = operations(http, status);
                long t0 = System.nanoTime();
                TimeUnit.MILLISECONDS.sleep(1500);
                long ops1 = operations(http, status);
                double rate = (ops1 - ops0) / ((System.nanoTime() - t0) / 1e9);
                assertThat(ops1).as("the window saw the full sync's writes").isGreaterThan(ops0);
                assertThat(rate).as("operations/s under --max-ops %d", MAX_OPS).isLessThanOrEqualTo(MAX_OPS * 1.1);

                p.awaitLine(l -> l.startsWith("stable sync"), Duration.ofSeconds(180), "a stable sync status line");
                HttpResponse<String> page = get(http, status + "/");
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("<html").contains("id=\"flows\"");
                String json = get(http, status + "/status").body();
                assertThat(json).contains("\"state\":\"stable_sync\"").contains("\"lagMillis\"");
                String scrape = get(http, metrics + "/metrics").body();
                assertThat(scrape).contains("df2redis_flow_applied_lsn").contains("df2redis_flow_lag_seconds")
                        .contains("df2redis_flow_applied_bytes_total").contains("df2redis_sink_operations_total");

                users.close();
                others.close();
                CliProcess verify = null;
                int code = -1;
                for (int attempt = 0; attempt < 20 && code != 0; attempt++) { // the last writes may be on their way
                    TimeUnit.MILLISECONDS.sleep(500);
                    List<String> v = new java.util.ArrayList<>(List.of("verify", "--source", source, "--target",
                            target.redis().address()));
                    v.addAll(filter);
                    verify = CliProcess.start(logs.resolve("verify-" + attempt + ".log"), v);
                    code = verify.await(Duration.ofSeconds(120));
                    verify.close();
                }
                assertThat(code).as("verify with the same filter (%s)", logs).isZero();
                assertThat(((ArrayReply) target.redis().call("KEYS", "other:*")).elements()).as("filtered out").isEmpty();
                assertThat(((ArrayReply) target.redis().call("KEYS", "user:*")).elements()).as("renamed").isEmpty();
                assertThat(((ArrayReply) target.redis().call("KEYS", "u:s:*")).elements()).hasSize(USER_KEYS);
                assertThat(p.stop(Duration.ofSeconds(60))).as("exit code on SIGTERM").isZero();
            }
        }
    }

    private static String url(CliProcess p, String prefix) {
        String line = p.lines().stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
        Matcher mt = URL.matcher(line);
        assertThat(mt.find()).as(line).isTrue();
        return mt.group(1);
    }

    private static long operations(HttpClient http, String status) throws Exception {
        Matcher mt = Pattern.compile("\"operations\":([0-9]+)").matcher(get(http, status + "/status").body());
        assertThat(mt.find()).isTrue();
        return Long.parseLong(mt.group(1));
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
