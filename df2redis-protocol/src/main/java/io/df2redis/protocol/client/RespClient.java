package io.df2redis.protocol.client;

import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.tls.TlsHandlers;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A pipelined RESP client on one Netty channel: connects (TCP, optional TLS with host-name
 * verification, {@code AUTH}), sends commands from any thread and returns their replies as
 * {@link CompletionStage}s, in command order. The pipeline is
 * {@code [tls] → resp-decoder ({@link RespReplyDecoder}) → resp-handler ({@link RespCommandHandler})}.
 *
 * <pre>{@code
 * try (RespClient c = RespClient.connect(group, HostAndPort.parse("127.0.0.1:6379"),
 *         RespClientOptions.builder().name("Redis target").password(pw).build())
 *         .toCompletableFuture().join()) {
 *     RespReply pong = c.send("PING").toCompletableFuture().join();
 * }
 * }</pre>
 *
 * <p><b>Replies and failures.</b> An error reply of the server completes its command normally
 * with an {@link ErrorReply}. A failure of the connection (closed, broken, malformed reply,
 * {@linkplain RespClientOptions#replyTimeout() reply timeout}) fails every outstanding command
 * with a {@link RespConnectionException} (or {@link RespTimeoutException}) naming the connection
 * and its endpoint, and closes the channel; later commands fail at once. There is no reconnection:
 * the owner decides what to do.
 *
 * <p><b>Handing the channel over.</b> A connection that stops speaking RESP after a reply (a
 * Dragonfly flow after {@code DFLY FLOW}) uses {@link #sendThenHandOver}: the handler that takes
 * over is chosen from the reply and put in place of the reply decoder before any byte after the
 * reply is decoded; it receives those bytes. {@link #replaceDecoder} does the same once the
 * outstanding replies have arrived. After a handover the client sends no more commands; the
 * channel ({@link #channel()}) belongs to the new handler, and may still be written to directly.
 *
 * <p><b>Threads.</b> Thread-safe. Commands are queued in a lock-free queue and written by one
 * task on the channel's event loop, which flushes once per burst; the reply stages complete on the
 * event loop, so callbacks without an executor run there and must not block. Nothing in this
 * class blocks except {@link #close()}, which waits for the channel to close unless it is called
 * on the event loop. Fields: all final; {@code outbox} is a concurrent queue drained only on the
 * event loop, {@code drainScheduled} an atomic flag; the handler's own state is event-loop
 * confined.
 *
 * <p><b>Why one class:</b> under 500 lines, a third of them Javadoc: connecting (TCP, TLS,
 * {@code AUTH} under one deadline), sending (the outbox drained once per burst) and handing the
 * channel over all act on the same channel, handler and outbox. The per-connection protocol state
 * is {@link RespCommandHandler}'s, reply decoding {@link RespReplyDecoder}'s, the TLS set-up
 * {@link io.df2redis.protocol.tls.TlsHandlers}', and the settings {@link RespClientOptions}'.
 */
public final class RespClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RespClient.class);

    /** Name of the TLS handler in the pipeline. */
    public static final String TLS_NAME = "tls";
    /** Name of the {@link RespReplyDecoder} in the pipeline. */
    public static final String DECODER_NAME = "resp-decoder";
    /** Name of the {@link RespCommandHandler} in the pipeline. */
    public static final String HANDLER_NAME = "resp-handler";

    private final Channel channel;
    private final RespCommandHandler handler;
    private final RespClientOptions options;
    private final HostAndPort endpoint;
    private final Queue<RespCommand> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

    private RespClient(Channel channel, RespCommandHandler handler, HostAndPort endpoint, RespClientOptions options) {
        this.channel = channel;
        this.handler = handler;
        this.endpoint = endpoint;
        this.options = options;
        channel.closeFuture().addListener(f -> closeFuture.complete(null));
    }

    /**
     * Connects to {@code endpoint}: TCP, the TLS handshake when {@link RespClientOptions#sslContext()}
     * is set, then {@code AUTH} when a password is set, all within
     * {@link RespClientOptions#connectTimeout()}. Never blocks.
     *
     * @param group the event loops the channel is registered with
     * @param endpoint the server
     * @param options name, timeouts, TLS, credentials and limits of the connection
     * @return completes with the client, or exceptionally with a {@link RespConnectionException}
     *     (cannot connect, TLS handshake failed), a {@link RespTimeoutException} (not done in
     *     time) or a {@link RespAuthenticationException} (AUTH rejected); the channel is closed
     *     on failure
     */
    public static CompletionStage<RespClient> connect(EventLoopGroup group, HostAndPort endpoint,
                                                      RespClientOptions options) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(options, "options");
        CompletableFuture<RespClient> result = new CompletableFuture<>();
        RespCommandHandler handler = new RespCommandHandler(options.name(), endpoint, options.replyTimeout());
        Bootstrap b = new Bootstrap().group(group).channel(options.channelType())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, options.keepAlive())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (options.sslContext() != null) {
                            ch.pipeline().addLast(TLS_NAME, newSslHandler(options, ch.alloc(), endpoint));
                        }
                        ch.pipeline().addLast(DECODER_NAME, new RespReplyDecoder(options.limits()));
                        ch.pipeline().addLast(HANDLER_NAME, handler);
                    }
                });
        ChannelFuture cf;
        try {
            cf = b.connect(endpoint.host(), endpoint.port());
        } catch (RuntimeException e) {
            result.completeExceptionally(new RespConnectionException(options.name(), endpoint,
                    "cannot connect: " + e, e));
            return result;
        }
        Channel ch = cf.channel();
        long timeoutMs = options.connectTimeout().toMillis();
        ScheduledFuture<?> deadline = group.next().schedule(() -> {
            if (result.completeExceptionally(new RespTimeoutException(options.name(), endpoint,
                    "not connected" + (options.sslContext() != null ? ", TLS handshake done" : "")
                    + (options.hasPassword() ? " and authenticated" : "") + " within " + timeoutMs + " ms"))) {
                ch.close();
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        result.whenComplete((c, e) -> deadline.cancel(false));
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                Throwable cause = f.cause();
                result.completeExceptionally(new RespConnectionException(options.name(), endpoint, "cannot connect: "
                        + cause.getMessage(), cause));
                ch.close();
                return;
            }
            RespClient client = new RespClient(ch, handler, endpoint, options);
            TlsHandlers.whenHandshaken(ch, () -> client.authenticate(result), cause -> {
                result.completeExceptionally(new RespConnectionException(options.name(), endpoint,
                        "TLS handshake failed: " + cause.getMessage(), cause));
                ch.close();
            });
        });
        return result;
    }

    /**
     * Makes a RESP client of a channel that is already connected (for example one made by the
     * caller's own {@link Bootstrap}, or an {@code EmbeddedChannel}): adds the reply decoder and
     * command handler at the end of its pipeline and sends {@code AUTH} when a password is set.
     * TLS and the timeouts of connecting are the caller's.
     *
     * @param channel a connected channel (with its TLS handler, if any, already in place)
     * @param endpoint the server, named in errors; null when unknown
     * @param options name, reply timeout, credentials and limits; the connect settings are not used
     * @return completes with the client, or exceptionally with a {@link RespAuthenticationException}
     *     or {@link RespConnectionException} (the channel is then closed)
     */
    public static CompletionStage<RespClient> attach(Channel channel, HostAndPort endpoint, RespClientOptions options) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(options, "options");
        CompletableFuture<RespClient> result = new CompletableFuture<>();
        RespCommandHandler handler = new RespCommandHandler(options.name(), endpoint, options.replyTimeout());
        Runnable install = () -> {
            channel.pipeline().addLast(DECODER_NAME, new RespReplyDecoder(options.limits()));
            channel.pipeline().addLast(HANDLER_NAME, handler);
            new RespClient(channel, handler, endpoint, options).authenticate(result);
        };
        if (channel.eventLoop().inEventLoop()) {
            install.run();
        } else {
            channel.eventLoop().execute(install);
        }
        return result;
    }

    /** Sends {@code AUTH} when the options have a password, then completes {@code result}. */
    private void authenticate(CompletableFuture<RespClient> result) {
        if (!options.hasPassword()) {
            LOG.debug("{} at {}: connected", options.name(), endpoint);
            result.complete(this);
            return;
        }
        String user = options.user();
        CompletionStage<RespReply> auth = user != null ? send("AUTH", user, options.password())
                : send("AUTH", options.password());
        auth.whenComplete((reply, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
                closeAsync();
            } else if (reply instanceof ErrorReply e) {
                result.completeExceptionally(new RespAuthenticationException(options.name(), endpoint,
                        "authentication" + (user != null ? " as user '" + user + "'" : "") + " rejected: "
                        + e.message(), e.message()));
                closeAsync();
            } else if (!result.complete(this)) {
                closeAsync(); // the connect deadline passed meanwhile
            } else {
                LOG.debug("{} at {}: connected and authenticated{}", options.name(), endpoint,
                        user != null ? " as user '" + user + "'" : "");
            }
        });
    }

    /**
     * The one place a TLS handler is made: the context's engine for {@code endpoint} (host name
     * for SNI), the HTTPS host-name check unless {@link RespClientOptions#verifyHostname()} is off,
     * and a handshake timeout of the connect timeout.
     */
    private static SslHandler newSslHandler(RespClientOptions options, ByteBufAllocator alloc, HostAndPort endpoint) {
        if (!options.verifyHostname()) {
            LOG.warn("{} at {}: TLS host-name verification is off: the server certificate is not checked "
                    + "against the host name", options.name(), endpoint);
        }
        // the library's one TLS set-up
        SslHandler tls = TlsHandlers.newHandler(options.sslContext(), alloc, endpoint.host(),
                endpoint.port(), options.verifyHostname());
        tls.setHandshakeTimeoutMillis(options.connectTimeout().toMillis());
        return tls;
    }

    // ------------------------------------------------------------------ commands

    /**
     * Sends one command: {@code byte[]} arguments verbatim, anything else as the UTF-8 text of
     * {@link String#valueOf(Object)}.
     *
     * @param args the command name and its arguments
     * @return the reply (an error reply is a normal completion); completes exceptionally with a
     *     {@link RespClientException} when the connection fails first or is already closed, or an
     *     {@link IllegalStateException} after a handover
     */
    public CompletionStage<RespReply> send(Object... args) {
        return enqueue(RespCommand.of(args));
    }

    /**
     * {@link #send(Object...)} with the arguments as bytes (not copied: do not change them). The
     * command is encoded on the calling thread, so that a thread pipelining many commands (the
     * sink's flow appliers) does that work itself rather than the event loop.
     *
     * @param args the command name and its arguments
     * @return the reply, as for {@link #send(Object...)}
     */
    public CompletionStage<RespReply> send(List<byte[]> args) {
        return enqueue(RespCommand.encodedOf(args, channel.alloc()));
    }

    /**
     * Sends the last RESP command of this connection: when its reply arrives, {@code next} is
     * applied to it on the event loop. A non-null handler returned takes over the channel: it
     * replaces the reply decoder before any byte after the reply is decoded and receives those
     * bytes (in the same read or later ones); the command handler leaves the pipeline. Null keeps
     * the connection a RESP client (for example after an error reply). The returned stage
     * completes with the reply just before the replacement is installed; commands sent after this
     * one are refused with an {@link IllegalStateException}, until {@code next} returned null.
     *
     * @param next chooses the handler that takes over from the reply; must not block
     * @param args the command name and its arguments
     * @return the reply of the command
     */
    public CompletionStage<RespReply> sendThenHandOver(Function<? super RespReply, ? extends ChannelHandler> next,
                                                       Object... args) {
        return enqueue(RespCommand.handover(next, args));
    }

    /**
     * Hands the channel over to {@code replacement} once every command sent before has its reply
     * (at once when none is outstanding): it takes the reply decoder's place and receives the bytes
     * that follow the last reply; the command handler leaves the pipeline. Commands sent meanwhile
     * are refused. Use {@link #sendThenHandOver} instead when the server switches protocols right
     * after a reply, so the switch happens before those bytes are decoded as RESP.
     *
     * @param replacement the handler that decodes what follows the replies
     * @return completes with the channel once handed over, or exceptionally when the connection
     *     fails first or a handover is already under way
     */
    public CompletionStage<Channel> replaceDecoder(ChannelHandler replacement) {
        Objects.requireNonNull(replacement, "replacement");
        CompletableFuture<Channel> out = new CompletableFuture<>();
        Promise<Channel> p = channel.eventLoop().newPromise();
        p.addListener(f -> {
            if (f.isSuccess()) {
                out.complete(channel);
            } else {
                out.completeExceptionally(f.cause());
            }
        });
        runOnEventLoop(() -> {
            drain(); // commands sent before go out first
            ChannelHandlerContext ctx = channel.pipeline().context(handler);
            if (ctx == null) {
                p.tryFailure(handler.isHandedOver() ? new IllegalStateException(describe() + ": already handed over")
                        : new RespConnectionException(options.name(), endpoint, "connection closed", null));
            } else {
                handler.replaceDecoderWhenDrained(ctx, replacement, p);
            }
        }, e -> p.tryFailure(e));
        return out;
    }

    private CompletionStage<RespReply> enqueue(RespCommand c) {
        outbox.add(c);
        if (drainScheduled.compareAndSet(false, true)) {
            runOnEventLoop(this::drain, this::failQueued);
        }
        return c.reply();
    }

    /**
     * On the event loop: writes every queued command and flushes once, so a pipelined burst costs
     * one task and one flush.
     */
    private void drain() {
        drainScheduled.set(false);
        RespCommand c;
        boolean wrote = false;
        while ((c = outbox.poll()) != null) {
            RuntimeException refused = refusal(c);
            if (refused != null) {
                c.fail(refused);
                continue;
            }
            channel.write(c, channel.voidPromise()); // a failed write fails the connection via exceptionCaught
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    private RuntimeException refusal(RespCommand c) {
        if (handler.isHandedOver()) {
            return new IllegalStateException(describe() + ": " + c.name()
                    + " refused: the connection was handed over to another decoder");
        }
        if (!channel.isActive()) {
            return new RespConnectionException(options.name(), endpoint, "connection closed", null);
        }
        return null;
    }

    private void failQueued(RuntimeException cause) {
        drainScheduled.set(false);
        RespCommand c;
        while ((c = outbox.poll()) != null) {
            c.fail(cause);
        }
    }

    private void runOnEventLoop(Runnable task, java.util.function.Consumer<RuntimeException> rejected) {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            rejected.accept(new RespConnectionException(options.name(), endpoint,
                    "the event loop is shut down", e));
        }
    }

    // ------------------------------------------------------------------ state

    /**
     * The channel (after a handover, the new handler's).
     *
     * @return the channel
     */
    public Channel channel() {
        return channel;
    }

    /**
     * The server, or null when attached without one.
     *
     * @return the endpoint, or null
     */
    public HostAndPort endpoint() {
        return endpoint;
    }

    /**
     * The options the client was made with.
     *
     * @return the options
     */
    public RespClientOptions options() {
        return options;
    }

    /**
     * Whether the channel is open and still a RESP client (not handed over).
     *
     * @return true while commands can be sent
     */
    public boolean isActive() {
        return channel.isActive() && !handler.isHandedOver();
    }

    /**
     * Whether the channel has been handed over ({@link #sendThenHandOver}, {@link #replaceDecoder}).
     *
     * @return true after a handover
     */
    public boolean isHandedOver() {
        return handler.isHandedOver();
    }

    /**
     * Commands written and not yet answered.
     *
     * @return the count of outstanding commands
     */
    public int pendingReplies() {
        return handler.pendingReplies();
    }

    /**
     * Completes when the channel has closed.
     *
     * @return a stage completed (normally) when the channel closed, for whatever reason
     */
    public CompletionStage<Void> closeFuture() {
        return closeFuture;
    }

    /**
     * Closes the channel without waiting; outstanding commands fail ("connection closed by the client").
     *
     * @return the {@link #closeFuture()}
     */
    public CompletionStage<Void> closeAsync() {
        handler.closeRequested();
        channel.close();
        return closeFuture;
    }

    /**
     * Closes the channel and, unless called on its event loop, waits up to the connect timeout
     * for it to close.
     */
    @Override
    public void close() {
        closeAsync();
        if (!channel.eventLoop().inEventLoop()) {
            channel.closeFuture().awaitUninterruptibly(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The connection's name and endpoint. */
    @Override
    public String toString() {
        return "RespClient[" + describe() + (isHandedOver() ? ", handed over" : isActive() ? "" : ", closed") + "]";
    }

    private String describe() {
        return options.name() + (endpoint != null ? " at " + endpoint : "");
    }
}
