package io.df2redis.protocol.inspect;

import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespDecoder;
import io.df2redis.protocol.resp.RespEncoder;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.tls.TlsHandlers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small blocking RESP2 client (one command at a time, no pipelining) for verification work,
 * command-line tools and test fixtures. Not thread-safe.
 */
public final class BlockingRespClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final RespDecoder decoder = new RespDecoder();
    private final ByteBuf buf = Unpooled.buffer();
    private final byte[] chunk = new byte[16384];

    /**
     * Connects (5 s connect timeout, 60 s read timeout) and authenticates when {@code password} is
     * not null ({@code AUTH user password} when {@code user} is given, else {@code AUTH password}).
     */
    public BlockingRespClient(String host, int port, String user, String password) throws IOException {
        this(host, port, user, password, false);
    }

    /**
     * Like {@link #BlockingRespClient(String, int, String, String)}; with {@code tls} the
     * connection uses the JVM's default TLS settings and trust store, and checks the host name.
     */
    public BlockingRespClient(String host, int port, String user, String password, boolean tls) throws IOException {
        this(host, port, user, password, tls ? (SSLSocketFactory) SSLSocketFactory.getDefault() : null);
    }

    /**
     * Like {@link #BlockingRespClient(String, int, String, String)}, over TLS through {@code tls}
     * (its trust decides which certificates are accepted; the host name is always checked) when
     * not null, else in plain text.
     */
    public BlockingRespClient(String host, int port, String user, String password, SSLSocketFactory tls)
            throws IOException {
        Socket plain = new Socket();
        Socket s = plain;
        try {
            plain.connect(new InetSocketAddress(host, port), 5000);
            plain.setSoTimeout(60_000);
            if (tls != null) {
                SSLSocket ssl = TlsHandlers.newSocket(tls, plain, host, port, true);
                ssl.startHandshake();
                s = ssl;
            }
            socket = s;
            in = s.getInputStream();
            out = s.getOutputStream();
            if (password != null) {
                RespReply r = user != null ? call("AUTH", user, password) : call("AUTH", password);
                if (r instanceof ErrorReply e) {
                    throw new IOException("AUTH rejected by " + host + ":" + port + ": " + e.message());
                }
            }
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Sends one command ({@code byte[]} arguments verbatim, anything else as its UTF-8 text) and
     * returns the reply; an error reply is returned, not thrown.
     */
    public RespReply call(Object... args) throws IOException {
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
    public RespReply ok(Object... args) throws IOException {
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
