package io.df2redis.sink.redis.verify;

import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.resp.SimpleString;
import io.df2redis.protocol.client.RespClientOptions;
import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.RespReplies;
import io.df2redis.sink.redis.internal.ConnectFailures;
import io.df2redis.sink.redis.internal.TargetConnection;
import io.df2redis.sink.redis.internal.cluster.ClusterTopology;
import io.df2redis.sink.redis.internal.cluster.SlotHash;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One side of a verification: the connection to a standalone server, or one connection per
 * master of a cluster with the slot map to route per-key reads.
 *
 * <p>Thread ownership: used by the one verifying thread; {@code Node.db}, {@code json} and the
 * lists are confined to it. Replies complete on the event loops.
 */
final class Side implements AutoCloseable {
    private java.util.function.UnaryOperator<byte[]> keyMap;
    private static final Logger LOG = LoggerFactory.getLogger(Side.class);
    private static final int WINDOW = 4096;

    /** One server connection and the db it has selected. */
    static final class Node {
        final String address;
        final TargetConnection conn;
        int db = -1;

        Node(String address, TargetConnection conn) {
            this.address = address;
            this.conn = conn;
        }
    }

    final String role;
    final VerifyEndpoint endpoint;
    private final Duration timeout;
    final List<Node> masters = new ArrayList<>();
    private final List<Node> opened = new ArrayList<>();
    private final Map<HostAndPort, Node> byAddress = new LinkedHashMap<>();
    private ClusterTopology topology;
    /** Every node is a Redis (not a Dragonfly): DUMP payloads are comparable. */
    final boolean redis;
    private Boolean json;
    /** What this side can hold (version and modules of its first master). */
    final io.df2redis.sink.redis.internal.TargetInfo holds;

    Side(String role, VerifyEndpoint ep, EventLoopGroup group, Duration timeout) {
        this.role = role;
        this.endpoint = ep;
        this.timeout = timeout;
        try {
            SslContext ssl = ep.tls() ? (ep.sslContext() != null ? ep.sslContext() : SslContextBuilder.forClient().build())
                    : null;
            Node seed = open(group, ssl, ep.host(), ep.port());
            if (ep.cluster()) {
                HostAndPort seedAddress = new HostAndPort(ep.host(), ep.port());
                RespReply shards = call(seed, "CLUSTER", "SHARDS");
                topology = shards instanceof ErrorReply
                        ? ClusterTopology.fromSlots(ok(seed, "CLUSTER", "SLOTS"), seedAddress)
                        : ClusterTopology.fromShards(shards, seedAddress, ep.tls());
                if (topology.unassignedSlots() > 0) {
                    LOG.warn("{} cluster {}: {} slots have no master", role, ep, topology.unassignedSlots());
                }
                for (HostAndPort a : topology.masters()) {
                    Node n = a.equals(seedAddress) ? seed : open(group, ssl, a.host(), a.port());
                    byAddress.put(a, n);
                    masters.add(n);
                }
            } else {
                masters.add(seed);
            }
            boolean allRedis = true;
            String firstInfo = null;
            for (Node n : masters) {
                String info = text(ok(n, "INFO", "server"));
                firstInfo = firstInfo == null ? info : firstInfo;
                allRedis &= !info.contains("dragonfly_version");
            }
            redis = allRedis;
            holds = io.df2redis.sink.redis.internal.TargetInfo.parse(firstInfo,
                    io.df2redis.sink.redis.internal.TargetInfo.moduleNames(call(masters.get(0), "MODULE", "LIST")));
        } catch (RuntimeException | javax.net.ssl.SSLException e) {
            close();
            throw e instanceof VerifyException v ? v : new VerifyException("cannot connect to the " + role + " "
                    + ep + ": " + e.getMessage(), e);
        }
    }

    private Node open(EventLoopGroup group, SslContext ssl, String host, int port) {
        RespClientOptions o = RespClientOptions.builder().connectTimeout(timeout).replyTimeout(timeout.plusSeconds(30))
                .sslContext(ssl).verifyHostname(endpoint.verifyHostname())
                .credentials(endpoint.password() == null ? null : endpoint.user(), endpoint.password()).build();
        TargetConnection c;
        try {
            c = TargetConnection.connect(group, HostAndPort.of(host, port), o, role + "@" + host + ":" + port, WINDOW, 0,
                    ConnectFailures.NEUTRAL);
        } catch (io.df2redis.replica.AuthenticationException e) {
            throw new VerifyException("the " + role + " " + e.getMessage(), e);
        }
        Node n = new Node(HostAndPort.of(host, port).toString(), c);
        opened.add(n);
        return n;
    }

    boolean cluster() {
        return topology != null;
    }

    /** The node owning {@code key}. */
    Node route(byte[] key) {
        if (topology == null) {
            return masters.get(0);
        }
        HostAndPort a = topology.owner(SlotHash.slot(key));
        Node n = a == null ? null : byAddress.get(a);
        if (n == null) {
            throw new VerifyException("the " + role + " cluster has no master for slot " + SlotHash.slot(key));
        }
        return n;
    }

    /** Selects {@code db} on every node (a round trip only where it changes). */
    void select(int db) {
        for (Node n : masters) {
            if (n.db != db) {
                ok(n, "SELECT", Integer.toString(db));
                n.db = db;
            }
        }
    }

    /** The dbs {@code INFO keyspace} lists on any node. */
    TreeSet<Integer> dbsWithKeys() {
        TreeSet<Integer> dbs = new TreeSet<>();
        for (Node n : masters) {
            for (String line : text(ok(n, "INFO", "keyspace")).split("\r?\n")) {
                if (line.startsWith("db") && line.indexOf(':') > 2) {
                    try {
                        dbs.add(Integer.parseInt(line.substring(2, line.indexOf(':'))));
                    } catch (NumberFormatException ignored) {
                        // not a db line
                    }
                }
            }
        }
        return dbs;
    }

    /** Whether JSON.GET works here (learnt from the first JSON key). */
    Boolean json() {
        return json;
    }

    void json(boolean available) {
        json = available;
    }

    CompletableFuture<RespReply> send(Node n, Object... args) {
        List<byte[]> a = new ArrayList<>(args.length);
        for (Object o : args) {
            a.add(o instanceof byte[] b ? b : String.valueOf(o).getBytes(StandardCharsets.UTF_8));
        }
        return n.conn.send(a);
    }

    /**
     * Sends a command about {@code key}. With a key map set, the key is replaced by its mapped name (a
     * renaming key filter: the target's name of a source key), in the routing and in the arguments: the
     * first argument after the command name that is the key's bytes ({@code GET k}, but also
     * {@code XINFO STREAM k}).
     */
    CompletableFuture<RespReply> send(byte[] key, Object... args) {
        java.util.function.UnaryOperator<byte[]> m = keyMap;
        if (m != null && key != null) {
            byte[] mapped = m.apply(key);
            for (int i = 1; i < args.length; i++) {
                if (args[i] instanceof byte[] b && java.util.Arrays.equals(b, key)) {
                    args = args.clone();
                    args[i] = mapped;
                    break;
                }
            }
            key = mapped;
        }
        return send(route(key), args);
    }

    /**
     * Sets (or clears, with null) the key map {@link #send(byte[], Object...)} applies (verifier
     * thread, around the comparison of source keys with their renamed target keys).
     */
    void keyMap(java.util.function.UnaryOperator<byte[]> map) {
        this.keyMap = map;
    }

    RespReply get(CompletableFuture<RespReply> f) {
        try {
            RespReply r = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (r instanceof ErrorReply e && e.redirect().isPresent()) {
                throw new VerifyException("the " + role + " cluster changed during verification: " + e.message());
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerifyException("interrupted", e);
        } catch (ExecutionException e) {
            throw new VerifyException("the " + role + " " + endpoint + " failed: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new VerifyException("the " + role + " " + endpoint + " did not answer within " + timeout);
        }
    }

    RespReply call(Node n, Object... args) {
        return get(send(n, args));
    }

    /** Like {@link #call} but an error reply fails verification. */
    RespReply ok(Node n, Object... args) {
        RespReply r = call(n, args);
        if (r instanceof ErrorReply e) {
            throw new VerifyException("the " + role + " " + n.address + " answered " + args[0] + " with " + e.message());
        }
        return r;
    }

    /** The text of a scalar reply ({@link RespReplies#text}), or the reply itself for others. */
    static String text(RespReply r) {
        String t = RespReplies.text(r);
        return t != null ? t : String.valueOf(r);
    }

    @Override
    public void close() {
        for (Node n : opened) {
            n.conn.close();
        }
    }
}
