package io.df2redis.protocol.client;

import io.df2redis.protocol.resp.RespDecoder;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RespClientOptionsTest {

    @Test
    void defaults() {
        RespClientOptions o = RespClientOptions.DEFAULTS;
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.replyTimeout()).isEqualTo(Duration.ZERO);
        assertThat(o.sslContext()).isNull();
        assertThat(o.verifyHostname()).isTrue();
        assertThat(o.hasPassword()).isFalse();
        assertThat(o.limits()).isEqualTo(RespDecoder.Limits.DEFAULT);
    }

    @Test
    void badValuesAreRejectedNotCorrected() {
        RespClientOptions.Builder b = RespClientOptions.builder();
        assertThatThrownBy(() -> b.connectTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.connectTimeout(Duration.ofDays(30))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.replyTimeout(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.name(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.password("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.credentials("", "pw")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RespClientOptions.builder().credentials("u", "pw").password(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a user name needs a password");
    }

    @Test
    void mutateCopiesAndTheOrderOfCallsDoesNotMatter() {
        RespClientOptions a = RespClientOptions.builder().name("x").credentials("u", "pw")
                .replyTimeout(Duration.ofSeconds(3)).build();
        RespClientOptions b = RespClientOptions.builder().replyTimeout(Duration.ofSeconds(3))
                .credentials("u", "pw").name("x").build();
        assertThat(a).hasToString(b.toString());
        RespClientOptions c = a.mutate().replyTimeout(Duration.ZERO).build();
        assertThat(c.replyTimeout()).isZero();
        assertThat(c.user()).isEqualTo("u");
        assertThat(c.password()).isEqualTo("pw");
        assertThat(a.replyTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(a.toString()).contains("password=***").doesNotContain("pw,").doesNotContain("=pw");
    }
}
