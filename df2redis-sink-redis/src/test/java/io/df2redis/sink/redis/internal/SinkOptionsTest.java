package io.df2redis.sink.redis.internal;

import io.df2redis.sink.redis.FullSyncTargetPolicy;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.UnsupportedDataPolicy;
import org.junit.jupiter.api.Test;

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
    void builderIsImmutableAndParsesAddresses() {
        RedisSink.Builder a = RedisSink.standalone("redis://user:pw@h.example:6380/2");
        assertThat(a.host()).isEqualTo("h.example");
        assertThat(a.port()).isEqualTo(6380);
        RedisSink.Builder b = a.maxInFlight(8).unsupportedDataPolicy(UnsupportedDataPolicy.SKIP_AND_COUNT);
        assertThat(a.maxInFlight()).isEqualTo(1024);
        assertThat(a.unsupportedDataPolicy()).isEqualTo(UnsupportedDataPolicy.FAIL);
        assertThat(b.maxInFlight()).isEqualTo(8);
        assertThat(RedisSink.standalone("10.0.0.1:7000").port()).isEqualTo(7000);
        assertThat(RedisSink.standalone("localhost").port()).isEqualTo(6379);
        assertThat(a.fullSyncTargetPolicy()).isEqualTo(FullSyncTargetPolicy.REFUSE_NON_EMPTY);
        assertThatThrownBy(() -> a.unsupportedDataPolicy(UnsupportedDataPolicy.CALLBACK))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisSink.standalone("http://x:1")).isInstanceOf(IllegalArgumentException.class);
    }
}
