package io.df2redis.sink.redis.internal;

import io.df2redis.replica.ConnectionException;
import io.df2redis.sink.redis.RedisSink;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A server that accepts commands and never answers: the connection fails after the reply timeout, not never. */
class RespConnectionTimeoutTest {
    @Test
    void outstandingCommandsFailWhenNoReplyComes() throws Exception {
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread silent = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    while (in.read() >= 0) {
                        // swallow every command, answer nothing
                    }
                } catch (Exception ignored) {
                    // closed by the client
                }
            });
            silent.setDaemon(true);
            silent.start();
            RespConnection c = RespConnection.connect(group, "127.0.0.1", server.getLocalPort(), null, false,
                    Duration.ofSeconds(2), Duration.ofSeconds(2), 16, "silent");
            long t0 = System.nanoTime();
            CompletableFuture<?> f = c.send(List.of("PING".getBytes(StandardCharsets.US_ASCII)));
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ConnectionException.class).hasMessageContaining("no reply from Redis");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isBetween(1L, 10L);
            c.closed().get(10, TimeUnit.SECONDS); // the watchdog closes the channel right after failing it
            assertThat(c.isActive()).isFalse();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void uriErrorsNeverShowThePassword() {
        assertThatThrownBy(() -> RedisSink.standalone("http://user:s3cret@host:1")).hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> RedisSink.standalone("redis://user:s3cret@:1/")).hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> RedisSink.cluster("redis://:s3cret@h:1/3")).hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> RedisSink.standalone("redis://u:s3cret@h:1/ bad")).hasMessageNotContaining("s3cret");
    }
}
