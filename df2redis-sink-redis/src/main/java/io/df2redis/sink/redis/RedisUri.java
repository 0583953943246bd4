package io.df2redis.sink.redis;

import io.df2redis.protocol.net.HostAndPort;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Parses a target address as {@link RedisSink#standalone} and {@link RedisSink#cluster} accept it:
 * {@code host:port}, {@code host} (port 6379), {@code [v6]:port}, or
 * {@code redis://[user:password@]host[:port][/db]} and {@code rediss://…} (TLS). Messages about a
 * bad address never show its user info ({@link #redact}). Stateless.
 *
 * @param address where the server is
 * @param database the db after the port, 0 when none
 * @param user the ACL user, or null
 * @param password the password, or null
 * @param tls whether the scheme is {@code rediss}
 */
record RedisUri(HostAndPort address, int database, String user, String password, boolean tls) {

    /**
     * Parses {@code uri}.
     *
     * @throws IllegalArgumentException when it is not one of the accepted forms (the message hides
     *     the user info)
     */
    static RedisUri parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        if (!uri.contains("://")) {
            if (uri.indexOf('@') >= 0) {
                throw new IllegalArgumentException("credentials need a redis:// or rediss:// URI (or password(…)): "
                        + redact(uri));
            }
            try {
                return new RedisUri(HostAndPort.parse(uri, HostAndPort.DEFAULT_REDIS_PORT), 0, null, null, false);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not HOST:PORT: " + uri + " (" + e.getMessage() + ")");
            }
        }
        URI u;
        try {
            u = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URI: " + redact(uri));
        }
        if (!"redis".equals(u.getScheme()) && !"rediss".equals(u.getScheme())) {
            throw new IllegalArgumentException("not a redis:// or rediss:// URI: " + redact(uri));
        }
        String host = u.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("no host in " + redact(uri));
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String user = null;
        String password = null;
        if (u.getUserInfo() != null) {
            String ui = u.getUserInfo();
            int colon = ui.indexOf(':');
            if (colon < 0) {
                password = ui;
            } else {
                user = ui.substring(0, colon).isEmpty() ? null : ui.substring(0, colon);
                password = ui.substring(colon + 1);
            }
        }
        int db = 0;
        String path = u.getPath();
        if (path != null && path.length() > 1) {
            try {
                db = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a db number after the port: " + redact(uri));
            }
        }
        int port = u.getPort() < 0 ? HostAndPort.DEFAULT_REDIS_PORT : u.getPort();
        return new RedisUri(new HostAndPort(host, port), db, user, password, "rediss".equals(u.getScheme()));
    }

    /**
     * The URI without its user info (passwords never reach messages or logs): everything between
     * {@code ://} and the last {@code @} (a password may itself hold {@code @} or {@code /}).
     */
    static String redact(String uri) {
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (scheme >= 0 && at > scheme) {
            return uri.substring(0, scheme + 3) + "***" + uri.substring(at);
        }
        if (scheme < 0 && at >= 0) {
            return "***" + uri.substring(at); // user:password@host:port without a scheme
        }
        return uri;
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "RedisUri[" + address + (database != 0 ? "/" + database : "") + (tls ? ", tls" : "")
                + (user != null ? ", user " + user : "") + (password != null ? ", password set" : "") + "]";
    }

    /**
     * The seeds of a cluster: each {@code host:port} or a {@code redis://} / {@code rediss://} URI;
     * credentials from the first seed that has them, TLS when any seed asks for it.
     *
     * @throws IllegalArgumentException when there is no seed, one cannot be parsed or names a db
     */
    static Cluster cluster(String... seeds) {
        if (seeds.length == 0) {
            throw new IllegalArgumentException("no cluster seed node");
        }
        List<HostAndPort> addresses = new ArrayList<>();
        String user = null;
        String password = null;
        boolean tls = false;
        for (String s : seeds) {
            RedisUri one = parse(s);
            addresses.add(one.address());
            if (password == null && one.password() != null) {
                password = one.password();
                user = one.user();
            }
            tls |= one.tls();
            if (one.database() != 0) {
                throw new IllegalArgumentException("a Redis Cluster has only db 0: " + redact(s));
            }
        }
        return new Cluster(RedisEndpoint.cluster(addresses), user, password, tls);
    }

    /**
     * Parsed cluster seeds.
     *
     * @param endpoint the seeds
     * @param user the ACL user of the first seed with credentials, or null
     * @param password its password, or null
     * @param tls whether any seed is {@code rediss}
     */
    record Cluster(RedisEndpoint endpoint, String user, String password, boolean tls) {
        /** Never shows the password. */
        @Override
        public String toString() {
            return "Cluster[" + endpoint + (tls ? ", tls" : "") + (user != null ? ", user " + user : "")
                    + (password != null ? ", password set" : "") + "]";
        }
    }
}
