package io.df2redis.examples.cli;

import io.df2redis.examples.cli.CliSyncFixture.Result;
import io.df2redis.replica.ReplicatorOptions;
import io.df2redis.replica.SlowConsumerPolicy;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;

import static io.df2redis.examples.cli.CliSyncFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

/** The spill options of {@code replicate}/{@code migrate}: what reaches the replicator, and usage errors. */
class SpillOptionsTest {

    private static ReplicatorOptions parse(String... args) {
        SyncOptions o = new SyncOptions();
        CommandLine cl = new CommandLine(o);
        cl.parseArgs(args);
        ReplicatorOptions.Builder b = ReplicatorOptions.builder();
        o.applySpill(b, cl);
        return b.build();
    }

    @Test
    void spillingIsOnByDefaultAndTheOptionsReachTheReplicator() {
        assertThat(parse().slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.SPILL);
        ReplicatorOptions o = parse("--spill-dir", "/var/tmp/df2", "--spill-max-bytes", "2g", "--spill-full", "fail");
        assertThat(o.slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.SPILL);
        assertThat(o.spillOptions().directory()).isEqualTo(Path.of("/var/tmp/df2"));
        assertThat(o.spillOptions().maxBytes()).isEqualTo(2L << 30);
        assertThat(o.spillOptions().whenFull()).isEqualTo(SlowConsumerPolicy.FAIL);
        assertThat(parse("--spill-max-bytes", "512m").spillOptions().maxBytes()).isEqualTo(512L << 20);
        assertThat(parse("--no-spill").slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.PAUSE_READING);
    }

    @Test
    void badSpillOptionsAreUsageErrorsBeforeAnythingConnects() {
        Result both = run("replicate", "--source", "127.0.0.1:1", "--target", "127.0.0.1:2", "--no-spill",
                "--spill-dir", "/tmp/x");
        assertThat(both.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(both.err()).contains("--no-spill contradicts");
        Result small = run("replicate", "--source", "127.0.0.1:1", "--target", "127.0.0.1:2", "--spill-max-bytes",
                "1k");
        assertThat(small.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(small.err()).contains("at least 1048576 bytes");
        Result word = run("migrate", "--source", "127.0.0.1:1", "--target", "127.0.0.1:2", "--spill-full", "later");
        assertThat(word.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(word.err()).contains("expected pause or fail");
        Result size = run("replicate", "--source", "127.0.0.1:1", "--target", "127.0.0.1:2", "--spill-max-bytes",
                "lots");
        assertThat(size.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(size.err()).contains("expected a positive size");
    }
}
