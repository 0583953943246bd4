package io.df2redis.protocol.inspect;

import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespDecoder;
import io.df2redis.protocol.resp.RespEncoder;
import io.df2redis.protocol.resp.RespReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A small blocking RESP client for read-only verification work (one command at a time). */
final class BlockingRespClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final RespDecoder decoder = new RespDecoder();
    private final ByteBuf buf = Unpooled.buffer();
    private final byte[] chunk = new byte[16384];

    BlockingRespClient(String host, int port, String user, String password) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(60_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        if (password != null) {
            RespReply r = user != null ? call("AUTH", user, password) : call("AUTH", password);
            if (r instanceof ErrorReply e) {
                throw new IOException("AUTH rejected by " + host + ":" + port + ": " + e.message());
            }
        }
    }

    RespReply call(Object... args) throws IOException {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i] instanceof byte[] b ? b : String.valueOf(args[i]).getBytes(StandardCharsets.UTF_8);
        }
        ByteBuf cmd = Unpooled.buffer();
        RespEncoder.writeCommand(cmd, a);
        out.write(cmd.array(), cmd.arrayOffset() + cmd.readerIndex(), cmd.readableBytes());
        out.flush();
        while (true) {
            RespReply r = decoder.decode(buf);
            if (r != null) {
                buf.discardReadBytes();
                return r;
            }
            int n = in.read(chunk);
            if (n < 0) {
                throw new IOException("connection closed by the server");
            }
            buf.writeBytes(chunk, 0, n);
        }
    }

    /** Like {@link #call} but an error reply becomes an IOException. */
    RespReply ok(Object... args) throws IOException {
        RespReply r = call(args);
        if (r instanceof ErrorReply e) {
            throw new IOException(args[0] + " failed: " + e.message());
        }
        return r;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
