package io.df2redis.replica.internal;

import io.df2redis.replica.ConnectionException;
import io.df2redis.replica.DragonflyEndpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Opens TCP (optionally TLS) connections to the master with keepalive and no idle timeout. */
final class Connections {
    private Connections() {
    }

    static CompletableFuture<Channel> connect(EventLoopGroup group, DragonflyEndpoint ep, Duration timeout,
                                              Supplier<ChannelHandler> handler) {
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ep.ssl() != null) {
                            ch.pipeline().addLast("tls", ep.ssl().newHandler(ch.alloc(), ep.host(), ep.port()));
                        }
                        ch.pipeline().addLast("handler", handler.get());
                    }
                });
        keepalive(b);
        CompletableFuture<Channel> result = new CompletableFuture<>();
        ChannelFuture f = b.connect(ep.host(), ep.port());
        f.addListener(done -> {
            if (done.isSuccess()) {
                result.complete(f.channel());
            } else {
                result.completeExceptionally(new ConnectionException("cannot connect to " + ep.host() + ":"
                        + ep.port() + ": " + done.cause().getMessage(), done.cause()));
            }
        });
        return result;
    }

    /** Dragonfly's replica settings: keepalive idle 300 s, interval 100 s, 3 probes (spec §7.1). */
    @SuppressWarnings("unchecked")
    private static void keepalive(Bootstrap b) {
        try {
            Class<?> ext = Class.forName("jdk.net.ExtendedSocketOptions");
            b.option(NioChannelOption.of((java.net.SocketOption<Integer>) ext.getField("TCP_KEEPIDLE").get(null)), 300);
            b.option(NioChannelOption.of((java.net.SocketOption<Integer>) ext.getField("TCP_KEEPINTERVAL").get(null)),
                    100);
            b.option(NioChannelOption.of((java.net.SocketOption<Integer>) ext.getField("TCP_KEEPCOUNT").get(null)), 3);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // platform without these options: plain SO_KEEPALIVE
        }
    }
}
