package io.df2redis.testkit.proxy;

import java.time.Duration;

/** A fault (or the end of one) as it travels from the API to the event loop of a connection. Immutable. */
sealed interface Fault {

    /**
     * Close the connection. With {@code deliver} null both sockets are reset at once; otherwise
     * the receiving side of {@code deliver} gets what was already forwarded, then a FIN, and the
     * sending side of {@code deliver} is reset.
     */
    record Cut(Direction deliver) implements Fault {
    }

    /** Stop forwarding both directions, for {@code duration} or (null) until a {@link Resume}. */
    record Stall(Duration duration) implements Fault {
    }

    /** End a {@link Stall}. */
    record Resume() implements Fault {
    }

    /** Limit {@code direction} (null: both) to {@code bytesPerSecond}; 0 removes the limit. */
    record Throttle(Direction direction, long bytesPerSecond) implements Fault {
    }

    /** Apply {@code then} once {@code bytes} more bytes have been forwarded in {@code direction}. */
    record After(Direction direction, long bytes, Fault then) implements Fault {
    }
}
