package io.df2redis.testkit.proxy;

import io.df2redis.protocol.resp.BulkString;
import io.df2redis.testkit.redis.RedisServerProcess;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class FaultProxyForwardingTest {

    @Test
    void aLargeRandomPayloadPassesUnchangedBothWaysAndEndOfStreamIsPassedOn() throws Exception {
        byte[] payload = new byte[8 << 20];
        new Random(7).nextBytes(payload);
        try (Upstream echo = Upstream.echo();
             FaultProxy proxy = FaultProxy.start("127.0.0.1", echo.port());
             Socket s = Net.connect(proxy)) {
            ProxiedConnection c = proxy.awaitConnection(x -> true, Duration.ofSeconds(5));
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int off = 0; off < payload.length; off += 100_000) {
                        out.write(payload, off, Math.min(100_000, payload.length - off));
                    }
                    s.shutdownOutput();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Net.Received back = Net.readToEnd(s);
            writer.get(10, TimeUnit.SECONDS);

            assertThat(back.reset()).as("ended with a FIN, not a reset").isFalse();
            assertThat(back.bytes()).hasSize(payload.length);
            assertThat(sha256(back.bytes())).isEqualTo(sha256(payload));
            assertThat(c.bytesClientToUpstream()).isEqualTo(payload.length);
            assertThat(c.bytesUpstreamToClient()).isEqualTo(payload.length);
            assertThat(c.bytes(Direction.CLIENT_TO_UPSTREAM)).isEqualTo(payload.length);
            // both sides have sent their FIN: the connection is over
            c.closeFuture().get(5, TimeUnit.SECONDS);
            assertThat(c.isOpen()).isFalse();
            assertThat(proxy.connections()).isEmpty();
            assertThat(proxy.faultCount()).isZero();
        }
    }

    @Test
    void redisCommandsWorkThroughTheProxy() throws Exception {
        byte[] value = new byte[1 << 20];
        new Random(11).nextBytes(value);
        try (RedisServerProcess redis = RedisServerProcess.start();
             FaultProxy proxy = FaultProxy.start("127.0.0.1", redis.port());
             SyncRespClient client = SyncRespClient.connect(proxy.host(), proxy.port(), null, null)) {
            client.ok("SET", "big", value);
            BulkString got = (BulkString) client.ok("GET", "big");
            assertThat(sha256(got.value())).isEqualTo(sha256(value));
            ProxiedConnection c = proxy.connections().get(0);
            assertThat(c.firstCommand()).isEmpty(); // SET with a 1 MiB value does not fit in 256 bytes
            assertThat(c.bytesClientToUpstream()).isGreaterThan(value.length);
            assertThat(c.bytesUpstreamToClient()).isGreaterThan(value.length);
        }
    }

    @Test
    void aClientIsResetWhenTheUpstreamServerIsDown() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", deadPort);
             Socket s = Net.connect(proxy)) {
            Net.Received r = Net.readToEnd(s);
            assertThat(r.bytes()).isEmpty();
            Net.await("the connection to go away", Duration.ofSeconds(5), () -> proxy.connections().isEmpty());
            assertThat(proxy.acceptedCount()).isEqualTo(1);
        }
    }

    static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
