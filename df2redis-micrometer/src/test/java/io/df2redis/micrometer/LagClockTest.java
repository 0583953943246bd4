package io.df2redis.micrometer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The lag clock's estimate from (received LSN, applied LSN, time) reads, and the monotonic totals. */
class LagClockTest {
    private static final long MS = 1_000_000L;

    @Test
    void lagIsTheAgeOfTheFirstReadThatSawTheOldestUnappliedEntry() {
        LagClock c = new LagClock();
        assertThat(c.lagNanos(0, 0, 0)).as("before stable sync").isZero();
        assertThat(c.lagNanos(10, 11, 5 * MS)).as("all applied").isZero();
        assertThat(c.lagNanos(15, 11, 10 * MS)).as("11..15 first seen now").isZero();
        assertThat(c.lagNanos(20, 11, 30 * MS)).as("11 waits since 10 ms").isEqualTo(20 * MS);
        assertThat(c.lagNanos(20, 16, 40 * MS)).as("16..20 first seen at 30 ms").isEqualTo(10 * MS);
        assertThat(c.lagNanos(20, 21, 50 * MS)).as("caught up").isZero();
        assertThat(c.size()).isZero();
    }

    @Test
    void aNewSessionWithLowerLsnsStartsOver() {
        LagClock c = new LagClock();
        c.lagNanos(100, 50, 0);
        assertThat(c.lagNanos(100, 50, 7 * MS)).isEqualTo(7 * MS);
        assertThat(c.lagNanos(5, 1, 9 * MS)).isZero();
        assertThat(c.lagNanos(5, 1, 12 * MS)).isEqualTo(3 * MS);
    }

    @Test
    void pastTheRecordLimitTheLagErrsLargerNeverToZero() {
        LagClock c = new LagClock();
        long t = 0;
        for (int i = 1; i <= LagClock.MAX_RECORDS + 100; i++) {
            c.lagNanos(i, 1, t);
            t += MS;
        }
        assertThat(c.size()).isEqualTo(LagClock.MAX_RECORDS);
        // every entry up to the last absorbed LSN is applied but the last one
        long last = LagClock.MAX_RECORDS + 100;
        assertThat(c.lagNanos(last, last, t)).as("last entry still waiting").isPositive()
                .isGreaterThanOrEqualTo(100 * MS);
    }

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
