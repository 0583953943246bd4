package io.df2redis.testkit;

import io.df2redis.protocol.resp.RespDecoder;
import io.df2redis.protocol.resp.RespReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * A small blocking RESP client for the tests (plain {@link Socket}): sends commands as RESP
 * arrays or inline, reads replies with the protocol module's {@link RespDecoder}, and keeps any
 * bytes read past a reply so a flow connection can continue with the replication stream.
 */
final class RespClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteBuf buf = Unpooled.buffer(4096);
    private final RespDecoder decoder = new RespDecoder();
    private boolean eof;

    private RespClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(5000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RespClient connect(EmbeddedDragonflyMaster m) {
        try {
            return new RespClient(new Socket(m.host(), m.port()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TLS connection that trusts any certificate. */
    static RespClient connectTls(EmbeddedDragonflyMaster m) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(m.host(), m.port());
            s.startHandshake();
            return new RespClient(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a command as a RESP array of bulk strings. */
    RespClient send(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
        }
        return sendRaw(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Sends an inline command ({@code TEXT\r\n}). */
    RespClient sendInline(String line) {
        return sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    RespClient sendRaw(byte[] b) {
        try {
            out.write(b);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RespReply call(String... args) {
        return send(args).read();
    }

    /** The next reply; fails after the socket timeout. */
    RespReply read() {
        while (true) {
            RespReply r = decoder.decode(buf);
            if (r != null) {
                return r;
            }
            if (!fill()) {
                throw new IllegalStateException("connection closed while waiting for a reply");
            }
        }
    }

    /** The next reply as its raw bytes. */
    String readRaw() {
        buf.discardReadBytes();
        int start = buf.readerIndex();
        read();
        return buf.toString(start, buf.readerIndex() - start, StandardCharsets.ISO_8859_1);
    }

    /** Takes the bytes read past the last reply. */
    byte[] takeBuffered() {
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        buf.clear();
        return b;
    }

    /** Reads whatever arrives within {@code d} (at least one read attempt). Empty at EOF. */
    byte[] readFor(Duration d) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] pending = takeBuffered();
        o.writeBytes(pending);
        long deadline = System.nanoTime() + d.toNanos();
        byte[] chunk = new byte[64 * 1024];
        try {
            while (!eof) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                socket.setSoTimeout((int) Math.max(1, left));
                try {
                    int n = in.read(chunk);
                    if (n < 0) {
                        eof = true;
                        break;
                    }
                    o.write(chunk, 0, n);
                } catch (SocketTimeoutException e) {
                    break;
                }
            }
            socket.setSoTimeout(5000);
        } catch (IOException e) {
            eof = true;
        }
        return o.toByteArray();
    }

    /** Reads up to {@code max} bytes, blocking up to {@code timeout}; empty on timeout, null at EOF. */
    byte[] readSome(int max, Duration timeout) {
        if (buf.isReadable()) {
            byte[] b = new byte[Math.min(max, buf.readableBytes())];
            buf.readBytes(b);
            return b;
        }
        if (eof) {
            return null;
        }
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            byte[] chunk = new byte[max];
            int n = in.read(chunk);
            if (n < 0) {
                eof = true;
                return null;
            }
            byte[] b = new byte[n];
            System.arraycopy(chunk, 0, b, 0, n);
            return b;
        } catch (SocketTimeoutException e) {
            return new byte[0];
        } catch (IOException e) {
            eof = true;
            return null;
        }
    }

    /** Whether the peer closed the connection within {@code d} (data read meanwhile is dropped). */
    boolean closedWithin(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < deadline) {
            if (readSome(65536, Duration.ofMillis(50)) == null) {
                return true;
            }
        }
        return false;
    }

    private boolean fill() {
        byte[] chunk = new byte[16 * 1024];
        try {
            int n = in.read(chunk);
            if (n < 0) {
                eof = true;
                return false;
            }
            if (buf.readerIndex() > 0 && !decoder.isMidReply()) {
                buf.discardReadBytes();
            }
            buf.writeBytes(chunk, 0, n);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // ignore
        }
    }
}
