package io.df2redis.testkit.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Socket and waiting helpers of the proxy tests. */
final class Net {
    private Net() {
    }

    /** What a reader got before the stream ended, and whether it ended with a reset rather than a FIN. */
    record Received(byte[] bytes, boolean reset) {
    }

    /** A client connected to the proxy, with a 5 s read timeout. */
    static Socket connect(FaultProxy proxy) throws IOException {
        Socket s = new Socket(proxy.host(), proxy.port());
        s.setSoTimeout(5000);
        s.setTcpNoDelay(true);
        return s;
    }

    /** Reads until end-of-stream or a reset; fails when neither comes within the socket's read timeout. */
    static Received readToEnd(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
            return new Received(got.toByteArray(), false);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the stream did not end (" + got.size() + " bytes read)", e);
        } catch (SocketException e) {
            return new Received(got.toByteArray(), true);
        }
    }

    /** Sends {@code line} and reads back as many bytes (through an echo upstream). */
    static String roundTrip(Socket s, String line) throws IOException {
        byte[] b = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        s.getOutputStream().write(b);
        s.getOutputStream().flush();
        return new String(s.getInputStream().readNBytes(b.length), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Waits for {@code condition}, polling, and fails with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Waits until {@code counter} has stopped changing for {@code quiet}: a blocked writer. */
    static long awaitStable(String what, Duration timeout, Duration quiet, java.util.function.LongSupplier counter)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = counter.getAsLong();
        long since = System.nanoTime();
        while (true) {
            Thread.sleep(20);
            long now = counter.getAsLong();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since >= quiet.toNanos()) {
                return now;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + " to stop (at " + now + ")");
            }
        }
    }
}
