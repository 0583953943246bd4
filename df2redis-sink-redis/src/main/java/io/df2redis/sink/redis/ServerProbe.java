package io.df2redis.sink.redis;

import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.resp.SimpleString;
import io.df2redis.replica.AuthenticationException;
import io.df2redis.replica.ConnectionException;
import io.df2redis.replica.ReplicationException;
import io.df2redis.protocol.client.RespClientOptions;
import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.RespReplies;
import io.df2redis.sink.redis.internal.ConnectFailures;
import io.df2redis.sink.redis.internal.TargetConnection;
import io.df2redis.sink.redis.internal.cluster.ClusterTopology;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A short-lived, blocking connection to a Redis-protocol server (Redis or Dragonfly) for checks
 * before a replication starts — reachable, credentials accepted, who it is
 * ({@link ServerIdentity}), how many keys it holds, its cluster masters — over the same Netty and
 * TLS set-up the sink uses: the given {@link SslContext}, and host-name verification unless turned
 * off. One command at a time; not thread-safe; never call it from an event loop.
 *
 * <pre>{@code
 * try (ServerProbe p = ServerProbe.to("redis.internal", 6379).auth(null, password).connect()) {
 *     Map<Integer, long[]> keys = p.keyspace();
 * }
 * }</pre>
 *
 * <p>Failures are typed with the replica's side-neutral types, because a probe checks the
 * Dragonfly source as well as the Redis target: {@link ConnectionException} (unreachable, TLS
 * handshake refused, no reply in time) and {@link AuthenticationException} (the server requires a
 * password that was not given, or rejected the credentials). Messages name the address, never the
 * password. The connection is the sink's ({@code RespClient} of the protocol module, with the
 * window and error translation of the sink's connections).
 *
 * <p>Thread ownership: not thread-safe; one thread uses a probe at a time. All fields are final.
 */
public final class ServerProbe implements AutoCloseable {
    private final String address;
    private final TargetConnection conn;
    private final EventLoopGroup ownGroup;
    private final Duration timeout;

    private ServerProbe(String address, TargetConnection conn, EventLoopGroup ownGroup, Duration timeout) {
        this.address = address;
        this.conn = conn;
        this.ownGroup = ownGroup;
        this.timeout = timeout;
    }

    /**
     * Options for a probe of {@code host:port}; {@link Builder#connect()} opens it.
     *
     * @param host the server's host name or address (an IPv6 address without brackets)
     * @param port its TCP port
     * @return the options, without credentials or TLS
     * @throws IllegalArgumentException when {@link HostAndPort} refuses the host or the port
     */
    public static Builder to(String host, int port) {
        return new Builder(HostAndPort.of(host, port));
    }

    /**
     * {@code host:port} of the server.
     *
     * @return the address, IPv6 in brackets
     */
    public String address() {
        return address;
    }

    /**
     * Sends one command and returns its reply (an error reply is returned, not thrown).
     *
     * @param args the command name and its arguments
     * @return the reply
     * @throws ConnectionException when the connection fails or no reply arrives in time
     */
    public RespReply call(String... args) {
        return conn.call(timeout, args);
    }

    /**
     * {@code INFO section} as text; an error reply becomes a {@link RedisCommandException}.
     *
     * @param section the section ({@code server}, {@code replication}, {@code keyspace}…)
     * @return the section's text
     * @throws AuthenticationException when the server requires a password that was not given
     */
    public String info(String section) {
        RespReply r = call("INFO", section);
        if (r instanceof ErrorReply e) {
            if (e.message().startsWith("NOAUTH")) {
                throw new AuthenticationException(address + " requires a password (" + e.message() + ")");
            }
            throw new RedisCommandException(address, "INFO", null, 0, e.message());
        }
        return RespReplies.text(r);
    }

    /**
     * Who the server is: {@code INFO server} and {@code INFO replication}.
     *
     * @return the server's versions and ids
     */
    public ServerIdentity identity() {
        return ServerIdentity.parse(info("server") + "\n" + info("replication"));
    }

    /**
     * Keys per non-empty db as {@code {keys, keys with a TTL}}: from {@code INFO keyspace}, or, on a
     * server without a Keyspace section, {@code DBSIZE} in dbs 0–15 (TTL count 0).
     *
     * @return db → {@code {keys, keys with a TTL}}
     */
    public Map<Integer, long[]> keyspace() {
        var parsed = ServerIdentity.keyspace(info("keyspace"));
        if (parsed.isPresent()) {
            return parsed.get();
        }
        Map<Integer, long[]> out = new LinkedHashMap<>();
        for (int db = 0; db < 16; db++) {
            if (call("SELECT", Integer.toString(db)) instanceof ErrorReply) {
                break;
            }
            if (!(call("DBSIZE") instanceof IntegerReply n)) {
                break;
            }
            if (n.value() > 0) {
                out.put(db, new long[] {n.value(), 0});
            }
        }
        call("SELECT", "0");
        return out;
    }

    /**
     * The masters of the Redis Cluster this node belongs to, as {@code host:port}, from
     * {@code CLUSTER SHARDS} ({@code CLUSTER SLOTS} on servers without it), as the sink reads them.
     *
     * @param tls whether the cluster is reached with TLS (its nodes' TLS ports are used)
     * @return the masters' {@code host:port}
     */
    public List<String> clusterMasters(boolean tls) {
        HostAndPort self = HostAndPort.parse(address);
        RespReply shards = call("CLUSTER", "SHARDS");
        ClusterTopology t;
        if (shards instanceof ErrorReply) {
            RespReply slots = call("CLUSTER", "SLOTS");
            if (slots instanceof ErrorReply e) {
                throw new RedisCommandException(address, "CLUSTER SLOTS", null, 0, e.message() + " (is " + address
                        + " a Redis Cluster node?)");
            }
            t = ClusterTopology.fromSlots(slots, self);
        } else {
            t = ClusterTopology.fromShards(shards, self, tls);
        }
        return t.masters().stream().map(HostAndPort::toString).toList();
    }

    @Override
    public void close() {
        conn.close();
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "ServerProbe{" + address + "}";
    }

    /** How to reach the server. Immutable: each setter returns a copy; {@link #toString()} hides the password. */
    public static final class Builder {
        private final HostAndPort endpoint;
        private String user;
        private String password;
        private SslContext ssl;
        private boolean verifyHostname = true;
        private Duration timeout = Duration.ofSeconds(10);
        private EventLoopGroup group;

        private Builder(HostAndPort endpoint) {
            this.endpoint = endpoint;
        }

        private Builder copy() {
            Builder b = new Builder(endpoint);
            b.user = user;
            b.password = password;
            b.ssl = ssl;
            b.verifyHostname = verifyHostname;
            b.timeout = timeout;
            b.group = group;
            return b;
        }

        /**
         * {@code AUTH [user] password} after connecting; a null password sends no AUTH.
         *
         * @param user the ACL user, or null for the default user
         * @param password the password, or null
         * @return a copy with the credentials
         */
        public Builder auth(String user, String password) {
            Builder b = copy();
            b.user = user;
            b.password = password;
            return b;
        }

        /**
         * TLS with this client context (null: plain TCP).
         *
         * @param ssl a client TLS context, or null
         * @param verifyHostname whether the server certificate must name the host (default true)
         * @return a copy with the TLS settings
         */
        public Builder tls(SslContext ssl, boolean verifyHostname) {
            Builder b = copy();
            b.ssl = ssl;
            b.verifyHostname = verifyHostname;
            return b;
        }

        /**
         * Connect and reply timeout; default 10 s.
         *
         * @param d the timeout, positive
         * @return a copy with the timeout
         * @throws IllegalArgumentException when {@code d} is zero or negative
         */
        public Builder timeout(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            Builder b = copy();
            b.timeout = d;
            return b;
        }

        /**
         * Runs the connection on this event loop group (not shut down by the probe); default: its own.
         *
         * @param g the group, or null for the probe's own
         * @return a copy using the group
         */
        public Builder eventLoopGroup(EventLoopGroup g) {
            Builder b = copy();
            b.group = g;
            return b;
        }

        /**
         * Connects, authenticates and checks with {@code PING} that the server accepts commands.
         *
         * @return the open probe; close it when done
         * @throws ConnectionException unreachable, TLS refused, no reply in time
         * @throws AuthenticationException a password is required and none was given, or it was rejected
         */
        public ServerProbe connect() {
            String address = endpoint.toString();
            EventLoopGroup own = group == null ? new NioEventLoopGroup(1) : null;
            try {
                RespClientOptions o = RespClientOptions.builder().connectTimeout(timeout)
                        .replyTimeout(timeout.plusSeconds(30)).sslContext(ssl).verifyHostname(verifyHostname)
                        .credentials(password == null ? null : user, password).build();
                TargetConnection c = TargetConnection.connect(own != null ? own : group, endpoint,
                        o, "probe@" + address, 16, 0, ConnectFailures.NEUTRAL);
                return new ServerProbe(address, c, own, timeout);
            } catch (RuntimeException e) {
                shutdown(own);
                throw e;
            }
        }

        private static void shutdown(EventLoopGroup g) {
            if (g != null) {
                g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }

        @Override
        public String toString() {
            return "ServerProbe.Builder{" + endpoint + (ssl != null ? ", tls" : "")
                    + (ssl != null && !verifyHostname ? " (no host-name check)" : "")
                    + (user != null ? ", user " + user : "") + (password != null ? ", password set" : "") + "}";
        }
    }
}
