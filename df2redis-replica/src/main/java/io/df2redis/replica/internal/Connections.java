package io.df2redis.replica.internal;

import io.df2redis.protocol.Futures;
import io.df2redis.protocol.ProtocolException;
import io.df2redis.protocol.client.RespClient;
import io.df2redis.protocol.client.RespClientException;
import io.df2redis.protocol.client.RespClientOptions;
import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.tls.TlsHandlers;
import io.df2redis.replica.ConnectionException;
import io.df2redis.replica.DragonflyEndpoint;
import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.ReplicationProtocolException;
import io.df2redis.replica.TlsHandshakeException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Opens connections to the Dragonfly source as {@link RespClient}s: TCP with Dragonfly's replica
 * keepalive settings and no idle timeout, TLS from {@link TlsHandlers} (the library's one TLS
 * set-up), then the protocol module's RESP client attached to the channel. With TLS, the client is
 * made only after the handshake succeeded; the server certificate must name the endpoint's host
 * unless the endpoint turned that off ({@link DragonflyEndpoint#verifyHostname(boolean)}).
 * Handshake failures are {@link TlsHandshakeException}s saying why (host name mismatch, untrusted
 * certificate…). The socket options are set here rather than through {@code RespClient.connect},
 * which has no place for the TCP keepalive timings. Stateless.
 */
final class Connections {
    private Connections() {
    }

    /**
     * Connects to the source and attaches a RESP client called {@code name}, without AUTH (the
     * handshake sends it, so that its refusal is reported with the source's own words).
     *
     * @return the client; fails with a {@link ConnectionException} or {@link TlsHandshakeException}
     */
    static CompletableFuture<RespClient> connect(EventLoopGroup group, DragonflyEndpoint ep, Duration timeout,
                                                 String name) {
        return channel(group, ep, timeout).thenCompose(ch -> RespClient.attach(ch,
                HostAndPort.of(ep.host(), ep.port()), RespClientOptions.builder().name(name)
                        .connectTimeout(timeout).build()).toCompletableFuture()
                .exceptionally(e -> {
                    ch.close();
                    throw failure(e, name, ep);
                }));
    }

    /**
     * The replica's exception for a failure of a connection to the source: a malformed reply is a
     * {@link ReplicationProtocolException}, anything else of the RESP client a
     * {@link ConnectionException}; both name the source and the connection.
     */
    static ReplicationException failure(Throwable t, String name, DragonflyEndpoint ep) {
        Throwable e = Futures.unwrap(t);
        if (e instanceof ReplicationException r) {
            return r;
        }
        String where = name + " to the Dragonfly source at " + ep.address();
        if (e instanceof RespClientException rc && rc.getCause() instanceof ProtocolException p) {
            return new ReplicationProtocolException(where + ": malformed reply: " + p.getMessage(), p);
        }
        if (e instanceof RespClientException) {
            return new ConnectionException(e.getMessage() + " (" + where + ")", e);
        }
        return new ConnectionException(where + " failed: " + e, e);
    }

    private static CompletableFuture<Channel> channel(EventLoopGroup group, DragonflyEndpoint ep, Duration timeout) {
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
                            ch.pipeline().addLast(RespClient.TLS_NAME, tls);
                        }
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
            TlsHandlers.whenHandshaken(ch, () -> result.complete(ch), cause -> {
                ch.close();
                result.completeExceptionally(new TlsHandshakeException("TLS handshake with the Dragonfly source at "
                        + ep.address() + " failed: " + TlsHandlers.describe(cause, ep.host(),
                        "DragonflyEndpoint.verifyHostname(false)"), TlsHandlers.classify(cause), cause));
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
