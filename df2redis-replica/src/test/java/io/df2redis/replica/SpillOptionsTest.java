package io.df2redis.replica;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The spill settings: on by default, validated, derivable, and a way to turn spilling off. */
class SpillOptionsTest {

    @Test
    void spillingIsOnByDefaultWithABoundedBudget() {
        ReplicatorOptions o = ReplicatorOptions.builder().build();
        assertThat(o.slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.SPILL);
        SpillOptions s = o.spillOptions();
        assertThat(s).isEqualTo(SpillOptions.defaults());
        assertThat(s.directory()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "df2redis-spill"));
        assertThat(s.maxBytes()).isEqualTo(1L << 30);
        assertThat(s.whenFull()).isEqualTo(SlowConsumerPolicy.PAUSE_READING);
        assertThat(o.toString()).contains("SPILL").contains("df2redis-spill");
    }

    @Test
    void settingsAreValidatedAndDerivable() {
        SpillOptions s = SpillOptions.builder().directory(Path.of("/var/spill")).maxBytes(5L << 20)
                .whenFull(SlowConsumerPolicy.FAIL).build();
        SpillOptions t = s.mutate().maxBytes(1L << 20).build();
        assertThat(t.directory()).isEqualTo(Path.of("/var/spill"));
        assertThat(t.whenFull()).isEqualTo(SlowConsumerPolicy.FAIL);
        assertThat(t.maxBytes()).isEqualTo(1L << 20);
        assertThat(s.maxBytes()).as("unchanged").isEqualTo(5L << 20);
        assertThatThrownBy(() -> SpillOptions.builder().maxBytes((1L << 20) - 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpillOptions.builder().directory(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SpillOptions.builder().whenFull(SlowConsumerPolicy.SPILL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReplicatorOptions.builder().spillOptions(null)).isInstanceOf(NullPointerException.class);
        ReplicatorOptions o = ReplicatorOptions.builder().spillOptions(s).build();
        assertThat(o.mutate().build().spillOptions()).isEqualTo(s);
    }

    @Test
    void pauseReadingTurnsSpillingOff() {
        ReplicatorOptions o = ReplicatorOptions.builder().slowConsumerPolicy(SlowConsumerPolicy.PAUSE_READING).build();
        assertThat(o.slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.PAUSE_READING);
        assertThat(o.toString()).doesNotContain("SpillOptions");
    }

    @Test
    void aFullSpillIsNotRetryable() {
        assertThat(new SpillFullException("x").isRetryable()).isFalse();
        assertThat(new SpillFullException("x")).isInstanceOf(SlowConsumerException.class);
        assertThat(new SpillException("x").isRetryable()).isFalse();
    }
}
