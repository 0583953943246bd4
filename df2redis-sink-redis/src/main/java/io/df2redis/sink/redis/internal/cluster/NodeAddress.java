package io.df2redis.sink.redis.internal.cluster;

import java.util.Objects;

/** A cluster node's client address. */
public record NodeAddress(String host, int port) {
    public NodeAddress {
        Objects.requireNonNull(host, "host");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Parses {@code host:port} (IPv6 hosts may be bracketed). */
    public static NodeAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not host:port: " + hostPort);
        }
        String h = hostPort.substring(0, colon);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return new NodeAddress(h, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
