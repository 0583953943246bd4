package io.df2redis.examples.cli;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.df2redis.examples.cli.CliSyncFixture.address;
import static io.df2redis.examples.cli.CliSyncFixture.closedPort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No password in any output: the CLI runs as its own process (so its log lines are captured too,
 * at debug level in some runs) for replicate, migrate and verify against a redis-server with
 * {@code requirepass} and the embedded master with a password — successful runs, wrong and missing
 * passwords, unreachable servers, a URI with credentials, a mistyped option followed by a password —
 * and every byte of stdout and stderr is searched for the passwords. The output must not show
 * {@code ***} either (the CLI's scrubbing of registered secrets), except in the one message that
 * redacts a URI on purpose: a scrubbed password would mean a message tried to print it.
 */
@Timeout(300)
class CliSecretsIT {
    private static final String SOURCE_PW = "Src-Pa55word-7x1";
    private static final String TARGET_PW = "Tgt-Pa55word-9q2";
    private static final String WRONG_PW = "Wr0ng-Pa55word-3z";
    private static final String URI_PW = "Ur1-Pa55word-5k";
    private static final List<String> SECRETS = List.of(SOURCE_PW, TARGET_PW, WRONG_PW, URI_PW);

    @TempDir
    Path dir;

    private final StringBuilder everything = new StringBuilder();

    /** One CLI process: exit code and all it printed. */
    record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private ProcessBuilder process(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Df2RedisCli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove(ConnectionOptions.SOURCE_PASSWORD_ENV);
        pb.environment().remove(ConnectionOptions.TARGET_PASSWORD_ENV);
        pb.environment().putAll(env);
        return pb;
    }

    private Run cli(Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = process(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", args)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        // the marker names the command only: the arguments hold the passwords
        everything.append("$ df2redis ").append(args[0]).append(" (exit ").append(r.code()).append(")\n")
                .append(r.all());
        return r;
    }

    @Test
    void noPasswordInAnyOutputOfReplicateMigrateAndVerify() throws Exception {
        Path sourcePwFile = Files.writeString(dir.resolve("source.pw"), SOURCE_PW + "\n");
        Path targetPwFile = Files.writeString(dir.resolve("target.pw"), TARGET_PW + "\r\n");
        Path wrongPwFile = Files.writeString(dir.resolve("wrong.pw"), WRONG_PW);
        int nobody = closedPort();
        try (RedisServerProcess redis = RedisServerProcess.start("--requirepass", TARGET_PW);
             EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).requirePass(SOURCE_PW).start()) {
            for (int i = 0; i < 50; i++) {
                m.put(0, RdbKeyValue.of("k" + i, RdbValue.string("v" + i)));
            }
            String src = address(m);
            String tgt = redis.address();

            Run ok = cli(Map.of(), "migrate", "--source", src, "--source-password-file", sourcePwFile.toString(),
                    "--target", tgt, "--target-password-file", targetPwFile.toString(), "--log-level", "debug");
            assertThat(ok.code()).as(ok.all()).isZero();
            assertThat(ok.out()).contains("migrated 50 keys");
            assertThat(ok.err()).contains("password set").contains("DEBUG");

            Run fromEnv = cli(Map.of(ConnectionOptions.SOURCE_PASSWORD_ENV, SOURCE_PW,
                    ConnectionOptions.TARGET_PASSWORD_ENV, TARGET_PW), "migrate", "--source", src, "--target", tgt,
                    "--target-policy", "flush");
            assertThat(fromEnv.code()).as(fromEnv.all()).isZero();
            assertThat(fromEnv.err()).contains("FullSyncTargetPolicy.FLUSH: flushing (FLUSHDB) db0: 50 keys");

            Run verify = cli(Map.of(), "verify", "--source", src, "--source-password", SOURCE_PW, "--target", tgt,
                    "--target-password", TARGET_PW, "--log-level", "debug");
            assertThat(verify.code()).as(verify.all()).isZero();

            Run verifyWrong = cli(Map.of(), "verify", "--source", src, "--source-password", SOURCE_PW, "--target",
                    tgt, "--target-password-file", wrongPwFile.toString());
            assertThat(verifyWrong.code()).isEqualTo(Df2RedisCli.FAILURE);

            Run verifyNobody = cli(Map.of(), "verify", "--source", "127.0.0.1:" + nobody, "--source-password",
                    SOURCE_PW, "--target", tgt, "--target-password", TARGET_PW);
            assertThat(verifyNobody.code()).isEqualTo(Df2RedisCli.FAILURE);

            Run wrongSource = cli(Map.of(), "migrate", "--source", src, "--source-password", WRONG_PW, "--target", tgt,
                    "--target-password", TARGET_PW, "--target-policy", "flush");
            assertThat(wrongSource.code()).isEqualTo(Df2RedisCli.CONNECT);
            assertThat(wrongSource.err()).contains("cannot connect to the source Dragonfly at " + src)
                    .contains("rejected the password given with --source-password");
            assertThat(wrongSource.out()).isEmpty();

            Run wrongTarget = cli(Map.of(ConnectionOptions.TARGET_PASSWORD_ENV, WRONG_PW), "migrate", "--source", src,
                    "--source-password-file", sourcePwFile.toString(), "--target", tgt, "--log-level", "debug");
            assertThat(wrongTarget.code()).isEqualTo(Df2RedisCli.CONNECT);
            assertThat(wrongTarget.err()).contains("cannot connect to the target Redis at " + tgt)
                    .contains("given with env " + ConnectionOptions.TARGET_PASSWORD_ENV);

            Run noSourcePassword = cli(Map.of(), "migrate", "--source", src, "--target", tgt, "--target-password",
                    TARGET_PW);
            assertThat(noSourcePassword.code()).isEqualTo(Df2RedisCli.CONNECT);
            assertThat(noSourcePassword.err()).contains("requires a password: pass --source-password or "
                    + "--source-password-file");

            Run uri = cli(Map.of(), "migrate", "--source", src, "--target", "redis://default:" + URI_PW + "@" + tgt);
            assertThat(uri.code()).isEqualTo(Df2RedisCli.USAGE);
            assertThat(uri.err()).contains("credentials in the URI are not accepted (redis://***@" + tgt + ")");

            Run unreachable = cli(Map.of(), "replicate", "--source", src, "--source-password", SOURCE_PW, "--target",
                    "127.0.0.1:" + nobody, "--target-password", TARGET_PW);
            assertThat(unreachable.code()).isEqualTo(Df2RedisCli.CONNECT);

            Run typo = cli(Map.of(), "migrate", "--source", src, "--target", tgt, "--target-pasword", WRONG_PW);
            assertThat(typo.code()).isEqualTo(Df2RedisCli.USAGE);
            assertThat(typo.err()).contains("'--target-pasword'");

            replicateUntilStopped(src, sourcePwFile, tgt, targetPwFile, m);
        }
        String all = everything.toString();
        for (String secret : SECRETS) {
            assertThat(all).as("output of every run").doesNotContain(secret);
        }
        Matcher scrubbed = Pattern.compile("\\*\\*\\*").matcher(all.replace("://***@", "://@"));
        assertThat(scrubbed.find()).as("a password was scrubbed from the output: a message tried to print it\n" + all)
                .isFalse();
    }

    /** {@code replicate} with passwords from files, stopped with SIGTERM after a live write. */
    private void replicateUntilStopped(String src, Path sourcePw, String tgt, Path targetPw, EmbeddedDragonflyMaster m)
            throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = process(Map.of(), "replicate", "--source", src, "--source-password-file", sourcePw.toString(),
                "--target", tgt, "--target-password-file", targetPw.toString(), "--target-policy", "flush",
                "--status-interval", "200ms", "--log-level", "debug")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.readString(err).contains("stable sync: ") && p.isAlive()) {
                assertThat(System.nanoTime()).as(Files.readString(err)).isLessThan(deadline);
                Thread.sleep(50);
            }
            m.write(0, "SET", "live", "after the full sync");
            Thread.sleep(300);
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String all = Files.readString(out) + Files.readString(err);
            everything.append("$ df2redis replicate …\n").append(all);
            assertThat(p.exitValue()).as(all).isZero();
            assertThat(Files.readString(out)).contains("replicated for");
        } finally {
            p.destroyForcibly();
        }
    }
}
