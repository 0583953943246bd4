package io.df2redis.testkit.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The handler of one of the two sockets of a {@link ProxiedConnection}; runs on its event loop. */
final class ProxySide extends ChannelInboundHandlerAdapter {
private static final Logger LOG = LoggerFactory.getLogger(ProxiedConnection.class);

private final ProxiedConnection conn;
    private final boolean clientSide;

    ProxySide(ProxiedConnection conn, boolean clientSide) {
        this.conn = conn;
        this.clientSide = clientSide;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            conn.onRead(clientSide, buf);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        conn.pump();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            conn.onInputShutdown(clientSide);
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        conn.onInactive(clientSide);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: {}: {} socket failed: {}", conn.proxy, conn, clientSide ? "client" : "upstream",
                String.valueOf(cause));
        ctx.close();
    }
}
