package io.df2redis.testkit.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class FaultProxyBackPressureTest {

    @Test
    void aReceiverThatDoesNotReadMakesTheSenderBlockInsteadOfTheProxyBuffering() throws Exception {
        AtomicLong sent = new AtomicLong();
        try (Upstream up = Upstream.start(s -> {
                s.setSendBufferSize(64 * 1024);
                OutputStream out = s.getOutputStream();
                byte[] chunk = pattern(0, 64 * 1024);
                while (true) { // until the proxy goes away
                    out.write(chunk);
                    sent.addAndGet(chunk.length);
                }
            });
             FaultProxy proxy = FaultProxy.start("127.0.0.1", up.port());
             Socket s = new Socket()) {
            s.setReceiveBufferSize(64 * 1024);
            s.setSoTimeout(5000);
            s.connect(new InetSocketAddress(proxy.host(), proxy.port()));
            ProxiedConnection c = proxy.awaitConnection(x -> true, Duration.ofSeconds(5));

            long stalledAt = Net.awaitStable("the upstream sender", Duration.ofSeconds(10), Duration.ofMillis(300), sent::get);
            assertThat(stalledAt).as("bytes sent before the sender blocked").isLessThan(64L << 20);
            assertThat(c.bytesUpstreamToClient()).isLessThanOrEqualTo(stalledAt);
            if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider m) {
                long used = m.metric().usedDirectMemory() + m.metric().usedHeapMemory();
                assertThat(used).as("Netty buffer memory in use").isLessThan(32L << 20);
            }

            // nothing was lost or reordered meanwhile
            InputStream in = s.getInputStream();
            byte[] got = in.readNBytes(4 << 20);
            assertThat(got).isEqualTo(pattern(0, 4 << 20));
        }
    }

    /** The bytes of the repeating 64 KiB pattern from {@code offset}. */
    private static byte[] pattern(long offset, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            long p = (offset + i) % (64 * 1024);
            b[i] = (byte) (p * 31 + (p >> 8));
        }
        return b;
    }
}
