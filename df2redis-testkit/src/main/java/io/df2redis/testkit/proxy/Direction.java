package io.df2redis.testkit.proxy;

/** One direction of the byte stream of a {@link ProxiedConnection}. */
public enum Direction {
    /** What the client (the process that connected to the proxy) sends to the upstream server. */
    CLIENT_TO_UPSTREAM,
    /** What the upstream server sends back to the client. */
    UPSTREAM_TO_CLIENT;

    /**
     * The other direction.
     *
     * @return {@link #UPSTREAM_TO_CLIENT} for {@link #CLIENT_TO_UPSTREAM} and the other way round
     */
    public Direction reverse() {
        return this == CLIENT_TO_UPSTREAM ? UPSTREAM_TO_CLIENT : CLIENT_TO_UPSTREAM;
    }

    /**
     * The direction as an arrow, for log lines.
     *
     * @return {@code client→upstream} or {@code upstream→client}
     */
    @Override
    public String toString() {
        return this == CLIENT_TO_UPSTREAM ? "client→upstream" : "upstream→client";
    }
}
