package io.df2redis.examples.cli;

import io.df2redis.examples.cli.CliSyncFixture.Cli;
import io.df2redis.examples.cli.CliSyncFixture.Result;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.df2redis.examples.cli.CliSyncFixture.address;
import static io.df2redis.examples.cli.CliSyncFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI refuses to do damage by accident, and says which side failed and what to do: a target
 * that is the source, a non-empty target without a --target-policy, a source or target that needs
 * a password, a migrate whose snapshot lacks keys the source held; a failed run never prints
 * "migrated N keys".
 */
@Timeout(120)
class CliSafetyIT extends TargetAndReference {
    private static EmbeddedDragonflyMaster master(int keys) {
        EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
        for (int i = 0; i < keys; i++) {
            m.put(0, RdbKeyValue.of("k" + i, RdbValue.string("v" + i)));
        }
        return m;
    }

    private static long count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    /** The reproduction of the issue: migrate --source P --target P --force wiped the source and exited 0. */
    @Test
    void aTargetThatIsTheSourceIsRefusedAndTheSourceKeepsItsKeys() throws Exception {
        try (EmbeddedDragonflyMaster m = master(500)) {
            String self = address(m);
            String alias = "localhost:" + m.port(); // another name for the same server: compared by INFO, not address
            for (String[] args : new String[][] {
                {"migrate", "--source", self, "--target", self, "--force"},
                {"migrate", "--source", self, "--target", alias, "--target-policy", "upsert"},
                {"replicate", "--source", self, "--target", alias}}) {
                Result r = run(args);
                assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(Df2RedisCli.USAGE);
                assertThat(r.err()).contains("is the source Dragonfly " + self + " itself")
                        .contains("master_replid " + m.masterId()).contains("point --target at another server");
                assertThat(r.out()).doesNotContain("migrated").doesNotContain("replicated");
                assertThat(m.entries(0)).as("the source after " + String.join(" ", args)).hasSize(500);
            }
        }
    }

    @Test
    void aSourceThatNeedsAPasswordIsNamedOnceWithTheOptionsToUse() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).requirePass("src-needs-pw")
                .start()) {
            m.put(0, RdbKeyValue.of("a", RdbValue.string("1")));
            Result r = run("migrate", "--source", address(m), "--target", target.address());
            assertThat(r.code()).isEqualTo(Df2RedisCli.CONNECT);
            assertThat(r.err()).contains("source Dragonfly at " + address(m) + " requires a password: pass "
                    + "--source-password or --source-password-file");
            assertThat(count(r.err(), "requires a password")).as(r.err()).isEqualTo(1);
            assertThat(r.out()).doesNotContain("migrated");
        }
        try (EmbeddedDragonflyMaster m = master(1);
             RedisServerProcess secured = RedisServerProcess.start("--requirepass", "tgt-needs-pw")) {
            Result r = run("migrate", "--source", address(m), "--target", secured.address());
            assertThat(r.code()).isEqualTo(Df2RedisCli.CONNECT);
            assertThat(r.err()).contains("target Redis at " + secured.address() + " requires a password: pass "
                    + "--target-password or --target-password-file");
            assertThat(count(r.err(), "requires a password")).isEqualTo(1);
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void targetPolicies() throws Exception {
        try (EmbeddedDragonflyMaster m = master(10)) {
            target.call("SET", "k1", "old");
            target.call("SET", "unrelated", "mine");
            target.call("SELECT", 4);
            target.call("SET", "in-db4", "x");
            target.call("SELECT", 0);

            Result refused = run("migrate", "--source", address(m), "--target", target.address());
            assertThat(refused.code()).isEqualTo(Df2RedisCli.USAGE);
            assertThat(refused.err()).contains("the target Redis " + target.address()).contains("db0: 2 keys, db4: 1 key")
                    .contains("--target-policy flush").contains("--target-policy upsert");
            assertThat(((IntegerReply) target.call("DBSIZE")).value()).isEqualTo(2);

            Result upsert = run("migrate", "--source", address(m), "--target", target.address(),
                    "--target-policy", "upsert", "--no-progress");
            assertThat(upsert.code()).as(upsert.err()).isZero();
            assertThat(((BulkString) target.call("GET", "unrelated")).asString()).isEqualTo("mine");
            assertThat(((BulkString) target.call("GET", "k1")).asString()).isEqualTo("v1");

            Result flush = run("migrate", "--source", address(m), "--target", target.address(),
                    "--target-policy", "flush", "--quiet");
            assertThat(flush.code()).as(flush.err()).isZero();
            assertThat(flush.err()).contains("--target-policy flush: the full sync deletes (FLUSHDB) db0: 11 keys, "
                    + "db4: 1 key of the target Redis " + target.address());
            assertThat(target.call("GET", "unrelated")).isNotInstanceOf(BulkString.class);
            assertThat(((IntegerReply) target.call("DBSIZE")).value()).isEqualTo(10);
            assertThat(flush.out()).contains("migrated 10 keys");

            Result both = run("migrate", "--source", address(m), "--target", target.address(), "--force",
                    "--target-policy", "upsert");
            assertThat(both.code()).isEqualTo(Df2RedisCli.USAGE);
            assertThat(both.err()).contains("--force means --target-policy flush");
            Result bad = run("migrate", "--source", address(m), "--target", target.address(), "--target-policy",
                    "maybe");
            assertThat(bad.code()).isEqualTo(Df2RedisCli.USAGE);
        }
    }

    /** {@code --on-conflict}: with upsert, keep the target's key or stop at it; else a usage error. */
    @Test
    void onConflict() throws Exception {
        try (EmbeddedDragonflyMaster m = master(10)) {
            target.call("SET", "k1", "old");
            target.call("SET", "unrelated", "mine");
            Result keep = run("migrate", "--source", address(m), "--target", target.address(), "--no-flush",
                    "--on-conflict", "keep", "--no-progress");
            assertThat(keep.code()).as(keep.err()).isZero();
            assertThat(keep.err()).contains("the target's is kept (--on-conflict keep)");
            assertThat(keep.out()).contains("key-conflict=1");
            assertThat(((BulkString) target.call("GET", "k1")).asString()).isEqualTo("old");
            assertThat(((BulkString) target.call("GET", "k2")).asString()).isEqualTo("v2");
            assertThat(((IntegerReply) target.call("DBSIZE")).value()).isEqualTo(11);

            Result fail = run("migrate", "--source", address(m), "--target", target.address(), "--no-flush",
                    "--on-conflict", "fail", "--no-progress");
            assertThat(fail.code()).as(fail.err()).isNotZero().isNotEqualTo(Df2RedisCli.USAGE);
            assertThat(fail.err()).contains("already holds key 'k").contains("KeyConflictPolicy.FAIL");
            assertThat(((BulkString) target.call("GET", "k1")).asString()).isEqualTo("old");

            Result usage = run("migrate", "--source", address(m), "--target", target.address(), "--on-conflict",
                    "keep");
            assertThat(usage.code()).isEqualTo(Df2RedisCli.USAGE);
            assertThat(usage.err()).contains("--on-conflict keep").contains("--target-policy upsert");
            Result bad = run("migrate", "--source", address(m), "--target", target.address(), "--no-flush",
                    "--on-conflict", "maybe");
            assertThat(bad.code()).isEqualTo(Df2RedisCli.USAGE);
        }
    }

    /**
     * The snapshot lacks keys the source held when the run started (deleted between the pre-flight
     * check and the replication, held by a proxy): not a success.
     */
    @Test
    void aMigrateWhoseSnapshotLacksKeysIsNotASuccess() throws Exception {
        try (EmbeddedDragonflyMaster m = master(300);
             HoldingProxy proxy = new HoldingProxy(m.port(), 1)) {
            Cli cli = new Cli();
            CompletableFuture<Result> result = CompletableFuture.supplyAsync(() -> cli.execute("migrate",
                    "--source", "127.0.0.1:" + proxy.port(), "--target", target.address(), "--no-progress"));
            assertThat(proxy.awaitHeld(30_000)).as(cli.err.toString()).isTrue();
            for (int i = 0; i < 40; i++) {
                m.write(0, "DEL", "k" + i);
            }
            proxy.release();
            Result r = result.get(60, TimeUnit.SECONDS);
            assertThat(r.code()).as(r.err()).isEqualTo(Df2RedisCli.FAILURE);
            assertThat(r.err()).contains("migrate incomplete: the snapshot delivered 260 keys but the source held 300");
            assertThat(r.out()).doesNotContain("migrated").contains("migrate FAILED");
        }
    }

    @Test
    void aFailedMigrateNeverPrintsMigratedKeys() throws Exception {
        try (EmbeddedDragonflyMaster m = master(3)) {
            m.put(0, RdbKeyValue.of("doc", RdbValue.json("{\"a\":1}"))); // Redis without ReJSON cannot hold it
            Result r = run("migrate", "--source", address(m), "--target", target.address(), "--no-progress");
            assertThat(r.code()).isEqualTo(Df2RedisCli.FAILURE);
            assertThat(r.out()).doesNotContain("migrated").contains("migrate FAILED");
        }
    }

    @Test
    void passwordFileErrorsNameThePathNeverTheContent() throws Exception {
        Path dir = Files.createTempDirectory("df2redis-pw");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        Path twoLines = Files.writeString(dir.resolve("two"), "first-Secret-line\nsecond-Secret-line\n");
        String t = target.address();
        Result missing = run("migrate", "--source", t, "--target", t, "--source-password-file", dir + "/nope");
        assertThat(missing.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(missing.err()).contains("--source-password-file " + dir + "/nope: no such file");
        Result isDir = run("migrate", "--source", t, "--target", t, "--target-password-file", dir.toString());
        assertThat(isDir.err()).contains(dir + ": is a directory");
        Result isEmpty = run("migrate", "--source", t, "--target", t, "--target-password-file", empty.toString());
        assertThat(isEmpty.err()).contains(empty + ": the file is empty");
        Result several = run("verify", "--source", t, "--target", t, "--target-password-file", twoLines.toString());
        assertThat(several.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(several.err()).contains(twoLines + ": holds several lines").doesNotContain("Secret-line");
        Result both = run("migrate", "--source", t, "--target", t, "--source-password", "x1234",
                "--source-password-file", empty.toString());
        assertThat(both.err()).contains("give only one");
    }

    @Test
    void verifyHelpTalksAboutComparingAndMigrateHelpAboutReplicating() {
        Result verify = run("verify", "--help");
        assertThat(verify.out()).doesNotContain("to replicate").doesNotContain("to write into")
                .doesNotContain("--map-db").contains("the server whose keys are the reference")
                .contains("the server compared with it").contains("--quiet").contains("--log-level");
        Result migrate = run("migrate", "--help");
        assertThat(migrate.out()).contains("the Dragonfly master to replicate").contains("the Redis to write into")
                .contains("--target-policy").contains("--source-password-file").contains("--target-ca")
                .contains("--source-tls-insecure");
    }

    @Test
    void versionIsTheExactBuildVersion() {
        String expected = System.getProperty("df2redis.expectedVersion");
        assertThat(expected).as("set by the pom").isNotBlank();
        Result r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("df2redis " + expected + System.lineSeparator());
    }

    @Test
    void quietPrintsTheResultOnly() throws Exception {
        try (EmbeddedDragonflyMaster m = master(5)) {
            Result r = run("migrate", "--source", address(m), "--target", target.address(), "--quiet");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).contains("migrated 5 keys");
        }
        assertThat(run("migrate", "--source", "h:1", "--target", "h:2", "--log-level", "loud").code())
                .isEqualTo(Df2RedisCli.USAGE);
    }
}
