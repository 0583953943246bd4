package io.df2redis.replica.internal;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The lag in time from (LSN, arrival) records: exact to the resolution, never short, never 0 while an entry waits. */
class ArrivalClockTest {
    private static final long MS = 1_000_000L;

    @Test
    void lagIsTheAgeOfTheReadThatBroughtTheOldestUnappliedEntry() {
        ArrivalClock c = new ArrivalClock();
        assertThat(c.lagNanos(1, 0)).as("nothing received").isZero();
        c.arrived(15, 10 * MS); // 1..15
        c.arrived(20, 30 * MS); // 16..20
        assertThat(c.lagNanos(11, 35 * MS)).as("11 arrived at 10 ms").isEqualTo(25 * MS);
        assertThat(c.lagNanos(16, 40 * MS)).as("16 arrived at 30 ms").isEqualTo(10 * MS);
        assertThat(c.lagNanos(21, 50 * MS)).as("caught up").isZero();
        c.arrived(20, 60 * MS);
        assertThat(c.lagNanos(21, 70 * MS)).as("no new entry").isZero();
    }

    @Test
    void readsWithinTheResolutionExtendTheLastRecord() {
        ArrivalClock c = new ArrivalClock();
        c.arrived(5, 0);
        c.arrived(9, MS / 2); // within 1 ms: 6..9 counted as arrived at 0
        assertThat(c.lagNanos(6, 10 * MS)).isEqualTo(10 * MS);
    }

    /**
     * Random reads, more than the capacity, random applied positions: the estimate is never below the
     * true age of the oldest unapplied entry, and above it by no more than the resolution, unless
     * records were merged (then by no more than the span merged into the record).
     */
    @Property(tries = 200)
    void neverShortOfTheTrueLag(@ForAll("seeds") long seed, @ForAll @IntRange(min = 1, max = 2000) int reads) {
        Random rnd = new Random(seed);
        ArrivalClock c = new ArrivalClock();
        List<long[]> truth = new ArrayList<>(); // {first lsn, last lsn, time}
        long lsn = 0;
        long t = 0;
        long applied = 1;
        boolean merged = reads > ArrivalClock.CAPACITY;
        for (int i = 0; i < reads; i++) {
            t += rnd.nextInt(3) * MS / 2 + rnd.nextInt(1000);
            int n = rnd.nextInt(4);
            if (n > 0) {
                truth.add(new long[] {lsn + 1, lsn + n, t});
                lsn += n;
                c.arrived(lsn, t);
            }
            if (rnd.nextInt(5) == 0) {
                applied = Math.min(lsn + 1, applied + rnd.nextInt(8));
            }
            long now = t + rnd.nextInt(1000);
            long expected = 0;
            for (long[] r : truth) {
                if (r[1] >= applied) {
                    expected = now - r[2];
                    break;
                }
            }
            long got = c.lagNanos(applied, now);
            assertThat(got).as("read %d", i).isGreaterThanOrEqualTo(expected);
            if (expected == 0) {
                assertThat(got).isZero();
            } else if (!merged) {
                assertThat(got - expected).as("read %d", i).isLessThanOrEqualTo(ArrivalClock.RESOLUTION_NANOS);
            }
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seeds() {
        return net.jqwik.api.Arbitraries.longs();
    }
}
