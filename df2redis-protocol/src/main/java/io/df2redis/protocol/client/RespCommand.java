package io.df2redis.protocol.client;

import io.df2redis.protocol.resp.RespEncoder;
import io.df2redis.protocol.resp.RespReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One command and the future of its reply: the outbound message that {@link RespCommandHandler}
 * encodes and matches to its reply. {@link RespClient} creates them; code that drives a channel
 * itself writes them with {@link #writeAndFlushTo(Channel)} and waits on {@link #reply()}.
 *
 * <p>The reply stage completes on the channel's event loop: with the reply (an
 * {@link io.df2redis.protocol.resp.ErrorReply} is a normal completion), or exceptionally with a
 * {@link RespClientException} when the connection fails first. Callbacks attached without an
 * executor run on that event loop and must not block.
 *
 * <p>{@link #toString()} shows the command name and the number of arguments, never the
 * arguments (an {@code AUTH} password must not reach a log).
 */
public final class RespCommand {
    private final List<byte[]> args;
    private final CompletableFuture<RespReply> reply = new CompletableFuture<>();
    private final Function<? super RespReply, ? extends ChannelHandler> handover;
    /**
     * The command already encoded by the sending thread ({@link #encodedOf}), taken by the
     * handler on the event loop; released if the command fails before it is written. Written
     * before the command is queued (the queue orders it before the event loop's read).
     */
    private ByteBuf encoded;

    private RespCommand(List<byte[]> args, Function<? super RespReply, ? extends ChannelHandler> handover) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least its name");
        }
        this.args = args;
        this.handover = handover;
    }

    /**
     * A command from its arguments: {@code byte[]} verbatim, anything else as the UTF-8 text of
     * {@link String#valueOf(Object)}.
     *
     * @param args the command name and its arguments
     * @return the command, its reply not complete yet
     * @throws IllegalArgumentException when there is no argument
     * @throws NullPointerException when an argument is null
     */
    public static RespCommand of(Object... args) {
        return new RespCommand(toBytes(args), null);
    }

    /**
     * A command from its arguments as bytes (the list and arrays are not copied: do not change them).
     *
     * @param args the command name and its arguments
     * @return the command, its reply not complete yet
     * @throws NullPointerException when an argument is null
     */
    public static RespCommand of(List<byte[]> args) {
        for (byte[] a : args) {
            Objects.requireNonNull(a, "argument");
        }
        return new RespCommand(Collections.unmodifiableList(args), null);
    }

    /**
     * {@link #of(List)}, encoded now with {@code alloc} on the calling thread, so that a sender
     * pipelining many commands does the encoding work itself instead of the channel's event loop
     * (which then only writes the bytes). The buffer is released if the command fails before it
     * is written.
     */
    static RespCommand encodedOf(List<byte[]> args, ByteBufAllocator alloc) {
        RespCommand c = of(args);
        c.encoded = RespEncoder.encode(alloc, c.args);
        return c;
    }

    /**
     * A command after whose reply the connection stops speaking RESP (see
     * {@link RespClient#sendThenHandOver}): when its reply arrives, {@code next} is applied to
     * it on the event loop; a non-null handler then replaces the reply decoder before any
     * further byte is decoded.
     */
    static RespCommand handover(Function<? super RespReply, ? extends ChannelHandler> next, Object... args) {
        return new RespCommand(toBytes(args), Objects.requireNonNull(next, "next"));
    }

    /**
     * Writes and flushes this command to {@code channel}, whose pipeline must hold a
     * {@link RespCommandHandler}. When the write fails before reaching the handler (the channel is
     * already closed and its handlers gone), the reply fails with a {@link RespConnectionException}
     * instead of never completing.
     *
     * @param channel a channel whose pipeline has a {@link RespCommandHandler}
     * @return the write's future
     */
    public ChannelFuture writeAndFlushTo(Channel channel) {
        ChannelFuture f = channel.writeAndFlush(this);
        f.addListener(w -> {
            if (!w.isSuccess()) {
                reply.completeExceptionally(new RespConnectionException("RESP connection",
                        null, "cannot write " + name() + ": " + w.cause(), w.cause()));
            }
        });
        return f;
    }

    /**
     * The arguments, command name first (unmodifiable).
     *
     * @return the arguments
     */
    public List<byte[]> args() {
        return args;
    }

    /**
     * The command name as text (the first argument).
     *
     * @return the first argument decoded as UTF-8
     */
    public String name() {
        return new String(args.get(0), StandardCharsets.UTF_8);
    }

    /**
     * The reply, completed on the event loop (see the class comment).
     *
     * @return the stage of the reply
     */
    public CompletionStage<RespReply> reply() {
        return reply;
    }

    /**
     * Whether the reply arrived or the command failed.
     *
     * @return true once the reply stage completed, normally or not
     */
    public boolean isDone() {
        return reply.isDone();
    }

    /** The handover function, or null for an ordinary command. */
    Function<? super RespReply, ? extends ChannelHandler> handoverFunction() {
        return handover;
    }

    void complete(RespReply r) {
        reply.complete(r);
    }

    /** The pre-encoded bytes (ownership passes to the caller), or null when not encoded yet. */
    ByteBuf takeEncoded() {
        ByteBuf b = encoded;
        encoded = null;
        return b;
    }

    void fail(Throwable t) {
        ByteBuf b = takeEncoded();
        if (b != null) {
            b.release(); // never written
        }
        reply.completeExceptionally(t);
    }

    /** The command name and the number of further arguments; never the arguments. */
    @Override
    public String toString() {
        return "RespCommand[" + name() + (args.size() > 1 ? " +" + (args.size() - 1) + " args" : "") + "]";
    }

    private static List<byte[]> toBytes(Object... args) {
        List<byte[]> out = new ArrayList<>(args.length);
        for (Object a : args) {
            Objects.requireNonNull(a, "argument");
            out.add(a instanceof byte[] b ? b : String.valueOf(a).getBytes(StandardCharsets.UTF_8));
        }
        return Collections.unmodifiableList(out);
    }
}
