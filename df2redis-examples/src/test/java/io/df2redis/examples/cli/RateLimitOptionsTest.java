package io.df2redis.examples.cli;

import io.df2redis.examples.cli.CliSyncFixture.Result;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.RedisSinkOptions;
import io.df2redis.sink.redis.RedisSinkStats;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;
import java.util.Map;

import static io.df2redis.examples.cli.CliSyncFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code --max-ops} and {@code --max-bytes}: what reaches the sink, usage errors, the status text. */
class RateLimitOptionsTest {
    private static RedisSinkOptions parse(String... args) {
        SyncOptions o = new SyncOptions();
        new CommandLine(o).parseArgs(args);
        try (RedisSink s = o.applyRateLimits(RedisSink.standalone("127.0.0.1:6379")).build()) {
            return s.options();
        }
    }

    @Test
    void theLimitsReachTheSink() {
        RedisSinkOptions none = parse();
        assertThat(none.maxOpsPerSecond()).isZero();
        assertThat(none.maxBytesPerSecond()).isZero();
        RedisSinkOptions both = parse("--max-ops", "20000", "--max-bytes", "10m");
        assertThat(both.maxOpsPerSecond()).isEqualTo(20_000);
        assertThat(both.maxBytesPerSecond()).isEqualTo(10L << 20);
        assertThat(parse("--max-bytes", "1g").maxBytesPerSecond()).isEqualTo(1L << 30);
        assertThat(parse("--max-bytes", "65536").maxBytesPerSecond()).isEqualTo(65_536);
    }

    @Test
    void badLimitsAreUsageErrorsBeforeAnythingConnects() {
        Result zero = run("replicate", "--source", "127.0.0.1:1", "--target", "127.0.0.1:2", "--max-ops", "0");
        assertThat(zero.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(zero.err()).contains("--max-ops").contains("positive");
        Result word = run("migrate", "--source", "127.0.0.1:1", "--target", "127.0.0.1:2", "--max-ops", "fast");
        assertThat(word.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(word.err()).contains("expected a number of commands per second");
        Result huge = run("migrate", "--source", "127.0.0.1:1", "--target", "127.0.0.1:2", "--max-bytes", "100g");
        assertThat(huge.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(huge.err()).contains("maxBytesPerSecond");
        Result size = run("migrate", "--source", "127.0.0.1:1", "--target", "127.0.0.1:2", "--max-bytes", "lots");
        assertThat(size.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(size.err()).contains("expected a positive size");
    }

    @Test
    void theStatusTextShowsLimitsOnlyWhenSet() {
        assertThat(ProgressDisplay.rateLimits(stats(0, 0, 0))).isEmpty();
        assertThat(ProgressDisplay.rateLimits(stats(2000, 0, 3_200_000_000L)))
                .isEqualTo(", limit 2,000 ops/s (senders waited 3.2 s)");
        assertThat(ProgressDisplay.rateLimits(stats(0, 10L << 20, 0)))
                .isEqualTo(", limit 10.0 MiB/s (senders waited 0 ms)");
        assertThat(ProgressDisplay.rateLimits(stats(500, 1L << 30, 90_000_000_000L)))
                .isEqualTo(", limit 500 ops/s 1.0 GiB/s (senders waited 1m30s)");
    }

    private static RedisSinkStats stats(long ops, long bytes, long waitNanos) {
        return new RedisSinkStats(0, 0, Map.of(), List.of(), 0, 0, 0, 0, 0, ops, bytes, waitNanos, 0, 0, 0);
    }
}
