package io.df2redis.testkit.proxy;

import java.time.Duration;
import java.util.Random;

/**
 * The faults that can be injected into proxied connections: into every live connection of a
 * {@link FaultProxy} (the methods on the proxy) or into one {@link ProxiedConnection}.
 *
 * <p>Every method takes effect before it returns (when called from a test thread: it waits for
 * the connection's event loop, which applies it in a few microseconds), so bytes written after the
 * call are subject to the fault. Faults are applied in the order they are called. Every method may
 * be called from any thread. Faults on a connection that is already closed do nothing.
 *
 * <p>Byte counts are counted from the moment the fault is armed on the connection ("N more
 * bytes"), in bytes forwarded by the proxy in the given direction.
 */
public interface FaultTarget {

    /**
     * Cuts the connection at once: both sockets are closed abruptly (a TCP reset, SO_LINGER 0), and
     * whatever the proxy had received but not yet forwarded is dropped.
     */
    void cut();

    /**
     * Cuts the connection at an exact byte of one direction: the next {@code bytes} bytes of
     * {@code direction} are forwarded, none after. The side receiving that direction gets those
     * bytes and then end-of-stream (a FIN, sent after the bytes, so none is lost); the sending side
     * gets a reset. Same as {@code after(direction, bytes).cut()}.
     *
     * @param direction the direction whose bytes are counted
     * @param bytes     how many more bytes of {@code direction} to forward; 0 cuts before the next byte
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    void cutAfter(Direction direction, long bytes);

    /**
     * {@link #cutAfter(Direction, long) Cuts} after a random number of bytes drawn uniformly from
     * {@code [0, maxBytes)} with {@code rnd}, and returns it, so a test can print it (and its seed)
     * and reproduce the cut.
     *
     * @param rnd       the random source (seeded by the test)
     * @param direction the direction whose bytes are counted
     * @param maxBytes  the exclusive upper bound of the offset, at least 1
     * @return the chosen offset: that many more bytes are forwarded, none after
     * @throws IllegalArgumentException if {@code maxBytes} is less than 1
     */
    long cutAtRandomByte(Random rnd, Direction direction, long maxBytes);

    /**
     * Stops forwarding in both directions until {@link #resume()}, without closing anything. The
     * proxy stops reading, so the senders see TCP back-pressure once the socket buffers are full.
     * Bytes forwarded before the stall (already counted, in the proxy's or the system's socket
     * buffers) may still reach the receiver; nothing more is forwarded, end-of-stream included.
     */
    void stall();

    /**
     * Stalls like {@link #stall()} and resumes by itself after {@code duration} (unless a later
     * {@code stall} or {@code resume} call superseded this one).
     *
     * @param duration how long to stall; positive
     * @throws IllegalArgumentException if {@code duration} is zero or negative
     */
    void stall(Duration duration);

    /** Ends a stall: forwarding continues where it stopped. Does nothing when not stalled. */
    void resume();

    /**
     * Limits both directions to {@code bytesPerSecond} each (a token bucket with a burst of 20 ms
     * worth of bytes), replacing any earlier limit.
     *
     * @param bytesPerSecond the rate limit; positive
     * @throws IllegalArgumentException if {@code bytesPerSecond} is not positive
     */
    void throttle(long bytesPerSecond);

    /**
     * Limits one direction to {@code bytesPerSecond} (a token bucket with a burst of 20 ms worth of
     * bytes), replacing any earlier limit of that direction. The proxy reads no more from the
     * sender than it may forward (plus one read buffer), so the sender sees back-pressure.
     *
     * @param direction      the direction to slow down
     * @param bytesPerSecond the rate limit; positive
     * @throws IllegalArgumentException if {@code bytesPerSecond} is not positive
     */
    void throttle(Direction direction, long bytesPerSecond);

    /** Removes the rate limits of both directions. */
    void unthrottle();

    /**
     * A view whose faults are applied only once {@code bytes} more bytes have been forwarded in
     * {@code direction} (exactly at that byte: a stall or cut happens between byte
     * {@code bytes - 1} and byte {@code bytes}). For example
     * {@code conn.after(Direction.UPSTREAM_TO_CLIENT, 4096).stall()}. On the proxy, the trigger is
     * armed on each live connection, each counting its own bytes. {@code after(d, n).cut()} is
     * {@link #cutAfter(Direction, long) cutAfter(d, n)}.
     *
     * @param direction the direction whose bytes are counted
     * @param bytes     how many more bytes of {@code direction} to forward before the fault
     * @return the deferred view; its methods return at once after arming the trigger
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    FaultTarget after(Direction direction, long bytes);
}
