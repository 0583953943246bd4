package io.df2redis.replica;

import io.netty.handler.ssl.SslContext;

import java.util.Objects;

/**
 * Where and how to reach the Dragonfly master: host, port, optional credentials (password, or
 * ACL user and password) and optional TLS. Immutable; {@link #toString()} never shows the
 * password.
 */
public final class DragonflyEndpoint {
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final SslContext ssl;

    private DragonflyEndpoint(String host, int port, String user, String password, SslContext ssl) {
        this.host = Objects.requireNonNull(host, "host");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.port = port;
        this.user = user;
        this.password = password;
        this.ssl = ssl;
    }

    public static DragonflyEndpoint of(String host, int port) {
        return new DragonflyEndpoint(host, port, null, null, null);
    }

    /** Parses {@code host:port} (IPv6 as {@code [::1]:6379}). */
    public static DragonflyEndpoint parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected HOST:PORT, got " + hostPort);
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return of(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** Authenticates with {@code AUTH <password>}. */
    public DragonflyEndpoint withPassword(String password) {
        return new DragonflyEndpoint(host, port, null, password, ssl);
    }

    /** Authenticates with {@code AUTH <user> <password>} (ACL user). */
    public DragonflyEndpoint withUser(String user, String password) {
        return new DragonflyEndpoint(host, port, user, password, ssl);
    }

    /** Connects with TLS using the given client context. */
    public DragonflyEndpoint withTls(SslContext ssl) {
        return new DragonflyEndpoint(host, port, user, password, ssl);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** ACL user name, or null. */
    public String user() {
        return user;
    }

    /** Password, or null when no AUTH is sent. */
    public String password() {
        return password;
    }

    /** TLS client context, or null for plain TCP. */
    public SslContext ssl() {
        return ssl;
    }

    @Override
    public String toString() {
        return (ssl != null ? "tls://" : "") + (user != null ? user + "@" : "") + host + ":" + port
                + (password != null ? " (auth)" : "");
    }
}
