package io.df2redis.replica.internal;

import io.df2redis.protocol.tls.TlsHandlers;
import io.df2redis.replica.ConnectionException;
import io.df2redis.replica.DragonflyEndpoint;
import io.df2redis.replica.TlsHandshakeException;
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
import io.netty.handler.ssl.SslHandler;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Opens TCP (optionally TLS) connections to the Dragonfly source with keepalive and no idle
 * timeout. With TLS, the connection is handed over only after the handshake succeeded; the
 * server certificate must name the endpoint's host unless the endpoint turned that off
 * ({@link DragonflyEndpoint#verifyHostname(boolean)}). Handshake failures are
 * {@link TlsHandshakeException}s saying why (host name mismatch, untrusted certificate…).
 */
final class Connections {
    private Connections() {
    }

    static CompletableFuture<Channel> connect(EventLoopGroup group, DragonflyEndpoint ep, Duration timeout,
                                              Supplier<ChannelHandler> handler) {
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMs)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ep.ssl() != null) {
                            SslHandler tls = TlsHandlers.newHandler(ep.ssl(), ch.alloc(), ep.host(), ep.port(),
                                    ep.isVerifyHostname());
                            tls.setHandshakeTimeoutMillis(timeoutMs);
                            ch.pipeline().addLast("tls", tls);
                        }
                        ch.pipeline().addLast("handler", handler.get());
                    }
                });
        keepalive(b);
        CompletableFuture<Channel> result = new CompletableFuture<>();
        ChannelFuture f = b.connect(ep.host(), ep.port());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                result.completeExceptionally(new ConnectionException("cannot connect to the Dragonfly source at "
                        + ep.address() + ": " + done.cause().getMessage(), done.cause()));
                return;
            }
            Channel ch = f.channel();
            SslHandler tls = ch.pipeline().get(SslHandler.class);
            if (tls == null) {
                result.complete(ch);
                return;
            }
            tls.handshakeFuture().addListener(hs -> {
                if (hs.isSuccess()) {
                    result.complete(ch);
                } else {
                    ch.close();
                    result.completeExceptionally(new TlsHandshakeException("TLS handshake with the Dragonfly source at "
                            + ep.address() + " failed: " + TlsHandlers.describe(hs.cause(), ep.host(),
                            "DragonflyEndpoint.verifyHostname(false)"), TlsHandlers.classify(hs.cause()), hs.cause()));
                }
            });
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
