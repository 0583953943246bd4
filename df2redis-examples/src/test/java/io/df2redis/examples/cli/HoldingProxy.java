package io.df2redis.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy for tests that forwards its first {@code passThrough} connections at once and holds
 * every later one until {@link #release()}: lets a test act between a CLI's pre-flight check of a
 * server and the replication's own connections to it.
 */
final class HoldingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final int passThrough;
    private final AtomicInteger accepted = new AtomicInteger();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<Socket> sockets = new ArrayList<>();

    HoldingProxy(int upstreamPort, int passThrough) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.upstreamPort = upstreamPort;
        this.passThrough = passThrough;
        Thread t = new Thread(this::acceptLoop, "holding-proxy");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Waits until a connection beyond the pass-through ones arrived (and is held). */
    boolean awaitHeld(long millis) throws InterruptedException {
        return held.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Lets held and later connections through. */
    void release() {
        released.countDown();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                int n = accepted.incrementAndGet();
                Thread t = new Thread(() -> serve(client, n > passThrough), "holding-proxy-" + n);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client, boolean hold) {
        try {
            if (hold) {
                held.countDown();
                released.await();
            }
            Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
            synchronized (sockets) {
                sockets.add(client);
                sockets.add(upstream);
            }
            pump(client.getInputStream(), upstream.getOutputStream(), upstream);
            pump(upstream.getInputStream(), client.getOutputStream(), client);
        } catch (IOException | InterruptedException e) {
            close(client);
        }
    }

    private static void pump(InputStream in, OutputStream out, Socket closeWhenDone) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // connection closed
            }
            close(closeWhenDone);
        }, "holding-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        release();
        server.close();
        synchronized (sockets) {
            sockets.forEach(HoldingProxy::close);
        }
    }
}
