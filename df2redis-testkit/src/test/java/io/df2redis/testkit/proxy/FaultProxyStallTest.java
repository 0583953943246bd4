package io.df2redis.testkit.proxy;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultProxyStallTest {

    @Test
    void aStallBlocksDeliveryAndPushesBackOnTheSenderUntilResume() throws Exception {
        byte[] payload = new byte[32 << 20];
        new Random(9).nextBytes(payload);
        AtomicLong upstreamGot = new AtomicLong();
        try (Upstream echo = Upstream.start(s -> {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    upstreamGot.addAndGet(n);
                    out.write(buf, 0, n);
                }
                s.shutdownOutput();
            });
             FaultProxy proxy = FaultProxy.start("127.0.0.1", echo.port());
             Socket s = Net.connect(proxy)) {
            ProxiedConnection c = proxy.awaitConnection(x -> true, Duration.ofSeconds(5));
            c.stall();
            assertThat(c.isStalled()).isTrue();

            AtomicLong written = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int off = 0; off < payload.length; off += 64 * 1024) {
                        int n = Math.min(64 * 1024, payload.length - off);
                        out.write(payload, off, n);
                        written.addAndGet(n);
                    }
                    s.shutdownOutput();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            AtomicLong read = new AtomicLong();
            CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[64 * 1024];
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        md.update(buf, 0, n);
                        read.addAndGet(n);
                    }
                    return md.digest();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            // the writer blocks: the proxy does not read while stalled, so the socket buffers fill up
            long blockedAt = Net.awaitStable("the writer", Duration.ofSeconds(10), Duration.ofMillis(300), written::get);
            assertThat(blockedAt).isLessThan(payload.length);
            assertThat(writer).isNotDone();
            assertThat(c.bytesClientToUpstream()).isZero();
            assertThat(c.bytesUpstreamToClient()).isZero();
            assertThat(upstreamGot.get()).isZero();
            assertThat(read.get()).isZero();

            c.resume();
            assertThat(c.isStalled()).isFalse();
            writer.get(10, TimeUnit.SECONDS);
            assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(payload));
            assertThat(c.bytesClientToUpstream()).isEqualTo(payload.length);
            assertThat(proxy.faultCount()).isEqualTo(1);
        }
    }

    @Test
    void aTimedStallResumesByItself() throws Exception {
        try (Upstream echo = Upstream.echo();
             FaultProxy proxy = FaultProxy.start("127.0.0.1", echo.port());
             Socket s = Net.connect(proxy)) {
            ProxiedConnection c = proxy.awaitConnection(x -> true, Duration.ofSeconds(5));
            long start = System.nanoTime();
            c.stall(Duration.ofMillis(300));
            assertThat(Net.roundTrip(s, "late")).isEqualTo("late");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
            assertThat(c.isStalled()).isFalse();
            assertThatThrownBy(() -> c.stall(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aStallOfTheProxyAlsoHoldsConnectionsAcceptedLaterUntilResume() throws Exception {
        try (Upstream echo = Upstream.echo();
             FaultProxy proxy = FaultProxy.start("127.0.0.1", echo.port())) {
            proxy.stall();
            try (Socket s = Net.connect(proxy)) {
                ProxiedConnection c = proxy.awaitConnection(x -> true, Duration.ofSeconds(5));
                assertThat(c.isStalled()).isTrue();
                s.getOutputStream().write("ping".getBytes());
                s.setSoTimeout(200);
                assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                assertThat(c.bytesClientToUpstream()).isZero();

                proxy.resume();
                s.setSoTimeout(5000);
                assertThat(new String(s.getInputStream().readNBytes(4))).isEqualTo("ping");
                assertThat(c.isStalled()).isFalse();
                assertThat(proxy.faultCount()).isEqualTo(1);
            }
        }
    }
}
