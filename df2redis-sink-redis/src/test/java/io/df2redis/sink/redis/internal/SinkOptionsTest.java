package io.df2redis.sink.redis.internal;

import io.df2redis.sink.redis.FullSyncTargetPolicy;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.RedisSinkOptions;
import io.df2redis.sink.redis.UnsupportedDataCallback;
import io.df2redis.sink.redis.UnsupportedDataPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SinkOptionsTest {
    @Test
    void scoresAreExactText() {
        assertThat(FlowWriter.score(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(FlowWriter.score(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(FlowWriter.score(2)).isEqualTo("2");
        assertThat(FlowWriter.score(-0.0)).isEqualTo("-0");
        for (double d : new double[] {0.1, -99.75, 3.141592653589793, 1e100, 3479099956230698.0, 5e-324}) {
            assertThat(Double.parseDouble(FlowWriter.score(d))).isEqualTo(d);
        }
    }

    @Test
    void targetCapabilities() {
        TargetInfo t = TargetInfo.parse("# Server\r\nredis_version:7.0.15\r\n", Set.of());
        assertThat(t.atLeast(7, 0)).isTrue();
        assertThat(t.hashFieldTtl()).isFalse();
        assertThat(t.rdbVersion()).isEqualTo(10);
        assertThat(t.restoreType(16)).isTrue();
        assertThat(t.restoreType(21)).isFalse();
        assertThat(t.restoreType(30)).isFalse();
        TargetInfo t74 = TargetInfo.parse("redis_version:7.4.1\n", Set.of("ReJSON", "bf"));
        assertThat(t74.hashFieldTtl()).isTrue();
        assertThat(t74.json()).isTrue();
        assertThat(t74.bloom()).isTrue();
        assertThat(t74.restoreType(21)).isTrue();
    }

    @Test
    void optionsAreImmutableTheBuilderIsMutableAndAddressesParse() {
        RedisSink.Builder a = RedisSink.standalone("redis://user:pw@h.example:6380/2");
        assertThat(a.host()).isEqualTo("h.example");
        assertThat(a.port()).isEqualTo(6380);
        assertThat(a.endpoint().database()).isEqualTo(2);
        RedisSinkOptions before = a.buildOptions();
        // a normal mutable builder: the returned builder is this one, an ignored return value is no trap
        RedisSink.Builder b = a.maxInFlight(8).unsupportedDataPolicy(UnsupportedDataPolicy.SKIP_AND_COUNT);
        assertThat(b).isSameAs(a);
        assertThat(a.maxInFlight()).isEqualTo(8);
        assertThat(a.unsupportedDataPolicy()).isEqualTo(UnsupportedDataPolicy.SKIP_AND_COUNT);
        // built options do not change with the builder; mutate() derives a copy
        assertThat(before.maxInFlight()).isEqualTo(1024);
        assertThat(before.unsupportedDataPolicy()).isEqualTo(UnsupportedDataPolicy.FAIL);
        RedisSinkOptions derived = before.mutate().maxInFlight(4).build();
        assertThat(derived.maxInFlight()).isEqualTo(4);
        assertThat(before.maxInFlight()).isEqualTo(1024);
        assertThat(derived.user()).isEqualTo("user");
        assertThat(RedisSink.standalone("10.0.0.1:7000").port()).isEqualTo(7000);
        assertThat(RedisSink.standalone("localhost").port()).isEqualTo(6379);
        assertThat(RedisSink.standalone("[::1]:7001").host()).isEqualTo("::1");
        assertThat(a.fullSyncTargetPolicy()).isEqualTo(FullSyncTargetPolicy.REFUSE_NON_EMPTY);
        assertThatThrownBy(() -> RedisSink.standalone("http://x:1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validationThrowsAndCallOrderDoesNotMatter() {
        // CALLBACK without a callback is refused when building, whatever came first
        assertThatThrownBy(() -> RedisSinkOptions.builder().unsupportedDataPolicy(UnsupportedDataPolicy.CALLBACK)
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("onUnsupported");
        UnsupportedDataCallback cb = (key, db, type, reason) -> { };
        RedisSinkOptions x = RedisSinkOptions.builder().unsupportedDataPolicy(UnsupportedDataPolicy.CALLBACK)
                .onUnsupported(cb).build();
        RedisSinkOptions y = RedisSinkOptions.builder().onUnsupported(cb)
                .unsupportedDataPolicy(UnsupportedDataPolicy.CALLBACK).build();
        assertThat(x.unsupportedDataPolicy()).isEqualTo(y.unsupportedDataPolicy()).isEqualTo(UnsupportedDataPolicy.CALLBACK);
        // no silent clamping
        assertThatThrownBy(() -> RedisSinkOptions.builder().ioThreads(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisSinkOptions.builder().maxInFlight(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisSinkOptions.builder().maxRecordedSkips(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisSinkOptions.builder().connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisSinkOptions.builder().clusterRetryTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RedisSinkOptions.builder().password("s3cr3t").build().toString()).doesNotContain("s3cr3t");
    }
}
