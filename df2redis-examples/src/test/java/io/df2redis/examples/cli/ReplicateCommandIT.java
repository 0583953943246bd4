package io.df2redis.examples.cli;

import io.df2redis.examples.cli.CliSyncFixture.Cli;
import io.df2redis.examples.cli.CliSyncFixture.Result;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.df2redis.examples.cli.CliSyncFixture.address;
import static io.df2redis.examples.cli.CliSyncFixture.closedPort;
import static io.df2redis.examples.cli.CliSyncFixture.differences;
import static io.df2redis.examples.cli.CliSyncFixture.keyspace;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code df2redis replicate}: full sync, live writes, a clean stop; in-process and as a real process (SIGTERM). */
@Timeout(180)
class ReplicateCommandIT extends TargetAndReference {
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static Map<String, Object> read(RedisServerProcess r) {
        try {
            return keyspace(r);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void followsLiveWritesAndStopsCleanlyWithTheTargetEqual() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(4).start()) {
            CliSyncFixture.fill(m, reference, 1000);
            m.paceSnapshot(300_000);
            Cli cli = new Cli();
            ReplicateCommand command = cli.subcommand("replicate");
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger written = new AtomicInteger();
            // writes during the full sync and after it, to the master and the reference alike
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                int i = 0;
                while (writing.get() || i < 3000) {
                    CliSyncFixture.write(m, reference, i % 3 == 0 ? 3 : 0, "SET", "live:" + (i % 500), "v" + i);
                    if (i % 10 == 0) {
                        CliSyncFixture.write(m, reference, 0, "INCR", "live:counter");
                        CliSyncFixture.write(m, reference, 0, "RPUSH", "list", "live-" + i);
                        CliSyncFixture.write(m, reference, 0, "HSET", "hash", "f" + (i % 7), "x" + i);
                    }
                    if (i % 100 == 99) {
                        CliSyncFixture.write(m, reference, 0, "DEL", "live:" + (i % 500));
                    }
                    i++;
                    written.set(i);
                    if (i % 50 == 0) {
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            });
            CompletableFuture<Result> result = CompletableFuture.supplyAsync(() -> cli.execute("replicate",
                    "--source", address(m), "--target", target.address(), "--status-interval", "100ms"));

            await("stable sync", () -> cli.err.toString().contains("full sync done"));
            int afterSync = written.get();
            await("writes after the full sync", () -> written.get() > afterSync + 500);
            writing.set(false);
            writer.get(60, TimeUnit.SECONDS);
            await("the target to catch up", () -> differences(read(reference), read(target)).isEmpty());
            await("a stable-sync status line", () -> cli.err.toString().contains("stable sync: "));
            assertThat(result).isNotDone();

            command.requestStop(); // what the shutdown hook does on SIGINT/SIGTERM
            Result r = result.get(60, TimeUnit.SECONDS);

            assertThat(r.code()).as(r.err()).isZero();
            assertThat(differences(read(reference), read(target))).isEmpty();
            assertThat(r.out()).contains("replicated for").contains("journal entries").contains("skipped 0 keys");
            assertThat(r.err()).containsPattern("full sync: [0-9,]+/[0-9,]+ keys \\([0-9.]+%\\)")
                    .containsPattern("stable sync: [0-9,]+ ops/s applied, lag [0-9]+/[0-9]+/[0-9]+/[0-9]+ entries")
                    .contains("errors 0");
        }
    }

    @Test
    void aReplicationThatCannotContinueEndsWithFailure() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            m.put(0, io.df2redis.protocol.rdb.RdbKeyValue.of("doc",
                    io.df2redis.protocol.rdb.RdbValue.json("{\"a\":1}")));
            Result r = CliSyncFixture.run("replicate", "--source", address(m), "--target", target.address(),
                    "--no-progress");
            assertThat(r.code()).isEqualTo(Df2RedisCli.FAILURE);
            assertThat(r.err()).contains("replication failed");
        }
    }

    @Test
    @Timeout(30)
    void anUnreachableSourceIsReportedAtOnce() throws Exception {
        int nobody = closedPort();
        Result r = CliSyncFixture.run("replicate", "--source", "127.0.0.1:" + nobody, "--target", target.address());
        assertThat(r.code()).isEqualTo(Df2RedisCli.CONNECT);
        assertThat(r.err()).contains("cannot connect to the source");
    }

    /** The real thing: the CLI as its own JVM, stopped with SIGTERM, exits 0 after its summary. */
    @Test
    void sigtermStopsTheProcessCleanlyWithExitCodeZero() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            CliSyncFixture.fill(m, reference, 200);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path out = Files.createTempFile("df2redis-cli", ".out");
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    Df2RedisCli.class.getName(), "replicate", "--source", address(m), "--target", target.address(),
                    "--status-interval", "200ms")
                    .redirectOutput(out.toFile()).start();
            StringBuilder err = new StringBuilder();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (err) {
                            err.append(line).append('\n');
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            });
            reader.start();
            try {
                await("stable sync in the child process", () -> {
                    synchronized (err) {
                        return err.toString().contains("full sync done") || !p.isAlive();
                    }
                });
                assertThat(p.isAlive()).as(err.toString()).isTrue();
                m.write(0, "SET", "after-sync", "live");
                reference.call("SET", "after-sync", "live");
                await("the live write", () -> differences(read(reference), read(target)).isEmpty());
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                reader.join(10_000);
                String stdout = Files.readString(out);
                assertThat(p.exitValue()).as(stdout + err).isZero();
                assertThat(stdout).contains("replicated for").contains("journal entries");
                assertThat(differences(read(reference), read(target))).isEmpty();
            } finally {
                p.destroyForcibly();
                Files.deleteIfExists(out);
            }
        }
    }
}
