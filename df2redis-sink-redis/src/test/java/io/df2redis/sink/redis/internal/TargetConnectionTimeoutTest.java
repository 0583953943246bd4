package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.client.RespClientOptions;
import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.sink.redis.TargetConnectionException;
import io.df2redis.sink.redis.RedisSink;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A server that accepts commands and never answers: the connection fails after the reply timeout, not never. */
class TargetConnectionTimeoutTest {
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
            long t0 = System.nanoTime();
            RespClientOptions o = RespClientOptions.builder().connectTimeout(Duration.ofSeconds(2))
                    .replyTimeout(Duration.ofSeconds(2)).build();
            // the connection's first command (PING) is never answered: it fails after the reply timeout
            assertThatThrownBy(() -> TargetConnection.connect(group, HostAndPort.of("127.0.0.1", server.getLocalPort()),
                    o, "silent", 16, 0, ConnectFailures.TARGET))
                    .isInstanceOf(TargetConnectionException.class).hasMessageContaining("no reply")
                    .satisfies(e -> assertThat(((TargetConnectionException) e).endpoint())
                            .isEqualTo("127.0.0.1:" + server.getLocalPort()));
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isBetween(1L, 10L);
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
