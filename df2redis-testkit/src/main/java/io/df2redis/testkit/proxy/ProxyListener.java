package io.df2redis.testkit.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.AttributeKey;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The listening socket of a {@link FaultProxy}: a loopback port whose accepted sockets start with
 * auto-read off and half-closure allowed, numbered in accept order. Stateless.
 */
final class ProxyListener {
    /** The accept-order number of an accepted socket. */
    static final AttributeKey<Integer> INDEX = AttributeKey.valueOf("fault-proxy-index");

    private ProxyListener() {
    }

    /**
     * Binds a free loopback port on {@code group}; each accepted socket gets the next number of
     * {@code accepted} ({@link #INDEX}, on the listener's event loop) and is handed to {@code accept}
     * on its own event loop.
     *
     * @return the listening channel
     * @throws IllegalStateException when no port can be bound
     */
    static Channel bind(EventLoopGroup group, AtomicInteger accepted, Consumer<SocketChannel> accept) {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        // on the listener's event loop, in accept order
                        ((Channel) msg).attr(INDEX).set(accepted.getAndIncrement());
                        ctx.fireChannelRead(msg);
                    }
                })
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accept.accept(ch);
                    }
                });
        ChannelFuture f = b.bind(InetAddress.getLoopbackAddress(), 0).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IllegalStateException(String.valueOf(f.cause()), f.cause());
        }
        return f.channel();
    }

    /** Runs {@code task} on {@code ch}'s event loop (at once when already there). */
    static CompletableFuture<Void> onLoop(Channel ch, Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable r = () -> {
            task.run();
            done.complete(null);
        };
        if (ch.eventLoop().inEventLoop()) {
            r.run();
        } else {
            ch.eventLoop().execute(r);
        }
        return done;
    }
}
