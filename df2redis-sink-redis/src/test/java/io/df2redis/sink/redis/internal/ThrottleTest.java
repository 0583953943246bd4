package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.resp.RespEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Both limits of a sink on an injected clock: sleeps, counters, an early end on a closed connection. */
class ThrottleTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private long now = 1_000 * MS;
    private final List<Long> sleeps = new ArrayList<>();

    private Throttle throttle(long ops, long bytes) {
        return new Throttle(ops, bytes, () -> now, n -> {
            sleeps.add(n);
            now += n;
        });
    }

    private static List<byte[]> cmd(String... args) {
        List<byte[]> a = new ArrayList<>();
        for (String s : args) {
            a.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return a;
    }

    @Test
    void unlimitedNeverWaitsButCountsCommandsAndTheirEncodedBytes() throws Exception {
        Throttle t = throttle(0, 0);
        List<byte[]> set = cmd("SET", "key", "value");
        ByteBuf wire = RespEncoder.encode(UnpooledByteBufAllocator.DEFAULT, set);
        int size = wire.readableBytes();
        wire.release();
        for (int i = 0; i < 1000; i++) {
            assertThat(t.acquire(set, () -> true)).isTrue();
        }
        assertThat(sleeps).isEmpty();
        assertThat(t.commandsSent()).isEqualTo(1000);
        assertThat(t.bytesSent()).isEqualTo(1000L * size);
        assertThat(t.waitedNanos()).isZero();
        assertThat(t.maxOpsPerSecond()).isZero();
        assertThat(t.maxBytesPerSecond()).isZero();
    }

    @Test
    void opsLimitPacesCommandsAfterTheBurst() throws Exception {
        Throttle t = throttle(1000, 0); // burst 100
        long start = now;
        for (int i = 0; i < 1100; i++) {
            assertThat(t.acquire(cmd("PING"), () -> true)).isTrue();
        }
        assertThat(now - start).as("1 000 commands beyond the burst take 1 s").isEqualTo(1000 * MS);
        assertThat(t.waitedNanos()).isEqualTo(1000 * MS);
        assertThat(t.commandsSent()).isEqualTo(1100);
    }

    @Test
    void theStricterOfBothLimitsWins() throws Exception {
        List<byte[]> c = cmd("SET", "k", "v"); // 27 bytes
        assertThat(RespEncoder.commandSize(c)).isEqualTo(27);
        Throttle byBytes = throttle(1000, 2700); // 100 commands/s by bytes, 1000 by count
        long start = now;
        for (int i = 0; i < 110; i++) { // 10 in the 270-byte burst, 100 more take 1 s
            byBytes.acquire(c, () -> true);
        }
        assertThat(now - start).isEqualTo(1000 * MS);
        Throttle byOps = throttle(10, 1_000_000); // 10 commands/s by count, far more by bytes
        start = now;
        for (int i = 0; i < 11; i++) { // 1 in the burst
            byOps.acquire(c, () -> true);
        }
        assertThat(now - start).isEqualTo(1000 * MS);
    }

    @Test
    void aLongWaitSleepsInSlicesAndEndsWhenTheConnectionCloses() throws Exception {
        Throttle t = throttle(0, 100); // a 10 000-byte command: 100 s at 100 bytes/s
        List<byte[]> big = List.of(new byte[10_000]);
        int[] checks = {0};
        assertThat(t.acquire(big, () -> ++checks[0] <= 3)).isFalse();
        assertThat(sleeps).hasSize(3).allMatch(n -> n == Throttle.SLICE_NANOS);
        assertThat(t.waitedNanos()).isEqualTo(3 * Throttle.SLICE_NANOS);
    }

    @Test
    void anInterruptEndsTheWait() {
        Throttle t = new Throttle(1, 0, () -> now, n -> {
            throw new InterruptedException();
        });
        assertThatThrownBy(() -> {
            t.acquire(cmd("PING"), () -> true); // the burst
            t.acquire(cmd("PING"), () -> true);
        }).isInstanceOf(InterruptedException.class);
    }

    @Test
    void onTheRealClockARealSleepIsAsLongAsTheLimitSays() throws Exception {
        long start = System.nanoTime(); // before the bucket's schedule starts (it counts from its creation)
        Throttle t = new Throttle(100, 0); // burst 10, then 10 ms each
        for (int i = 0; i < 30; i++) {
            t.acquire(cmd("PING"), () -> true);
        }
        long took = System.nanoTime() - start;
        assertThat(took).isGreaterThanOrEqualTo(200 * MS - MS);
        // the schedule is absolute: a thread held up between two acquires waits that much less, so only the
        // sign and the upper bound of the waited time are certain on a loaded machine
        assertThat(t.waitedNanos()).isPositive().isLessThanOrEqualTo(took);
    }

    @Test
    void rejectsNegativeAndHugeLimits() {
        assertThatThrownBy(() -> new Throttle(-1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxOpsPerSecond");
        assertThatThrownBy(() -> new Throttle(0, TokenBucket.MAX_RATE + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytesPerSecond");
    }

    @Test
    void anMsetCountsOneOperationPerKey() {
        java.nio.charset.Charset u = java.nio.charset.StandardCharsets.UTF_8;
        assertThat(Throttle.operations(List.of("MSET".getBytes(u), "a".getBytes(u), "1".getBytes(u), "b".getBytes(u),
                "2".getBytes(u)))).isEqualTo(2);
        assertThat(Throttle.operations(List.of("mset".getBytes(u), "a".getBytes(u), "1".getBytes(u)))).isEqualTo(1);
        assertThat(Throttle.operations(List.of("SET".getBytes(u), "a".getBytes(u), "1".getBytes(u)))).isEqualTo(1);
        assertThat(Throttle.operations(List.of("MSETNX".getBytes(u), "a".getBytes(u), "1".getBytes(u)))).isEqualTo(1);
    }
}
