package io.df2redis.sink.redis.internal;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token bucket on an injected clock: every figure exact, no wall clock involved. */
class TokenBucketTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    /** A clock the test moves by hand; starts far from 0 and near overflow, as nanoTime may. */
    static final class FakeClock {
        long now = Long.MAX_VALUE - 10 * S;

        long get() {
            return now;
        }
    }

    @Test
    void aFullBucketLetsTheBurstThroughThenPacesAtTheRate() {
        FakeClock c = new FakeClock();
        TokenBucket b = new TokenBucket(100, 10, c::get);
        for (int i = 0; i < 10; i++) {
            assertThat(b.reserve(1)).as("burst unit %d", i).isZero();
        }
        assertThat(b.reserve(1)).isEqualTo(10 * MS);
        assertThat(b.reserve(1)).isEqualTo(20 * MS);
        c.now += 20 * MS; // the two waiters are served: the bucket is empty again
        assertThat(b.reserve(1)).isEqualTo(10 * MS);
    }

    @Test
    void refillsAtTheRateButNeverAboveTheBurst() {
        FakeClock c = new FakeClock();
        TokenBucket b = new TokenBucket(100, 10, c::get);
        assertThat(b.reserve(10)).isZero();
        c.now += 50 * MS; // 5 units back
        assertThat(b.reserve(5)).isZero();
        assertThat(b.reserve(1)).isEqualTo(10 * MS);
        c.now += TimeUnit.HOURS.toNanos(1); // idle for an hour: still only the burst
        assertThat(b.reserve(10)).isZero();
        assertThat(b.reserve(1)).isEqualTo(10 * MS);
    }

    @Test
    void aRequestAboveTheBurstWaitsForTheRestAndLaterOnesQueueBehindIt() {
        FakeClock c = new FakeClock();
        TokenBucket b = new TokenBucket(1_000, 100, c::get);
        assertThat(b.reserve(100_000)).as("100 000 units, 100 of them from the burst").isEqualTo(99_900 * MS);
        assertThat(b.reserve(1)).isEqualTo(99_901 * MS);
        c.now += 99_901 * MS;
        assertThat(b.reserve(1)).isEqualTo(MS);
    }

    @Test
    void noFractionOfANanosecondIsLost() {
        FakeClock c = new FakeClock();
        TokenBucket b = new TokenBucket(3, 1, c::get); // one unit = 333 333 333.33 ns
        long start = c.now;
        assertThat(b.reserve(1)).isZero();
        long w = 0;
        for (int i = 0; i < 3_000; i++) {
            w = b.reserve(1);
        }
        assertThat(c.now + w - start).as("3 000 units after the burst take 1 000 s exactly").isEqualTo(1_000 * S);
        TokenBucket fast = new TokenBucket(TokenBucket.MAX_RATE, 1, c::get);
        fast.reserve(1);
        long last = 0;
        for (int i = 0; i < 9_000; i++) {
            last = fast.reserve(1); // 1/9 ns each: the rounding carries
        }
        assertThat(last).isEqualTo(1_000);
        assertThat(fast.reserve(TokenBucket.MAX_RATE)).isEqualTo(S + 1_000);
    }

    @Test
    void rejectsImpossibleSettings() {
        FakeClock c = new FakeClock();
        assertThatThrownBy(() -> new TokenBucket(0, 1, c::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(TokenBucket.MAX_RATE + 1, 1, c::get))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(10, 0, c::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(10, 1, c::get).reserve(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Whatever the rate, burst and traffic (requests of any size, idle gaps of any length), the units
     * granted by the time of each grant never exceed the burst plus the rate times the time elapsed (to
     * the nanosecond the integer clock rounds to);
     * and a sender that never idles gets exactly the rate (no time lost to rounding).
     */
    @Property(tries = 300)
    void neverAboveTheRateAndExactWhenSaturated(@ForAll @LongRange(min = 1, max = 9_000_000_000L) long rate,
                                                @ForAll @IntRange(min = 1, max = 1_000_000) int burstIn,
                                                @ForAll @Size(min = 1, max = 200) List<@LongRange(min = 0, max = 5_000_000) Long> units,
                                                @ForAll @Size(min = 1, max = 200) List<@LongRange(min = 0, max = 2_000_000_000L) Long> gaps,
                                                @ForAll boolean saturated) {
        long burst = Math.min(burstIn, rate);
        FakeClock c = new FakeClock();
        c.now = 0;
        long t0 = c.now;
        TokenBucket b = new TokenBucket(rate, burst, c::get);
        BigInteger granted = BigInteger.ZERO;
        BigInteger bn = BigInteger.valueOf(S);
        for (int i = 0; i < units.size(); i++) {
            if (!saturated) {
                c.now += gaps.get(i % gaps.size());
            }
            long u = units.get(i);
            c.now += b.reserve(u); // the sender waits as told, then sends
            granted = granted.add(BigInteger.valueOf(u));
            BigInteger allowed = BigInteger.valueOf(burst).multiply(bn)
                    .add(BigInteger.valueOf(rate).multiply(BigInteger.valueOf(c.now - t0 + 1))); // 1 ns rounding
            assertThat(granted.multiply(bn)).as("units x 1e9 by grant %d", i).isLessThanOrEqualTo(allowed);
        }
        if (saturated) {
            // the sender never idled: it finished when the bucket paid off every unit beyond the burst
            BigInteger exact = granted.multiply(bn).subtract(BigInteger.valueOf(burst).multiply(bn))
                    .divide(BigInteger.valueOf(rate));
            long expected = Math.max(0, exact.longValueExact());
            assertThat(c.now - t0).isBetween(expected - 1, expected + 1);
        }
    }
}
