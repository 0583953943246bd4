package io.df2redis.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A RESP2 test client that keeps every distinction of the wire format, so replies of two servers
 * can be compared exactly: a reply is a {@link Simple}, an {@link Err}, a {@link Long}, a bulk
 * string (a {@link String} of ISO-8859-1 characters, one per byte), a {@link List}, or one of
 * the two {@link Nil}s.
 */
final class Wire implements AutoCloseable {
    /** A simple string reply. */
    record Simple(String value) {
    }

    /** An error reply (without the leading '-'). */
    record Err(String message) {
    }

    /** The RESP2 null bulk string and null array. */
    enum Nil { BULK, ARRAY }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Wire(String host, int port) {
        try {
            socket = new Socket(host, port);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one command (byte[] verbatim, anything else as UTF-8 text) and reads its reply. */
    Object call(Object... args) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (Object a : args) {
                byte[] v = a instanceof byte[] x ? x : String.valueOf(a).getBytes(StandardCharsets.UTF_8);
                b.writeBytes(("$" + v.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                b.writeBytes(v);
                b.writeBytes(new byte[] {'\r', '\n'});
            }
            out.write(b.toByteArray());
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Like {@link #call} with every argument as text. */
    Object cmd(List<String> args) {
        return call(args.toArray());
    }

    private Object read() throws IOException {
        int t = in.read();
        String line = line();
        switch (t) {
            case '+':
                return new Simple(line);
            case '-':
                return new Err(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return Nil.BULK;
                }
                byte[] v = in.readNBytes(n);
                in.readNBytes(2);
                return new String(v, StandardCharsets.ISO_8859_1);
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return Nil.ARRAY;
                }
                List<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(read());
                }
                return l;
            }
            default:
                throw new IOException("unexpected reply type " + (char) t + " " + line);
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
