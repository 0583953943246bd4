package io.df2redis.examples.cli;

import io.df2redis.examples.cli.CliSyncFixture.Result;
import io.df2redis.sink.redis.FullSyncTargetPolicy;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static io.df2redis.examples.cli.CliSyncFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --no-flush}: {@code --target-policy upsert} under the name operators look for; contradictions refused. */
class NoFlushOptionTest {
    private static FullSyncTargetPolicy policy(String... args) {
        SyncOptions o = new SyncOptions();
        CommandLine cl = new CommandLine(o);
        cl.parseArgs(args);
        return o.targetPolicy(cl);
    }

    @Test
    void noFlushIsUpsert() {
        assertThat(policy()).isEqualTo(FullSyncTargetPolicy.REFUSE_NON_EMPTY);
        assertThat(policy("--no-flush")).isEqualTo(FullSyncTargetPolicy.UPSERT);
        assertThat(policy("--no-flush", "--target-policy", "upsert")).isEqualTo(FullSyncTargetPolicy.UPSERT);
        assertThat(policy("--force")).isEqualTo(FullSyncTargetPolicy.FLUSH);
    }

    @Test
    void contradictionsAreUsageErrors() {
        assertThatThrownBy(() -> policy("--no-flush", "--force")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("contradicts --force");
        assertThatThrownBy(() -> policy("--no-flush", "--target-policy", "flush"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--target-policy flush");
        Result r = run("migrate", "--source", "127.0.0.1:1", "--target", "127.0.0.1:2", "--no-flush",
                "--target-policy", "refuse");
        assertThat(r.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(r.err()).contains("--no-flush means --target-policy upsert");
    }
}
