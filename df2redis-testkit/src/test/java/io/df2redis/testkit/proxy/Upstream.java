package io.df2redis.testkit.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A plain-socket upstream server for the proxy tests: one thread per connection running a handler. */
final class Upstream implements AutoCloseable {

    /** Serves one connection; the socket is closed when it returns or throws. */
    interface Handler {
        void handle(Socket s) throws Exception;
    }

    private final ServerSocket server;
    private final Handler handler;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;

    private Upstream(Handler handler) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.handler = handler;
        this.acceptor = new Thread(this::acceptLoop, "upstream-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static Upstream start(Handler handler) throws IOException {
        return new Upstream(handler);
    }

    /** Echoes every byte until end-of-stream, then sends its own FIN. */
    static Upstream echo() throws IOException {
        return start(s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
            s.shutdownOutput();
        });
    }

    int port() {
        return server.getLocalPort();
    }

    int accepted() {
        return accepted.get();
    }

    /** Connections whose handler has not finished yet. */
    int openConnections() {
        return open.size();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            open.add(s);
            Thread t = new Thread(() -> {
                try {
                    handler.handle(s);
                } catch (Exception e) {
                    // a reset or a closed socket: the tests look at what arrived
                } finally {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // already gone
                    }
                    open.remove(s);
                }
            }, "upstream-conn-" + s.getPort());
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
