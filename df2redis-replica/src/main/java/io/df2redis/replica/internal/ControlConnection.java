package io.df2redis.replica.internal;

import io.df2redis.protocol.ProtocolException;
import io.df2redis.protocol.resp.RespDecoder;
import io.df2redis.protocol.resp.RespEncoder;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.replica.ConnectionException;
import io.df2redis.replica.DragonflyEndpoint;
import io.df2redis.replica.ReplicationProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The main ("control") connection: RESP request/response, replies matched to commands in
 * order. Used for the handshake, DFLY SYNC / STARTSTABLE and INFO. Thread-safe.
 */
final class ControlConnection {
    private final Channel channel;
    private final Handler handler;

    private ControlConnection(Channel channel, Handler handler) {
        this.channel = channel;
        this.handler = handler;
    }

    static CompletableFuture<ControlConnection> open(EventLoopGroup group, DragonflyEndpoint ep, Duration timeout) {
        Handler h = new Handler();
        return Connections.connect(group, ep, timeout, () -> h).thenApply(ch -> new ControlConnection(ch, h));
    }

    Channel channel() {
        return channel;
    }

    /** Sends a command (arguments as String or byte[]); the future completes with its reply. */
    CompletableFuture<RespReply> command(Object... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i] instanceof byte[] b ? b : String.valueOf(args[i]).getBytes(StandardCharsets.UTF_8);
        }
        CompletableFuture<RespReply> f = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                f.completeExceptionally(new ConnectionException("control connection closed"));
                return;
            }
            handler.pending.add(f);
            ByteBuf buf = RespEncoder.encode(channel.alloc(), a);
            channel.writeAndFlush(buf).addListener(w -> {
                if (!w.isSuccess()) {
                    f.completeExceptionally(new ConnectionException("write failed: " + w.cause(), w.cause()));
                }
            });
        });
        return f;
    }

    /** Completes when the connection closes. */
    CompletableFuture<Void> closed() {
        return handler.closed;
    }

    void close() {
        channel.close();
    }

    static final class Handler extends ChannelInboundHandlerAdapter {
        final ArrayDeque<CompletableFuture<RespReply>> pending = new ArrayDeque<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final RespDecoder decoder = new RespDecoder();
        private ByteBuf cum;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            cum = cum == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cum, in);
            try {
                RespReply r;
                while ((r = decoder.decode(cum)) != null) {
                    CompletableFuture<RespReply> f = pending.poll();
                    if (f == null) {
                        throw new ReplicationProtocolException("unsolicited reply on the control connection: " + r);
                    }
                    f.complete(r);
                }
            } catch (ProtocolException e) {
                fail(ctx, new ReplicationProtocolException("malformed reply on the control connection", e));
                return;
            } catch (RuntimeException e) {
                fail(ctx, e);
                return;
            }
            if (!cum.isReadable()) {
                cum.release();
                cum = null;
            } else {
                cum.discardSomeReadBytes();
            }
        }

        private void fail(ChannelHandlerContext ctx, RuntimeException e) {
            CompletableFuture<RespReply> f;
            while ((f = pending.poll()) != null) {
                f.completeExceptionally(e);
            }
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ctx, new ConnectionException("control connection failed: " + cause.getMessage(), cause));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            CompletableFuture<RespReply> f;
            while ((f = pending.poll()) != null) {
                f.completeExceptionally(new ConnectionException("control connection closed by the master"));
            }
            if (cum != null) {
                cum.release();
                cum = null;
            }
            closed.complete(null);
        }
    }
}
