package io.df2redis.micrometer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The monotonic totals over per-session figures. */
class MonotonicTotalTest {
    @Test
    void monotonicTotalAddsRestartsWhole() {
        MonotonicTotal m = new MonotonicTotal();
        assertThat(m.update(10)).isEqualTo(10);
        assertThat(m.update(25)).isEqualTo(25);
        assertThat(m.update(-1)).as("no session").isEqualTo(25);
        assertThat(m.update(4)).as("a new session counted 4").isEqualTo(29);
        assertThat(m.update(6)).isEqualTo(31);
    }
}
