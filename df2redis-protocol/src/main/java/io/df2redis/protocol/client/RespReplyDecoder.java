package io.df2redis.protocol.client;

import io.df2redis.protocol.ProtocolException;
import io.df2redis.protocol.resp.RespDecoder;
import io.df2redis.protocol.resp.RespReply;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Decodes the bytes of a RESP2 / RESP3 server into {@link RespReply} messages, one per reply, in
 * Netty's codec style: the cumulation is {@link ByteToMessageDecoder}'s, the parsing the
 * incremental {@link RespDecoder}'s, so a reply split over many reads costs time linear in its
 * size and the decoder's {@link RespDecoder.Limits} bound what a server can make it allocate.
 *
 * <p>Malformed input or a limit exceeded raises the decoder's {@link ProtocolException} (wrapped
 * by Netty in a {@link io.netty.handler.codec.DecoderException}) through the pipeline's
 * {@code exceptionCaught}; after that the decoder discards its input, since nothing after a
 * malformed reply can be trusted.
 *
 * <p>Replacing this handler in the pipeline ({@code pipeline().replace(decoder, name, next)})
 * after a reply hands the bytes that followed that reply to {@code next}: this is how a
 * connection switches from RESP to another protocol (see {@link RespClient#sendThenHandOver}).
 *
 * <p>Not sharable; all state is confined to the channel's event loop.
 */
public final class RespReplyDecoder extends ByteToMessageDecoder {
    private final RespDecoder decoder;
    private boolean failed;

    /** A decoder with {@link RespDecoder.Limits#DEFAULT} limits. */
    public RespReplyDecoder() {
        this(RespDecoder.Limits.DEFAULT);
    }

    /**
     * A decoder enforcing {@code limits}.
     *
     * @param limits the limits of lengths, counts and nesting
     */
    public RespReplyDecoder(RespDecoder.Limits limits) {
        this.decoder = new RespDecoder(limits);
    }

    /**
     * The limits enforced.
     *
     * @return the limits
     */
    public RespDecoder.Limits limits() {
        return decoder.limits();
    }

    /**
     * Bytes of the replies decoded so far (event loop only).
     *
     * @return the bytes of every complete reply emitted
     */
    public long bytesConsumed() {
        return decoder.bytesConsumed();
    }

    /** Decodes at most one reply; an incomplete reply stays in the cumulation for the next read. */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        RespReply reply;
        try {
            reply = decoder.decode(in);
        } catch (ProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
        if (reply != null) {
            out.add(reply);
        }
    }

    /**
     * At the end of the input, decodes the replies still complete; an incomplete last reply is
     * dropped (the commands waiting for it fail when the channel closes).
     */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.isReadable()) {
            decode(ctx, in, out);
        }
    }
}
