package io.df2redis.replica.e2e;

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

/** A blocking RESP client for tests: sends commands to a master (real or embedded) and reads replies. */
public final class TestRespClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final RespDecoder decoder = new RespDecoder();
    private final ByteBuf buf = Unpooled.buffer();

    public TestRespClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends a command (String or byte[] arguments) and returns its reply. */
    public synchronized RespReply call(Object... args) throws IOException {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i] instanceof byte[] b ? b : String.valueOf(args[i]).getBytes(
                    java.nio.charset.StandardCharsets.UTF_8);
        }
        ByteBuf cmd = Unpooled.buffer();
        RespEncoder.writeCommand(cmd, a);
        byte[] bytes = new byte[cmd.readableBytes()];
        cmd.readBytes(bytes);
        out.write(bytes);
        out.flush();
        byte[] chunk = new byte[8192];
        while (true) {
            RespReply r = decoder.decode(buf);
            if (r != null) {
                buf.discardReadBytes();
                return r;
            }
            int n = in.read(chunk);
            if (n < 0) {
                throw new IOException("connection closed");
            }
            buf.writeBytes(chunk, 0, n);
        }
    }

    /** Sends a command and fails unless the reply is not an error. */
    public RespReply ok(Object... args) throws IOException {
        RespReply r = call(args);
        if (r.isError()) {
            throw new IOException("command " + java.util.Arrays.toString(args) + " failed: " + r);
        }
        return r;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
