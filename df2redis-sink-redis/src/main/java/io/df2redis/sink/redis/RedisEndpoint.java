package io.df2redis.sink.redis;

import io.df2redis.protocol.net.HostAndPort;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where a {@link RedisSink} writes: one standalone server (and the db its connections select
 * first), or a Redis Cluster found through seed nodes. Only the address: credentials, TLS and
 * every other setting are {@link RedisSinkOptions}. Immutable; holds no secret.
 */
public final class RedisEndpoint {
    private final HostAndPort address;
    private final int database;
    private final List<HostAndPort> seeds;

    private RedisEndpoint(HostAndPort address, int database, List<HostAndPort> seeds) {
        this.address = address;
        this.database = database;
        this.seeds = seeds;
    }

    /**
     * One standalone server.
     *
     * @param address the server
     * @param database the db selected on every connection first (commands of other dbs select theirs)
     * @return the endpoint
     * @throws IllegalArgumentException when {@code database} is negative
     */
    public static RedisEndpoint standalone(HostAndPort address, int database) {
        Objects.requireNonNull(address, "address");
        if (database < 0) {
            throw new IllegalArgumentException("database must be >= 0: " + database);
        }
        return new RedisEndpoint(address, database, null);
    }

    /**
     * A Redis Cluster, found through any of {@code seeds} (the cluster's own node addresses are used
     * after discovery).
     *
     * @param seeds at least one node of the cluster
     * @return the endpoint
     * @throws IllegalArgumentException when there is no seed
     */
    public static RedisEndpoint cluster(List<HostAndPort> seeds) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no cluster seed node");
        }
        List<HostAndPort> s = List.copyOf(seeds);
        return new RedisEndpoint(s.get(0), 0, s);
    }

    /**
     * Whether this is a Redis Cluster.
     *
     * @return true for an endpoint made by {@code cluster(…)}
     */
    public boolean isCluster() {
        return seeds != null;
    }

    /**
     * The standalone server, or the first seed of a cluster.
     *
     * @return the address connected to first
     */
    public HostAndPort address() {
        return address;
    }

    /**
     * The db a standalone target's connections select first (0 for a cluster).
     *
     * @return the db number
     */
    public int database() {
        return database;
    }

    /**
     * The seed nodes of a cluster; empty for a standalone server.
     *
     * @return the seeds, unmodifiable
     */
    public List<HostAndPort> seeds() {
        return seeds == null ? List.of() : seeds;
    }

    /**
     * For messages and {@link RedisSinkException#endpoint()}: {@code 10.0.0.1:6379}, or the seeds of a
     * cluster, {@code a:7000,b:7000}.
     *
     * @return the address text, never with credentials
     */
    public String describeAddress() {
        return seeds != null ? seeds.stream().map(HostAndPort::toString).collect(Collectors.joining(","))
                : address.toString();
    }

    /** {@link RedisSinkOptions#describe}: this endpoint and how the options connect to it, never credentials. */
    String describeWith(RedisSinkOptions o) {
        java.util.List<String> notes = new java.util.ArrayList<>();
        if (o.tls()) {
            notes.add(o.verifyHostname() ? "tls" : "tls without host-name check");
        }
        if (o.user() != null) {
            notes.add("user " + o.user());
        }
        if (o.hasPassword()) {
            notes.add("password set");
        }
        return this + (notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")");
    }

    /** {@code Redis 10.0.0.1:6379 db 2} or {@code Redis Cluster a:7000,b:7000}. */
    @Override
    public String toString() {
        return seeds != null ? "Redis Cluster " + describeAddress()
                : "Redis " + address + (database != 0 ? " db " + database : "");
    }

    /** Equal address, db and seeds. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RedisEndpoint e && address.equals(e.address) && database == e.database
                && Objects.equals(seeds, e.seeds);
    }

    /** Consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        return Objects.hash(address, database, seeds);
    }
}
