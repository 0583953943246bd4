package io.df2redis.sink.redis.internal;

import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.RedisSinkOptions;
import io.df2redis.sink.redis.RedisSinkStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rate-limit options: defaults, builders, {@code mutate()}, validation, and what the stats show. */
class RateLimitOptionsTest {
    @Test
    void unlimitedByDefaultAndCarriedByMutate() {
        assertThat(RedisSinkOptions.DEFAULTS.maxOpsPerSecond()).isZero();
        assertThat(RedisSinkOptions.DEFAULTS.maxBytesPerSecond()).isZero();
        assertThat(RedisSinkOptions.DEFAULTS.toString()).doesNotContain("PerSecond");
        RedisSinkOptions o = RedisSinkOptions.builder().maxOpsPerSecond(2000).maxBytesPerSecond(10_000_000).build();
        assertThat(o.maxOpsPerSecond()).isEqualTo(2000);
        assertThat(o.maxBytesPerSecond()).isEqualTo(10_000_000);
        assertThat(o.toString()).contains("maxOpsPerSecond 2000", "maxBytesPerSecond 10000000");
        RedisSinkOptions d = o.mutate().maxInFlight(8).build();
        assertThat(d.maxOpsPerSecond()).isEqualTo(2000);
        assertThat(d.maxBytesPerSecond()).isEqualTo(10_000_000);
        assertThat(o.mutate().maxOpsPerSecond(0).build().maxOpsPerSecond()).isZero();
    }

    @Test
    void refusesNegativeAndOutOfRangeLimits() {
        assertThatThrownBy(() -> RedisSinkOptions.builder().maxOpsPerSecond(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxOpsPerSecond");
        assertThatThrownBy(() -> RedisSinkOptions.builder().maxBytesPerSecond(TokenBucket.MAX_RATE + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytesPerSecond");
        assertThatThrownBy(() -> RedisSink.standalone("localhost:6379").maxOpsPerSecond(-5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSinkBuilderSetsThemAndTheStatsShowThem() {
        try (RedisSink sink = RedisSink.standalone("localhost:6379").maxOpsPerSecond(500)
                .maxBytesPerSecond(1 << 20).build()) {
            RedisSinkStats st = sink.stats();
            assertThat(st.maxOpsPerSecond()).isEqualTo(500);
            assertThat(st.maxBytesPerSecond()).isEqualTo(1 << 20);
            assertThat(st.rateLimitWaitNanos()).isZero();
            assertThat(st.bytesSent()).isZero();
            assertThat(sink.options().maxOpsPerSecond()).isEqualTo(500);
        }
    }
}
