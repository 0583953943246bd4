package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.ProtocolException;
import io.df2redis.protocol.resp.RespDecoder;
import io.df2redis.protocol.resp.RespEncoder;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.tls.TlsHandlers;
import io.df2redis.replica.ConnectionException;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A pipelined RESP connection to Redis: commands are written in call order, replies matched to
 * them first-in first-out. At most {@code window} commands are outstanding; {@link #send} blocks
 * the <em>calling</em> thread (never the event loop, which it must not be called from) while the
 * window is full. Thread-safe.
 */
public final class RespConnection {
    private final Channel channel;
    private final Handler handler;
    private final Semaphore window;
    private final String name;
    private final java.util.Queue<Outgoing> outbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean drainScheduled =
            new java.util.concurrent.atomic.AtomicBoolean();

    private RespConnection(Channel channel, Handler handler, Semaphore window, String name) {
        this.channel = channel;
        this.handler = handler;
        this.window = window;
        this.name = name;
    }

    /** Connects; with TLS, the server certificate must name {@code host}. */
    public static RespConnection connect(EventLoopGroup group, String host, int port, SslContext ssl,
                                         Duration timeout, int window, String name) {
        return connect(group, host, port, ssl, true, timeout, DEFAULT_REPLY_TIMEOUT, window, name);
    }

    /** How long commands may wait for a reply before the connection is declared dead (by default). */
    public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofMinutes(5);

    /**
     * Connects (with TLS when {@code ssl} is set; the handshake completes before the first reply).
     *
     * @param verifyHostname whether the server certificate must name {@code host} (HTTPS rules)
     */
    public static RespConnection connect(EventLoopGroup group, String host, int port, SslContext ssl,
                                         boolean verifyHostname, Duration timeout, int window, String name) {
        return connect(group, host, port, ssl, verifyHostname, timeout, DEFAULT_REPLY_TIMEOUT, window, name);
    }

    /**
     * @param replyTimeout while commands are outstanding and no reply arrived for this long, the
     *     connection fails (its commands complete with a {@link ConnectionException}) and closes: a
     *     half-open connection or a hung server cannot block the sender forever
     */
    public static RespConnection connect(EventLoopGroup group, String host, int port, SslContext ssl,
                                         boolean verifyHostname, Duration timeout, Duration replyTimeout,
                                         int window, String name) {
        Semaphore sem = new Semaphore(window);
        Handler h = new Handler(sem, name);
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(TlsHandlers.newHandler(ssl, ch.alloc(), host, port, verifyHostname));
                        }
                        ch.pipeline().addLast(h);
                    }
                });
        ChannelFuture f = b.connect(host, port);
        if (!f.awaitUninterruptibly(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS) || !f.isSuccess()) {
            f.channel().close();
            Throwable c = f.cause();
            throw new ConnectionException("cannot connect to Redis at " + host + ":" + port + ": "
                    + (c == null ? "timeout" : c.getMessage()), c);
        }
        SslHandler tls = f.channel().pipeline().get(SslHandler.class);
        if (tls != null) {
            io.netty.util.concurrent.Future<Channel> hs = tls.handshakeFuture();
            if (!hs.awaitUninterruptibly(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS) || !hs.isSuccess()) {
                f.channel().close();
                Throwable c = hs.cause();
                throw new ConnectionException("TLS handshake with Redis at " + host + ":" + port + " failed: "
                        + (c == null ? "timeout" : c.getMessage()), c);
            }
        }
        Channel ch = f.channel();
        long limit = replyTimeout.toNanos();
        io.netty.util.concurrent.ScheduledFuture<?> watchdog = ch.eventLoop().scheduleAtFixedRate(() -> {
            if (!h.pending.isEmpty() && System.nanoTime() - h.lastProgressNanos > limit) {
                h.fail(new ConnectionException(name + ": no reply from Redis at " + host + ":" + port + " for "
                        + replyTimeout.toSeconds() + " s with " + h.pending.size() + " commands outstanding"));
                ch.close();
            }
        }, 1, 1, TimeUnit.SECONDS);
        ch.closeFuture().addListener(x -> watchdog.cancel(false));
        return new RespConnection(ch, h, sem, name);
    }

    public String name() {
        return name;
    }

    public boolean isActive() {
        return channel.isActive() && !handler.closed.isDone();
    }

    /** Commands written but not yet answered. */
    public int inFlight() {
        return handler.outstanding();
    }

    /**
     * Sends one command; the future completes with its reply (an error reply is a normal
     * completion) or exceptionally with a {@link ConnectionException} when the connection fails.
     */
    public CompletableFuture<RespReply> send(List<byte[]> args) {
        CompletableFuture<RespReply> f = new CompletableFuture<>();
        if (channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException("send() must not be called from the event loop");
        }
        try {
            while (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (!isActive()) {
                    f.completeExceptionally(new ConnectionException(name + ": connection to Redis closed"));
                    return f;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.completeExceptionally(new ConnectionException(name + ": interrupted while waiting for the window"));
            return f;
        }
        ByteBuf buf = RespEncoder.encode(channel.alloc(), args);
        outbox.add(new Outgoing(buf, f));
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(() -> drainOutbox(false));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                drainOutbox(true); // the event loop is gone: fail what is queued here
            }
        }
        return f;
    }

    /**
     * On the event loop: writes every queued command and flushes once. Callers enqueue without
     * waking the event loop per command, so a pipelined burst costs one task and one flush.
     */
    private void drainOutbox(boolean failAll) {
        drainScheduled.set(false);
        Outgoing o;
        boolean wrote = false;
        while ((o = outbox.poll()) != null) {
            if (failAll || !channel.isActive() || handler.closed.isDone()) {
                o.buf().release();
                window.release();
                o.reply().completeExceptionally(new ConnectionException(name + ": connection to Redis closed"));
                continue;
            }
            if (handler.pending.isEmpty()) {
                handler.lastProgressNanos = System.nanoTime(); // the reply clock starts with the first outstanding
            }
            handler.pending.add(o.reply());
            channel.write(o.buf(), channel.voidPromise()); // a failed write fails the pipeline via exceptionCaught
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    private record Outgoing(ByteBuf buf, CompletableFuture<RespReply> reply) {
    }

    /** Completes when the connection closed. */
    public CompletableFuture<Void> closed() {
        return handler.closed;
    }

    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    static final class Handler extends ChannelInboundHandlerAdapter {
        final ArrayDeque<CompletableFuture<RespReply>> pending = new ArrayDeque<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final RespDecoder decoder = new RespDecoder();
        private final Semaphore window;
        private final String name;
        private ByteBuf cum;
        /** When the last reply arrived (or the first command went out to an idle connection). */
        long lastProgressNanos = System.nanoTime();

        Handler(Semaphore window, String name) {
            this.window = window;
            this.name = name;
        }

        int outstanding() {
            return pending.size();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            cum = cum == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cum, in);
            try {
                RespReply r;
                while ((r = decoder.decode(cum)) != null) {
                    CompletableFuture<RespReply> f = pending.poll();
                    if (f == null) {
                        throw new ConnectionException(name + ": unsolicited reply from Redis: " + r);
                    }
                    window.release();
                    lastProgressNanos = System.nanoTime();
                    f.complete(r);
                }
            } catch (ProtocolException e) {
                fail(new ConnectionException(name + ": malformed reply from Redis: " + e.getMessage(), e));
                ctx.close();
                return;
            } catch (RuntimeException e) {
                fail(e);
                ctx.close();
                return;
            }
            if (!cum.isReadable()) {
                cum.release();
                cum = null;
            } else {
                cum.discardSomeReadBytes();
            }
        }

        void fail(RuntimeException e) {
            CompletableFuture<RespReply> f;
            while ((f = pending.poll()) != null) {
                window.release();
                f.completeExceptionally(e);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(new ConnectionException(name + ": connection to Redis failed: " + cause.getMessage(), cause));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed.complete(null);
            fail(new ConnectionException(name + ": connection closed by Redis"));
            if (cum != null) {
                cum.release();
                cum = null;
            }
        }
    }
}
