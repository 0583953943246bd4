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
    private static final int USER_KEYS = 200_000;
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

                // the limit, from the run's own counter, over a window of the full sync (USER_KEYS strings take
                // 10 s at the limit, so the sync outlasts the window). Each document's own uptime times it: an
                // HTTP round trip (the first one pays the cold start, hence the warm-up) counts in neither the
                // operations nor the time. Over 5 s, the bucket's burst (a tenth of a second) and the
                // operations counted before their wait add at most a few percent.
                get(http, status + "/status");
                long[] s0 = operations(http, status);
                TimeUnit.SECONDS.sleep(5); // the measurement window, not a wait for a condition
                long[] s1 = operations(http, status);
                double rate = (s1[0] - s0[0]) / ((s1[1] - s0[1]) / 1e3);
                System.out.printf("[operable] %s: %d operations in %d ms, %.0f/s%n", kind, s1[0] - s0[0], s1[1] - s0[1],
                        rate);
                assertThat(s1[0]).as("the window saw the full sync's writes").isGreaterThan(s0[0]);
                assertThat(rate).as("operations/s under --max-ops %d (%d ops in %d ms)", MAX_OPS, s1[0] - s0[0],
                        s1[1] - s0[1]).isLessThanOrEqualTo(MAX_OPS * 1.1);

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

    /** The sink's operation counter and the run's uptime (ms) from one status document. */
    private static long[] operations(HttpClient http, String status) throws Exception {
        String doc = get(http, status + "/status").body();
        Matcher ops = Pattern.compile("\"operations\":([0-9]+)").matcher(doc);
        Matcher up = Pattern.compile("\"uptimeMillis\":([0-9]+)").matcher(doc);
        assertThat(ops.find()).as(doc).isTrue();
        assertThat(up.find()).as(doc).isTrue();
        return new long[] {Long.parseLong(ops.group(1)), Long.parseLong(up.group(1))};
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
