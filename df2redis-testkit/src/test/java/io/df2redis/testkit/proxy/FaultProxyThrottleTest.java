package io.df2redis.testkit.proxy;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultProxyThrottleTest {
    private static final int PAYLOAD = 8 << 20;
    private static final long RATE = 256 * 1024;

    @Test
    void aThrottleBoundsTheRateOfItsDirectionUntilUnthrottled() throws Exception {
        try (Upstream up = Upstream.start(s -> {
                if (s.getInputStream().read() < 0) {
                    return;
                }
                s.getOutputStream().write(new byte[PAYLOAD]);
                s.shutdownOutput();
                while (s.getInputStream().read() >= 0) {
                    // until the client closes
                }
            });
             FaultProxy proxy = FaultProxy.start("127.0.0.1", up.port());
             Socket s = Net.connect(proxy)) {
            ProxiedConnection c = proxy.awaitConnection(x -> true, Duration.ofSeconds(5));
            c.throttle(Direction.UPSTREAM_TO_CLIENT, RATE);
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[64 * 1024];
                    long total = 0;
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        total += n;
                    }
                    return total;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            s.getOutputStream().write('g');
            Net.await("the first throttled bytes", Duration.ofSeconds(5), () -> c.bytesUpstreamToClient() > 0);

            long t0 = System.nanoTime();
            long b0 = c.bytesUpstreamToClient();
            Thread.sleep(1000);
            long b1 = c.bytesUpstreamToClient();
            long t1 = System.nanoTime();
            double seconds = (t1 - t0) / 1e9;
            // the limit plus a generous margin and one burst (20 ms worth); unthrottled it would be all 8 MiB at once
            assertThat(b1 - b0).as("bytes in %.3f s at %d B/s", seconds, RATE)
                    .isPositive()
                    .isLessThanOrEqualTo((long) (RATE * seconds * 1.5) + RATE / 50);
            assertThat(c.bytesClientToUpstream()).as("the other direction is not throttled").isEqualTo(1);
            assertThat(proxy.faultCount()).isEqualTo(1);

            c.unthrottle();
            // at the throttled rate the rest would take about 30 s
            assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo(PAYLOAD);
            assertThat(c.bytesUpstreamToClient()).isEqualTo(PAYLOAD);
            assertThatThrownBy(() -> c.throttle(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
