package io.df2redis.testkit.proxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultProxyCutTest {
    private static final int PAYLOAD = 1 << 20;

    /** Waits for one byte ("go"), sends {@code payload}, then waits for the other side to go away. */
    private static Upstream sender(byte[] payload) throws Exception {
        return Upstream.start(s -> {
            InputStream in = s.getInputStream();
            if (in.read() < 0) {
                return;
            }
            s.getOutputStream().write(payload);
            s.getOutputStream().flush();
            while (in.read() >= 0) {
                // until end-of-stream or a reset
            }
        });
    }

    @ParameterizedTest(name = "cut after {0} bytes")
    @ValueSource(longs = {0, 1, 65_535, 65_536, 65_537, 777_777, PAYLOAD - 1})
    void cutAfterUpstreamToClientDeliversExactlyTheBytesBeforeTheCut(long offset) throws Exception {
        byte[] payload = payload(offset);
        try (Upstream up = sender(payload);
             FaultProxy proxy = FaultProxy.start("127.0.0.1", up.port());
             Socket s = Net.connect(proxy)) {
            ProxiedConnection c = proxy.awaitConnection(x -> true, Duration.ofSeconds(5));
            c.cutAfter(Direction.UPSTREAM_TO_CLIENT, offset);
            s.getOutputStream().write('g');

            Net.Received r = Net.readToEnd(s);
            assertThat(r.bytes()).hasSize((int) offset);
            assertThat(r.bytes()).isEqualTo(Arrays.copyOf(payload, (int) offset));
            assertThat(r.reset()).as("the receiver gets a FIN after its bytes").isFalse();
            assertThat(c.isOpen()).isFalse();
            assertThat(proxy.connections()).isEmpty();
            s.close(); // the proxy reads the receiver's side until it closes, then closes its socket
            c.closeFuture().get(5, TimeUnit.SECONDS);
            assertThat(c.bytesUpstreamToClient()).isEqualTo(offset);
            assertThat(proxy.faultCount()).isEqualTo(1);
        }
    }

    @Test
    void cutAtRandomByteDeliversExactlyThatManyBytesAndReturnsTheOffset() throws Exception {
        long seed = new Random().nextLong();
        byte[] payload = payload(seed);
        try (Upstream up = sender(payload);
             FaultProxy proxy = FaultProxy.start("127.0.0.1", up.port());
             Socket s = Net.connect(proxy)) {
            ProxiedConnection c = proxy.awaitConnection(x -> true, Duration.ofSeconds(5));
            long offset = c.cutAtRandomByte(new Random(seed), Direction.UPSTREAM_TO_CLIENT, PAYLOAD);
            s.getOutputStream().write('g');

            Net.Received r = Net.readToEnd(s);
            assertThat(offset).as("seed %d", seed).isEqualTo(new Random(seed).nextLong(PAYLOAD));
            assertThat(r.bytes()).as("seed %d, offset %d", seed, offset)
                    .isEqualTo(Arrays.copyOf(payload, (int) offset));
        }
    }

    @Test
    void cutAfterClientToUpstreamDeliversExactlyTheBytesBeforeTheCutAndResetsTheClient() throws Exception {
        byte[] payload = payload(3);
        long offset = 300_001;
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        try (Upstream up = Upstream.start(s -> {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                try {
                    s.getInputStream().transferTo(got);
                } finally {
                    received.complete(got.toByteArray());
                }
            });
             FaultProxy proxy = FaultProxy.start("127.0.0.1", up.port());
             Socket s = Net.connect(proxy)) {
            ProxiedConnection c = proxy.awaitConnection(x -> true, Duration.ofSeconds(5));
            c.cutAfter(Direction.CLIENT_TO_UPSTREAM, offset);
            CompletableFuture<Boolean> writer = CompletableFuture.supplyAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int off = 0; off < payload.length; off += 10_000) {
                        out.write(payload, off, Math.min(10_000, payload.length - off));
                    }
                    return false;
                } catch (Exception e) {
                    return true; // reset by the proxy: expected once the cut happened
                }
            });

            assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo(Arrays.copyOf(payload, (int) offset));
            Net.Received r = Net.readToEnd(s);
            assertThat(r.bytes()).isEmpty();
            writer.get(5, TimeUnit.SECONDS);
            assertThat(c.bytesClientToUpstream()).isEqualTo(offset);
        }
    }

    @Test
    void cutResetsBothSidesAtOnce() throws Exception {
        CompletableFuture<Boolean> upstreamReset = new CompletableFuture<>();
        try (Upstream up = Upstream.start(s -> {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                try {
                    for (int b; (b = in.read()) >= 0; ) {
                        out.write(b);
                    }
                    upstreamReset.complete(false);
                } catch (Exception e) {
                    upstreamReset.complete(true);
                }
            });
             FaultProxy proxy = FaultProxy.start("127.0.0.1", up.port());
             Socket s = Net.connect(proxy)) {
            assertThat(Net.roundTrip(s, "x")).isEqualTo("x");
            ProxiedConnection c = proxy.connections().get(0);
            c.cut();

            assertThat(c.isOpen()).isFalse();
            assertThat(Net.readToEnd(s).reset()).as("the client sees a reset").isTrue();
            assertThat(upstreamReset.get(5, TimeUnit.SECONDS)).as("the upstream sees a reset").isTrue();
            assertThat(proxy.faultCount()).isEqualTo(1);
            c.closeFuture().get(5, TimeUnit.SECONDS);
            assertThat(proxy.connections()).isEmpty();
        }
    }

    @Test
    void aCutOnTheProxyCutsEveryLiveConnectionAndNewOnesStillWork() throws Exception {
        try (Upstream echo = Upstream.echo();
             FaultProxy proxy = FaultProxy.start("127.0.0.1", echo.port())) {
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    clients.add(Net.connect(proxy));
                    assertThat(Net.roundTrip(clients.get(i), "hello " + i)).isEqualTo("hello " + i);
                }
                assertThat(proxy.connections()).extracting(ProxiedConnection::index).containsExactly(0, 1, 2);
                proxy.cut();

                for (Socket s : clients) {
                    assertThat(Net.readToEnd(s).bytes()).isEmpty();
                }
                assertThat(proxy.faultCount()).isEqualTo(3);
                try (Socket again = Net.connect(proxy)) {
                    assertThat(Net.roundTrip(again, "still here")).isEqualTo("still here");
                    assertThat(proxy.connections()).extracting(ProxiedConnection::index).containsExactly(3);
                }
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
        }
    }

    @Test
    void afterStallsAtExactlyThatByteAndResumeDeliversTheRest() throws Exception {
        byte[] payload = payload(5);
        try (Upstream up = sender(payload);
             FaultProxy proxy = FaultProxy.start("127.0.0.1", up.port());
             Socket s = Net.connect(proxy)) {
            ProxiedConnection c = proxy.awaitConnection(x -> true, Duration.ofSeconds(5));
            c.after(Direction.UPSTREAM_TO_CLIENT, 100_000).stall();
            s.getOutputStream().write('g');

            byte[] first = s.getInputStream().readNBytes(100_000);
            Net.await("the stall at byte 100000", Duration.ofSeconds(5), c::isStalled);
            assertThat(c.bytesUpstreamToClient()).isEqualTo(100_000);
            assertThat(first).isEqualTo(Arrays.copyOf(payload, 100_000));
            assertThat(proxy.faultCount()).isEqualTo(1);

            c.resume();
            byte[] rest = s.getInputStream().readNBytes(PAYLOAD - 100_000);
            assertThat(rest).isEqualTo(Arrays.copyOfRange(payload, 100_000, PAYLOAD));
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void cutAtRandomByteIsReproducibleFromItsSeedAndChecksItsBound() {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", 1)) {
            for (long seed = 0; seed < 20; seed++) {
                long a = proxy.cutAtRandomByte(new Random(seed), Direction.UPSTREAM_TO_CLIENT, 1000);
                long b = proxy.cutAtRandomByte(new Random(seed), Direction.UPSTREAM_TO_CLIENT, 1000);
                assertThat(a).isEqualTo(b).isBetween(0L, 999L);
            }
            assertThat(proxy.cutAtRandomByte(new Random(1), Direction.CLIENT_TO_UPSTREAM, 1)).isZero();
            assertThatThrownBy(() -> proxy.cutAtRandomByte(new Random(1), Direction.CLIENT_TO_UPSTREAM, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> proxy.cutAfter(Direction.CLIENT_TO_UPSTREAM, -1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(proxy.faultCount()).as("no connection, no fault").isZero();
        }
    }

    private static byte[] payload(long seed) {
        byte[] b = new byte[PAYLOAD];
        new Random(seed).nextBytes(b);
        return b;
    }
}
