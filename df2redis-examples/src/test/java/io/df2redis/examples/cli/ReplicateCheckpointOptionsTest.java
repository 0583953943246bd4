package io.df2redis.examples.cli;

import io.df2redis.examples.cli.CliSyncFixture.Result;
import io.df2redis.replica.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.df2redis.examples.cli.CliSyncFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parts of {@code replicate --checkpoint} that need no server: why a checkpoint cannot be
 * resumed ({@link ResumeCheck}), the target identity saved with it ({@code RedisSink.targetIdentity()}), and
 * the option checks and help texts.
 */
class ReplicateCheckpointOptionsTest {
    private static final String MASTER = "a".repeat(40);
    private static final Optional<String> TARGET = Optional.of("redis run_id 1234");

    @TempDir
    Path dir;

    private static Checkpoint checkpoint(List<Long> lsns) {
        return new Checkpoint(MASTER, 2, "df-v1.40.1", 4, lsns, TARGET, Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Test
    void aCheckpointOfTheSameSourceAndTargetCanBeResumed() {
        Checkpoint c = checkpoint(List.of(10L, 20L));
        assertThat(ResumeCheck.whyNot(c, MASTER, 2, "df-v1.40.1", TARGET)).isNull();
        assertThat(ResumeCheck.whyNot(c, MASTER, -1, "df-v1.35.0", TARGET)).isNull();
        assertThat(ResumeCheck.whyNot(c, null, -1, null, null)).as("nothing known against it").isNull();
        assertThat(ResumeCheck.lsns(c)).isEqualTo("10/20");
    }

    @Test
    void everyReasonNotToResumeIsNamed() {
        Checkpoint c = checkpoint(List.of(10L, 20L));
        assertThat(ResumeCheck.whyNot(checkpoint(List.of()), MASTER, 2, "df-v1.40.1", TARGET))
                .contains("saved when a full sync started");
        assertThat(ResumeCheck.whyNot(c, "b".repeat(40), 2, "df-v1.40.1", TARGET))
                .contains("master_replid " + MASTER + ", the source's is now " + "b".repeat(40));
        assertThat(ResumeCheck.whyNot(c, MASTER, 3, "df-v1.40.1", TARGET)).contains("2 flows, the source has 3");
        assertThat(ResumeCheck.whyNot(c, MASTER, 2, "df-v1.30.3", TARGET)).contains("df-v1.30.3")
                .contains("no partial sync");
        assertThat(ResumeCheck.whyNot(c, MASTER, 2, "df-v1.34.2", TARGET)).as("incremental form").isNull();
        assertThat(ResumeCheck.whyNot(c, MASTER, 2, "df-v1.20.0", TARGET)).as("incremental form").isNull();
        assertThat(ResumeCheck.whyNot(c, MASTER, 2, "df-v1.15.0", TARGET)).contains("no partial sync");
        assertThat(ResumeCheck.whyNot(c, MASTER, 2, "", TARGET)).contains("an unknown release");
        assertThat(ResumeCheck.whyNot(c, MASTER, 2, "df-v1.40.1", Optional.of("redis run_id 99")))
                .contains("belongs to the target 'redis run_id 1234', this run writes to 'redis run_id 99'");
        assertThat(ResumeCheck.whyNot(c, MASTER, 2, "df-v1.40.1", Optional.empty()))
                .contains("this run writes to an unidentified target");
        // the master is judged first: a restarted Dragonfly is the reason even if the target differs too
        assertThat(ResumeCheck.whyNot(c, "b".repeat(40), 2, "df-v1.40.1", Optional.of("x"))).contains("master_replid");
    }

    @Test
    void freshIntoAClusterIsValidAndTheCheckpointMustBeAFile() throws Exception {
        // a Cluster keeps its own checkpoint (per slot), which --fresh removes: not a usage error; the
        // source is unreachable here
        Result fresh = run("replicate", "--source", "127.0.0.1:1", "--target", "127.0.0.1:2", "--target-cluster",
                "--fresh");
        assertThat(fresh.code()).as(fresh.err()).isEqualTo(Df2RedisCli.CONNECT);

        Path isDir = Files.createDirectories(dir.resolve("a-directory"));
        Result directory = run("replicate", "--source", "127.0.0.1:1", "--target", "127.0.0.1:2", "--checkpoint",
                isDir.toString());
        assertThat(directory.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(directory.err()).contains("--checkpoint " + isDir + ": is a directory");

        Result migrate = run("migrate", "--source", "127.0.0.1:1", "--target", "127.0.0.1:2", "--checkpoint",
                dir.resolve("f").toString());
        assertThat(migrate.code()).as("migrate is one-shot: no checkpoint").isEqualTo(Df2RedisCli.USAGE);
    }

    @Test
    void theHelpOfReplicateExplainsCheckpointAndFresh() {
        Result help = run("replicate", "--help");
        assertThat(help.out().replaceAll("\\s+", " ")).contains("--checkpoint=FILE").contains("--fresh")
                .contains("resumes with a partial sync").contains("--target-policy applies");
        assertThat(run("migrate", "--help").out()).doesNotContain("--checkpoint").doesNotContain("--fresh");
    }
}
