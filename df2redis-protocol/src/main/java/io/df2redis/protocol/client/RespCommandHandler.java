package io.df2redis.protocol.client;

import io.df2redis.protocol.ProtocolException;
import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.PushReply;
import io.df2redis.protocol.resp.RespEncoder;
import io.df2redis.protocol.resp.RespReplies;
import io.df2redis.protocol.resp.RespReply;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The pipelined request/response half of a RESP connection: encodes each outbound
 * {@link RespCommand} with {@link RespEncoder}, remembers it in a first-in first-out queue, and
 * completes the oldest command with each {@link RespReply} that {@link RespReplyDecoder} emits.
 * Any number of commands may be outstanding; replies come back in command order.
 *
 * <p>Failures: when the channel closes or fails (including a malformed reply), every outstanding
 * command fails with a {@link RespConnectionException} and the channel is closed; with a
 * {@linkplain RespClientOptions#replyTimeout() reply timeout}, outstanding commands that see no
 * reply for that long fail with a {@link RespTimeoutException} and the channel is closed. An
 * unsolicited reply (one with no command waiting) is a protocol violation and fails the
 * connection the same way; RESP3 pushes are not matched to commands but passed down the pipeline.
 *
 * <p>Handover: a command created by {@link RespClient#sendThenHandOver} carries a function that
 * picks, from its reply, the handler that takes over the channel; {@link RespClient#replaceDecoder}
 * does the same without a command. Either way this handler removes itself and puts the
 * replacement where the {@link RespReplyDecoder} was, on the event loop, before any byte after
 * the last reply is decoded; the decoder forwards the bytes it holds to the replacement.
 *
 * <p>Thread ownership: every field except {@code pendingCount}, {@code handedOver} and
 * {@code closeRequested} is read and written only on the channel's event loop (Netty calls the
 * handler methods there; {@code replaceDecoderWhenDrained} runs there too). Those three are
 * volatile, written on the event loop (or, {@code closeRequested}, by the closing thread) and read
 * from any thread. Not sharable between channels.
 */
public final class RespCommandHandler extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RespCommandHandler.class);

    /** Name of the replacement handler in the pipeline after a handover. */
    public static final String HANDOVER_NAME = "handover";

    private final String name;
    private final HostAndPort endpoint;
    private final long replyTimeoutNanos;
    private final LongSupplier clock;
    private final ArrayDeque<RespCommand> pending = new ArrayDeque<>();
    /** When the last reply arrived, or the first command went out to an idle connection. */
    private long lastProgressNanos;
    private ScheduledFuture<?> timer;
    /** Set once the connection failed: later commands fail with it at once. */
    private RespClientException failure;
    /** A handover command has been written: no further command may follow it. */
    private boolean handoverQueued;
    /** False once the channel became inactive. */
    private boolean channelOpen = true;
    private ChannelHandler drainReplacement;
    private Promise<io.netty.channel.Channel> drainPromise;
    private volatile int pendingCount;
    private volatile boolean handedOver;
    private volatile boolean closeRequested;

    /**
     * A handler for a connection called {@code name} to {@code endpoint}.
     *
     * @param name what the connection is for, named in errors
     * @param endpoint the server, or null when unknown
     * @param replyTimeout the reply timeout, {@link Duration#ZERO} for none
     */
    public RespCommandHandler(String name, HostAndPort endpoint, Duration replyTimeout) {
        this(name, endpoint, replyTimeout, System::nanoTime);
    }

    /** As above with the clock of the reply timeout (tests drive it together with the event loop's time). */
    RespCommandHandler(String name, HostAndPort endpoint, Duration replyTimeout, LongSupplier clock) {
        this.name = name;
        this.endpoint = endpoint;
        this.replyTimeoutNanos = replyTimeout.toNanos();
        this.clock = clock;
    }

    /**
     * Commands written and not yet answered (any thread).
     *
     * @return the count, as last updated on the event loop
     */
    public int pendingReplies() {
        return pendingCount;
    }

    /**
     * Whether the channel has been handed over to another decoder (any thread).
     *
     * @return true after the handler left the pipeline for a replacement
     */
    public boolean isHandedOver() {
        return handedOver;
    }

    /** Marks the coming close as asked for by the client, so commands fail with "closed by the client". */
    void closeRequested() {
        closeRequested = true;
    }

    // ------------------------------------------------------------------ outbound

    /** Encodes a {@link RespCommand} and queues it for its reply; other messages pass through. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof RespCommand c)) {
            ctx.write(msg, promise);
            return;
        }
        RuntimeException refused = refusal(c);
        if (refused != null) {
            c.fail(refused);
            if (!promise.isVoid()) {
                promise.tryFailure(refused); // nothing was written
            }
            return;
        }
        ByteBuf buf = c.takeEncoded(); // encoded by the sending thread (RespClient.send), else now
        if (buf == null) {
            buf = RespEncoder.encode(ctx.alloc(), c.args());
        }
        if (pending.isEmpty()) {
            lastProgressNanos = clock.getAsLong(); // the reply clock starts with the first outstanding command
        }
        pending.add(c);
        pendingCount = pending.size();
        if (c.handoverFunction() != null) {
            handoverQueued = true;
        }
        armTimer(ctx);
        if (promise.isVoid()) {
            ctx.write(buf, promise); // a failed write reaches exceptionCaught
        } else {
            ctx.write(buf, promise).addListener(f -> {
                if (!f.isSuccess()) {
                    fail(ctx, new RespConnectionException(name, endpoint, "write failed: " + f.cause(), f.cause()));
                }
            });
        }
    }

    private RuntimeException refusal(RespCommand c) {
        if (failure != null) {
            return failure;
        }
        if (handedOver || handoverQueued || drainReplacement != null) {
            return new IllegalStateException(name + (endpoint != null ? " at " + endpoint : "") + ": "
                    + c.name() + " refused: the connection is being handed over to another decoder");
        }
        if (!channelOpen) {
            return new RespConnectionException(name, endpoint, closeRequested ? "connection closed by the client"
                    : "connection closed", null);
        }
        return null;
    }

    // ------------------------------------------------------------------ inbound

    /** Completes the oldest command with a reply; passes pushes and other messages on. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RespReply r) || msg instanceof PushReply) {
            ctx.fireChannelRead(msg);
            return;
        }
        RespCommand c = pending.poll();
        if (c == null) {
            fail(ctx, new RespConnectionException(name, endpoint, "unsolicited reply from the server: "
                    + RespReplies.describe(r), null));
            return;
        }
        pendingCount = pending.size();
        lastProgressNanos = clock.getAsLong();
        Function<? super RespReply, ? extends ChannelHandler> handover = c.handoverFunction();
        if (handover == null) {
            c.complete(r);
            if (pending.isEmpty() && drainReplacement != null && !handedOver) {
                handOver(ctx, drainReplacement, drainPromise);
            }
            return;
        }
        ChannelHandler next;
        try {
            next = handover.apply(r);
        } catch (RuntimeException e) {
            c.fail(e);
            fail(ctx, new RespConnectionException(name, endpoint, "choosing the handler after " + c.name()
                    + " failed: " + e, e));
            return;
        }
        handoverQueued = false;
        c.complete(r); // the caller sees the reply before the bytes that follow it are decoded
        if (next != null && ctx.channel().isOpen() && !handedOver) {
            handOver(ctx, next, null);
        } else if (pending.isEmpty() && drainReplacement != null && !handedOver) {
            handOver(ctx, drainReplacement, drainPromise);
        }
    }

    /**
     * Puts {@code replacement} in place of the {@link RespReplyDecoder} once no reply is
     * outstanding (at once when none is), and removes this handler; commands sent meanwhile are
     * refused. Must be called on the event loop.
     *
     * @param promise completed with the channel once handed over, or failed when the connection
     *     fails first
     */
    void replaceDecoderWhenDrained(ChannelHandlerContext ctx, ChannelHandler replacement,
                                          Promise<io.netty.channel.Channel> promise) {
        if (!ctx.executor().inEventLoop()) {
            throw new IllegalStateException("replaceDecoderWhenDrained must run on the channel's event loop");
        }
        if (failure != null) {
            promise.tryFailure(failure);
            return;
        }
        if (handedOver || drainReplacement != null || handoverQueued) {
            promise.tryFailure(new IllegalStateException(name + ": the connection is already being handed over"));
            return;
        }
        if (pending.isEmpty()) {
            handOver(ctx, replacement, promise);
        } else {
            drainReplacement = replacement;
            drainPromise = promise;
        }
    }

    private void handOver(ChannelHandlerContext ctx, ChannelHandler replacement,
                          Promise<io.netty.channel.Channel> promise) {
        drainReplacement = null;
        drainPromise = null;
        handedOver = true;
        cancelTimer();
        ChannelPipeline p = ctx.pipeline();
        ChannelHandlerContext decoder = p.context(RespReplyDecoder.class);
        p.remove(this);
        if (decoder != null) {
            // the decoder forwards the bytes after the last reply to the replacement
            p.replace(decoder.name(), HANDOVER_NAME, replacement);
        } else {
            p.addLast(HANDOVER_NAME, replacement);
        }
        LOG.debug("{}{}: handed over to {}", name, endpoint != null ? " at " + endpoint : "",
                replacement.getClass().getName());
        if (promise != null) {
            promise.trySuccess(ctx.channel());
        }
    }

    // ------------------------------------------------------------------ failures

    /** Fails every outstanding command: the connection closed. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        channelOpen = false;
        if (failure == null) {
            failure = new RespConnectionException(name, endpoint, closeRequested ? "connection closed by the client"
                    : "connection closed by the server", null);
        }
        failAll(failure);
        ctx.fireChannelInactive();
    }

    /** Fails every outstanding command and closes the channel; a decoding error is reported as such. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        String what = c instanceof ProtocolException ? "malformed reply from the server: " + c.getMessage()
                : "connection failed: " + c;
        fail(ctx, new RespConnectionException(name, endpoint, what, c));
    }

    private void fail(ChannelHandlerContext ctx, RespClientException e) {
        if (failure == null) {
            failure = e;
            LOG.debug("{}", e.getMessage());
        }
        failAll(failure);
        ctx.close();
    }

    private void failAll(RespClientException e) {
        cancelTimer();
        RespCommand c;
        while ((c = pending.poll()) != null) {
            c.fail(e);
        }
        pendingCount = 0;
        if (drainPromise != null) {
            drainPromise.tryFailure(e);
            drainPromise = null;
            drainReplacement = null;
        }
    }

    // ------------------------------------------------------------------ reply timeout

    private void armTimer(ChannelHandlerContext ctx) {
        if (replyTimeoutNanos > 0 && timer == null) {
            timer = ctx.executor().schedule(() -> checkTimeout(ctx), replyTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void checkTimeout(ChannelHandlerContext ctx) {
        timer = null;
        if (pending.isEmpty() || handedOver) {
            return;
        }
        long idle = clock.getAsLong() - lastProgressNanos;
        if (idle >= replyTimeoutNanos) {
            fail(ctx, new RespTimeoutException(name, endpoint, "no reply for " + Duration.ofNanos(idle).toMillis()
                    + " ms with " + pending.size() + " commands outstanding (reply timeout "
                    + Duration.ofNanos(replyTimeoutNanos).toMillis() + " ms); closing the connection"));
        } else {
            timer = ctx.executor().schedule(() -> checkTimeout(ctx), replyTimeoutNanos - idle, TimeUnit.NANOSECONDS);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
