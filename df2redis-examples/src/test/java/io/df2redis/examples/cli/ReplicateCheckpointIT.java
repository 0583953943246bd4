package io.df2redis.examples.cli;

import io.df2redis.examples.cli.CliSyncFixture.Cli;
import io.df2redis.examples.cli.CliSyncFixture.Result;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.replica.Checkpoint;
import io.df2redis.replica.FileCheckpointStore;
import io.df2redis.testkit.ConnectionRecord;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.df2redis.examples.cli.CliSyncFixture.address;
import static io.df2redis.examples.cli.CliSyncFixture.differences;
import static io.df2redis.examples.cli.CliSyncFixture.keyspace;
import static io.df2redis.examples.cli.CliSyncFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code replicate --checkpoint FILE}: a second run resumes with a partial sync into the target the
 * first one filled (no refusal of its keys, no full sync, nothing missing: {@code verify} finds no
 * difference); {@code --fresh}, a restarted Dragonfly (new replication id), positions the source no
 * longer holds, another target and an emptied target all mean a full sync, with the reason printed
 * and the target policy applied. The embedded master's record of every {@code DFLY FLOW} (with or
 * without an LSN) and {@code DFLY SYNC} is the evidence of what was asked.
 */
@Timeout(300)
class ReplicateCheckpointIT extends TargetAndReference {
    @TempDir
    Path dir;

    // ------------------------------------------------------------------ fixtures

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

    /** A {@code replicate} running in-process until {@link #stop()}. */
    private record Running(Cli cli, ReplicateCommand command, CompletableFuture<Result> result) {
        static Running start(String... args) {
            Cli cli = new Cli();
            ReplicateCommand command = cli.subcommand("replicate");
            return new Running(cli, command, CompletableFuture.supplyAsync(() -> cli.execute(args)));
        }

        String err() {
            return cli.err.toString();
        }

        /** What SIGINT/SIGTERM do (the shutdown hook's path); the run's result. */
        Result stop() throws Exception {
            assertThat(result).as(err()).isNotDone();
            command.requestStop();
            return result.get(60, TimeUnit.SECONDS);
        }
    }

    /** Writes to the master and the reference alike, on its own thread, until stopped. */
    private static final class Writer implements AutoCloseable {
        private final Thread thread;
        private final AtomicInteger written = new AtomicInteger();
        private volatile boolean stop;
        private volatile Throwable error;

        Writer(EmbeddedDragonflyMaster m, String prefix) {
            thread = new Thread(() -> {
                try {
                    for (int i = 0; !stop; i++) {
                        CliSyncFixture.write(m, reference, i % 3 == 0 ? 3 : 0, "SET", prefix + ":" + (i % 300), "v" + i);
                        if (i % 10 == 0) {
                            CliSyncFixture.write(m, reference, 0, "INCR", prefix + ":counter");
                            CliSyncFixture.write(m, reference, 0, "RPUSH", "list", prefix + "-" + i);
                        }
                        if (i % 50 == 49) {
                            CliSyncFixture.write(m, reference, 0, "DEL", "bulk:" + (i % 1000));
                        }
                        written.incrementAndGet();
                        if (i % 20 == 0) {
                            Thread.sleep(2);
                        }
                    }
                } catch (Throwable e) {
                    error = e;
                }
            }, "writer-" + prefix);
            thread.setDaemon(true);
            thread.start();
        }

        void awaitMore(int n) throws InterruptedException {
            int from = written.get();
            await(n + " more writes", () -> written.get() >= from + n || error != null);
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join(30_000);
            assertThat(error).as("writer error").isNull();
        }
    }

    /** Writes made while no replicate runs. */
    private static void writeBetweenRuns(EmbeddedDragonflyMaster m, String prefix, int n) {
        for (int i = 0; i < n; i++) {
            CliSyncFixture.write(m, reference, i % 2, "SET", prefix + ":" + i, "between-" + i);
            if (i % 5 == 0) {
                CliSyncFixture.write(m, reference, 0, "INCR", prefix + ":counter");
                CliSyncFixture.write(m, reference, 0, "DEL", "bulk:" + (2 * i));
            }
        }
    }

    private String[] replicate(EmbeddedDragonflyMaster m, String targetAddress, Path file, String... extra) {
        List<String> args = new ArrayList<>(List.of("replicate", "--source", address(m), "--target", targetAddress,
                "--status-interval", "100ms"));
        if (file != null) {
            args.addAll(List.of("--checkpoint", file.toString()));
        }
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** A first run with the checkpoint: full sync, writes, caught up, stopped; the checkpoint it left. */
    private Checkpoint firstRun(EmbeddedDragonflyMaster m, Path file) throws Exception {
        Running first = Running.start(replicate(m, target.address(), file));
        try (Writer w = new Writer(m, "first")) {
            await("the full sync", () -> first.err().contains("full sync done") || first.result().isDone());
            assertThat(first.result()).as(first.err()).isNotDone();
            w.awaitMore(300);
        }
        await("the target to catch up", () -> differences(read(reference), read(target)).isEmpty());
        Result r = first.stop();
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("full sync: there is no checkpoint in " + file.toAbsolutePath() + " yet");
        Checkpoint c = new FileCheckpointStore(file).load().orElseThrow();
        assertThat(c.resumable()).isTrue();
        assertThat(c.masterId()).isEqualTo(m.masterId());
        // saved after the final drain: the position covers everything applied
        assertThat(r.out()).contains("applied LSN per flow " + ResumeCheck.lsns(c))
                .contains("checkpoint " + file.toAbsolutePath() + ": next LSNs " + ResumeCheck.lsns(c));
        return c;
    }

    private static long lastConnectionId(EmbeddedDragonflyMaster m) {
        return m.connections().stream().mapToLong(ConnectionRecord::id).max().orElse(0);
    }

    /** Every {@code DFLY FLOW} sent on a connection opened after {@code afterId}, in connection order. */
    private static List<List<String>> flowCommands(EmbeddedDragonflyMaster m, long afterId) {
        return m.connections().stream().filter(c -> c.id() > afterId)
                .sorted(Comparator.comparingLong(ConnectionRecord::id))
                .flatMap(c -> c.commands().stream())
                .filter(cmd -> cmd.size() > 2 && cmd.get(0).equalsIgnoreCase("DFLY") && cmd.get(1).equalsIgnoreCase("FLOW"))
                .toList();
    }

    private static boolean sentDflySync(EmbeddedDragonflyMaster m, long afterId) {
        return m.connections().stream().filter(c -> c.id() > afterId).flatMap(c -> c.commands().stream())
                .anyMatch(cmd -> cmd.size() > 1 && cmd.get(0).equalsIgnoreCase("DFLY")
                        && cmd.get(1).equalsIgnoreCase("SYNC"));
    }

    /** The run after {@code afterId} asked for full syncs only: every DFLY FLOW without an LSN, and DFLY SYNC. */
    private static void assertFullSyncAsked(EmbeddedDragonflyMaster m, long afterId) {
        List<List<String>> flows = flowCommands(m, afterId);
        assertThat(flows).isNotEmpty().allSatisfy(cmd -> assertThat(cmd).as("DFLY FLOW without an LSN").hasSize(5));
        assertThat(sentDflySync(m, afterId)).isTrue();
    }

    private static long dbsize(RedisServerProcess r) {
        return ((IntegerReply) r.call("DBSIZE")).value();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void aSecondRunResumesIntoItsOwnTargetWithAPartialSyncAndNothingIsMissing() throws Exception {
        Path file = dir.resolve("state/replicate.checkpoint"); // the directory is created
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(4).backlogLength(1_000_000).start()) {
            CliSyncFixture.fill(m, reference, 1000);
            Checkpoint saved = firstRun(m, file);

            writeBetweenRuns(m, "between", 400);
            long before = lastConnectionId(m);
            Running second = Running.start(replicate(m, target.address(), file));
            await("the resume", () -> second.err().contains("resumed from the checkpoint") || second.result().isDone());
            assertThat(second.result()).as(second.err()).isNotDone();
            try (Writer w = new Writer(m, "second")) {
                w.awaitMore(300);
            }
            await("the target to catch up", () -> differences(read(reference), read(target)).isEmpty());
            Result r = second.stop();

            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).contains("resumed from the checkpoint " + file.toAbsolutePath() + ": partial sync "
                            + "from next LSNs " + ResumeCheck.lsns(saved))
                    .doesNotContain("holds keys").doesNotContain("full sync:").doesNotContain("full sync done");
            assertThat(r.out()).contains("started with a partial sync from next LSNs " + ResumeCheck.lsns(saved))
                    .contains("0 full syncs").contains("checkpoint " + file.toAbsolutePath() + ": next LSNs ");
            // what the master was asked: every flow from the saved LSN, no snapshot
            List<List<String>> flows = flowCommands(m, before);
            assertThat(flows).hasSizeGreaterThanOrEqualTo(4);
            for (List<String> cmd : flows.subList(0, 4)) {
                assertThat(cmd).as("DFLY FLOW with an LSN").hasSize(6);
                int flow = Integer.parseInt(cmd.get(4));
                assertThat(Long.parseLong(cmd.get(5))).as("flow " + flow).isEqualTo(saved.nextLsns().get(flow));
            }
            assertThat(sentDflySync(m, before)).as("DFLY SYNC (a full sync)").isFalse();
            Checkpoint after = new FileCheckpointStore(file).load().orElseThrow();
            assertThat(r.out()).contains("applied LSN per flow " + ResumeCheck.lsns(after));

            Result v = run("verify", "--source", address(m), "--target", target.address(), "--recheck-delay", "100");
            assertThat(v.code()).as(v.out() + v.err()).isZero();
        }
    }

    @Test
    void freshSetsTheCheckpointAsideForAFullSyncUnderTheTargetPolicy() throws Exception {
        Path file = dir.resolve("fresh.checkpoint");
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            CliSyncFixture.fill(m, reference, 200);
            firstRun(m, file);
            byte[] kept = Files.readAllBytes(file);
            long keys = dbsize(target);

            Result refused = run(replicate(m, target.address(), file, "--fresh"));
            assertThat(refused.code()).as(refused.err()).isEqualTo(Df2RedisCli.USAGE);
            assertThat(refused.err()).contains("--fresh sets the checkpoint " + file.toAbsolutePath() + " aside")
                    .contains("holds keys").contains("--target-policy flush");
            assertThat(Files.readAllBytes(file)).as("a refused run keeps the checkpoint").isEqualTo(kept);
            assertThat(dbsize(target)).isEqualTo(keys);

            writeBetweenRuns(m, "between", 100);
            long before = lastConnectionId(m);
            Running again = Running.start(replicate(m, target.address(), file, "--fresh", "--target-policy", "flush"));
            await("the full sync", () -> again.err().contains("full sync done") || again.result().isDone());
            await("the target to catch up", () -> differences(read(reference), read(target)).isEmpty());
            Result r = again.stop();
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).contains("--fresh: removed the checkpoint " + file.toAbsolutePath()
                            + "; a full sync follows (--target-policy flush)")
                    .contains("full sync: --fresh sets the checkpoint").doesNotContain("resumed");
            assertThat(r.out()).contains("1 full sync,").contains("started with a full sync: --fresh");
            assertFullSyncAsked(m, before);
            assertThat(new FileCheckpointStore(file).load().orElseThrow().resumable()).isTrue();

            // without --checkpoint, --fresh sets the target's own checkpoint aside: the target policy decides
            Result usage = run("replicate", "--source", address(m), "--target", target.address(), "--fresh");
            assertThat(usage.code()).isEqualTo(Df2RedisCli.USAGE);
            assertThat(usage.err()).contains("--fresh sets the checkpoint 'df2redis:checkpoint' in the target aside")
                    .contains("holds keys");
        }
    }

    @Test
    void aCheckpointOfARestartedDragonflyMeansAFullSyncUnderTheTargetPolicy() throws Exception {
        Path file = dir.resolve("restart.checkpoint");
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            CliSyncFixture.fill(m, reference, 200);
            firstRun(m, file);
            String oldId = m.masterId();
            m.restart(); // a new replication id; the data set is kept
            String newId = m.masterId();
            assertThat(newId).isNotEqualTo(oldId);
            writeBetweenRuns(m, "after-restart", 100);
            long keys = dbsize(target);

            Result refused = run(replicate(m, target.address(), file));
            assertThat(refused.code()).as(refused.err()).isEqualTo(Df2RedisCli.USAGE);
            assertThat(refused.err()).contains("the checkpoint " + file.toAbsolutePath() + " cannot be resumed: it is "
                            + "from the Dragonfly with master_replid " + oldId + ", the source's is now " + newId)
                    .contains("holds keys").contains("--target-policy flush");
            assertThat(dbsize(target)).as("nothing written").isEqualTo(keys);

            long before = lastConnectionId(m);
            Running again = Running.start(replicate(m, target.address(), file, "--target-policy", "flush"));
            await("the full sync", () -> again.err().contains("full sync done") || again.result().isDone());
            await("the target to catch up", () -> differences(read(reference), read(target)).isEmpty());
            Result r = again.stop();
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).contains("full sync: the checkpoint " + file.toAbsolutePath() + " cannot be resumed: "
                    + "it is from the Dragonfly with master_replid " + oldId);
            assertFullSyncAsked(m, before);
            assertThat(new FileCheckpointStore(file).load().orElseThrow().masterId()).isEqualTo(newId);
        }
    }

    /**
     * The pre-flight checks expect a resume (same master, same target) and let the target's keys
     * be, but the source no longer holds the positions: the replicator runs a full sync, and the
     * target policy applies to it — refused by default, with the reason; flush then works.
     */
    @Test
    void positionsTheSourceNoLongerHoldsMeanAFullSyncUnderTheTargetPolicy() throws Exception {
        Path file = dir.resolve("backlog.checkpoint");
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).backlogLength(10).start()) {
            CliSyncFixture.fill(m, reference, 200);
            Checkpoint saved = firstRun(m, file);
            writeBetweenRuns(m, "overflow", 300); // far more than 10 entries per shard
            long keys = dbsize(target);

            long before = lastConnectionId(m);
            Result refused = run(replicate(m, target.address(), file));
            assertThat(refused.code()).as(refused.err()).isEqualTo(Df2RedisCli.USAGE);
            assertThat(refused.err()).contains("names this source and this target")
                    .contains("applies --target-policy refuse")
                    .contains("a full sync was needed: the source answered FULL to the partial sync from the checkpoint "
                            + file.toAbsolutePath() + " (next LSNs " + ResumeCheck.lsns(saved) + "): it no longer holds "
                            + "those positions in its backlog")
                    .contains("holds keys").contains("--target-policy flush");
            assertThat(flowCommands(m, before)).isNotEmpty()
                    .allSatisfy(cmd -> assertThat(cmd).as("the partial sync was asked for").hasSize(6));
            assertThat(dbsize(target)).as("nothing written").isEqualTo(keys);

            before = lastConnectionId(m);
            Running again = Running.start(replicate(m, target.address(), file, "--target-policy", "flush"));
            await("the full sync", () -> again.err().contains("full sync done") || again.result().isDone());
            await("the target to catch up", () -> differences(read(reference), read(target)).isEmpty());
            Result r = again.stop();
            assertThat(r.code()).as(r.err()).isZero();
            // the refused run's full-sync start left a checkpoint without positions
            assertThat(r.err()).contains("full sync: the checkpoint " + file.toAbsolutePath() + " cannot be resumed: "
                    + "it was saved when a full sync started that did not finish");
            assertFullSyncAsked(m, before);
        }
    }

    /** The CLI as its own JVM, stopped with SIGTERM: the checkpoint saved after the drain covers everything applied. */
    @Test
    void sigtermSavesTheLastCheckpointAfterTheDrain() throws Exception {
        Path file = dir.resolve("sigterm.checkpoint");
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            CliSyncFixture.fill(m, reference, 200);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path out = Files.createTempFile(dir, "df2redis-cli", ".out");
            Path errFile = Files.createTempFile(dir, "df2redis-cli", ".err");
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    Df2RedisCli.class.getName(), "replicate", "--source", address(m), "--target", target.address(),
                    "--checkpoint", file.toString(), "--status-interval", "200ms")
                    .redirectOutput(out.toFile()).redirectError(errFile.toFile()).start();
            try {
                await("stable sync in the child process",
                        () -> readQuietly(errFile).contains("full sync done") || !p.isAlive());
                assertThat(p.isAlive()).as(readQuietly(errFile)).isTrue();
                try (Writer w = new Writer(m, "sigterm")) {
                    w.awaitMore(200);
                }
                await("the target to catch up", () -> differences(read(reference), read(target)).isEmpty());
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String stdout = Files.readString(out);
                assertThat(p.exitValue()).as(stdout + readQuietly(errFile)).isZero();
                Checkpoint c = new FileCheckpointStore(file).load().orElseThrow();
                assertThat(stdout).contains("applied LSN per flow " + ResumeCheck.lsns(c))
                        .contains("checkpoint " + file.toAbsolutePath() + ": next LSNs " + ResumeCheck.lsns(c));
                assertThat(c.nextLsns()).containsExactly(m.lastAck(0), m.lastAck(1));
            } finally {
                p.destroyForcibly();
            }
        }
    }

    private static String readQuietly(Path f) {
        try {
            return Files.readString(f);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /**
     * A resumed run whose source restarts later needs a full sync: the target's keys are those of
     * earlier runs, which the default policy refuses to delete — the run stops, nothing written.
     */
    @Test
    void aFullSyncThatAResumedRunNeedsLaterIsUnderTheTargetPolicyToo() throws Exception {
        Path file = dir.resolve("later.checkpoint");
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).backlogLength(1_000_000).start()) {
            CliSyncFixture.fill(m, reference, 200);
            firstRun(m, file);
            Running resumed = Running.start(replicate(m, target.address(), file));
            await("the resume", () -> resumed.err().contains("resumed from the checkpoint") || resumed.result().isDone());
            assertThat(resumed.result()).as(resumed.err()).isNotDone();
            long keys = dbsize(target);

            m.restart(); // a new replication id: the replicator must sync from scratch
            Result r = resumed.result().get(60, TimeUnit.SECONDS);
            assertThat(r.code()).as(r.err()).isEqualTo(Df2RedisCli.USAGE);
            assertThat(r.err()).contains("this run resumed from the checkpoint, then needed a full sync")
                    .contains("holds keys").contains("--target-policy flush");
            assertThat(dbsize(target)).as("nothing deleted").isEqualTo(keys);
            assertThat(r.out()).contains("replicate FAILED").contains("checkpoint " + file.toAbsolutePath()
                    + ": records a full sync that did not finish");
        }
    }

    /** A checkpoint is only resumed into the Redis it was saved for: not another server, not an emptied one. */
    @Test
    void aCheckpointIsNotResumedIntoAnotherOrAnEmptiedTarget() throws Exception {
        Path file = dir.resolve("target.checkpoint");
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).backlogLength(1_000_000).start();
             RedisServerProcess other = RedisServerProcess.start()) {
            CliSyncFixture.fill(m, reference, 200);
            Checkpoint saved = firstRun(m, file);
            assertThat(saved.targetIdentity()).hasValueSatisfying(id -> assertThat(id).startsWith("redis run_id "));

            long before = lastConnectionId(m);
            Running elsewhere = Running.start(replicate(m, other.address(), file));
            await("the full sync", () -> elsewhere.err().contains("full sync done") || elsewhere.result().isDone());
            await("the other target to catch up", () -> differences(read(reference), read(other)).isEmpty());
            Result r = elsewhere.stop();
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).contains("full sync: the checkpoint " + file.toAbsolutePath() + " cannot be resumed: "
                    + "it belongs to the target '" + saved.targetIdentity().orElseThrow() + "', this run writes to "
                    + "'redis run_id ");
            assertFullSyncAsked(m, before);

            // a checkpoint of the first target, which someone empties afterwards (same run_id): not resumed
            Path file2 = dir.resolve("emptied.checkpoint");
            target.call("FLUSHALL");
            firstRun(m, file2);
            target.call("FLUSHALL");
            before = lastConnectionId(m);
            Running emptied = Running.start(replicate(m, target.address(), file2));
            await("the full sync", () -> emptied.err().contains("full sync done") || emptied.result().isDone());
            await("the target to catch up", () -> differences(read(reference), read(target)).isEmpty());
            Result e = emptied.stop();
            assertThat(e.code()).as(e.err()).isZero();
            assertThat(e.err()).contains("the checkpoint " + file2.toAbsolutePath() + " is not used: it says the "
                    + "target holds what earlier runs applied, but the target holds no keys");
            assertFullSyncAsked(m, before);
        }
    }
}
