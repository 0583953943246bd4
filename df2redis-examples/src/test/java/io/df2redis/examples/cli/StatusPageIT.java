package io.df2redis.examples.cli;

import io.df2redis.examples.cli.CliSyncFixture.Cli;
import io.df2redis.examples.cli.CliSyncFixture.Result;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.df2redis.examples.cli.CliSyncFixture.address;
import static io.df2redis.examples.cli.CliSyncFixture.closedPort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status page ({@code --http-port}, {@code /}) in a real headless browser (Debian's
 * {@code chromium}, which {@code .ci/run} installs): during a paced full sync it loads from the jar
 * alone, shows a row per flow, and its numbers move between two loads; a screenshot is kept as a
 * test artifact ({@code target/status-page.png}). Without a browser the test is skipped, except
 * under {@code CI=true}, where that is a failure.
 */
@Timeout(180)
class StatusPageIT {
    private static final int KEYS = 20_000;
    private static final Pattern SNAPSHOT_KEYS = Pattern.compile("id=\"snapshot-keys\">([0-9,]+)<");

    @Test
    void thePageShowsTheFlowsAndItsNumbersMove() throws Exception {
        Path browser = browser();
        int port = closedPort();
        try (RedisServerProcess target = RedisServerProcess.start();
             EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            for (int i = 0; i < KEYS; i++) {
                m.put(0, RdbKeyValue.of("key:" + i, RdbValue.string("value-" + i + "-".repeat(40))));
            }
            // about 600 KB per flow: at 10 KB/s some 60 s of full sync (a page load with a cold browser takes
            // seconds on a loaded machine), the numbers still moving between two loads; released below
            m.paceSnapshot(10_000);
            Cli cli = new Cli();
            ReplicateCommand command = cli.subcommand("replicate");
            CompletableFuture<Result> result = CompletableFuture.supplyAsync(() -> cli.execute("replicate",
                    "--source", address(m), "--target", target.address(), "--no-progress", "--http-port",
                    Integer.toString(port)));
            String url = "http://127.0.0.1:" + port + "/";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!cli.err.toString().contains("/status")) {
                assertThat(System.nanoTime()).as(cli.err.toString()).isLessThan(deadline);
                Thread.sleep(20);
            }

            String first = dumpDom(browser, url);
            assertThat(first).contains("data-flow=\"0\"").contains("data-flow=\"1\"")
                    .contains("full sync").contains("<div id=\"error\"></div>");
            long before = snapshotKeys(first);
            Thread.sleep(1500);
            String second = dumpDom(browser, url);
            long after = snapshotKeys(second);
            assertThat(after).as("snapshot keys shown, first load %d", before).isGreaterThan(before);
            assertThat(after).isLessThanOrEqualTo(KEYS);
            m.paceSnapshot(0);

            Path shot = Path.of("target", "status-page.png").toAbsolutePath();
            Files.deleteIfExists(shot);
            run(browser, List.of("--window-size=1200,900", "--virtual-time-budget=4000", "--screenshot=" + shot, url));
            assertThat(shot).exists();
            assertThat(Files.size(shot)).isGreaterThan(1000);

            command.requestStop();
            Result done = result.get(60, TimeUnit.SECONDS);
            assertThat(done.code()).as(done.err()).isZero();
        }
    }

    private static long snapshotKeys(String dom) {
        Matcher mt = SNAPSHOT_KEYS.matcher(dom);
        assertThat(mt.find()).as("the snapshot key count in the page: %s", dom).isTrue();
        return Long.parseLong(mt.group(1).replace(",", ""));
    }

    /** The page after its script ran for a while (two or three polls of /status). */
    private static String dumpDom(Path browser, String url) throws Exception {
        return run(browser, List.of("--virtual-time-budget=2500", "--dump-dom", url));
    }

    private static String run(Path browser, List<String> args) throws Exception {
        Path profile = Files.createTempDirectory("df2redis-chromium");
        List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile));
        cmd.addAll(args);
        Path out = Files.createTempFile("df2redis-chromium", ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the browser ended").isTrue();
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }

    /** Debian's chromium (or {@code DF2REDIS_CHROMIUM}); missing: skipped, a failure under {@code CI=true}. */
    private static Path browser() throws IOException {
        Optional<Path> found = Optional.ofNullable(System.getenv("DF2REDIS_CHROMIUM")).map(Path::of)
                .filter(Files::isExecutable);
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            if (found.isPresent()) {
                break;
            }
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                Path c = Path.of(dir, name);
                if (Files.isExecutable(c)) {
                    found = Optional.of(c);
                    break;
                }
            }
        }
        if (found.isEmpty()) {
            String why = "no headless browser (chromium) on PATH or in DF2REDIS_CHROMIUM";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why + ": .ci/run installs Debian's chromium");
            }
            Assumptions.abort(why);
        }
        return found.get();
    }
}
