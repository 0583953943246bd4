package io.df2redis.sink.redis;

import io.df2redis.protocol.net.HostAndPort;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The setters and accessors of {@link RedisSink.Builder}, typed by the concrete builder so that
 * chained calls keep its type (the pattern of Netty's {@code AbstractBootstrap}). Each setter sets
 * the option of the same name of {@link RedisSinkOptions.Builder} (see there for what it means, its
 * default and what it rejects) and returns this builder; the endpoint is fixed at creation. Not
 * thread-safe.
 *
 * @param <B> the concrete builder
 */
public abstract class AbstractRedisSinkBuilder<B extends AbstractRedisSinkBuilder<B>> {
    private final RedisEndpoint endpoint;
    private final RedisSinkOptions.Builder options = RedisSinkOptions.builder();

    AbstractRedisSinkBuilder(RedisEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Changes any option through the options builder, e.g. {@code b.options(o -> o.maxInFlight(64))}. */
    public B options(Consumer<RedisSinkOptions.Builder> change) {
        change.accept(options);
        return self();
    }

    /** See {@link RedisSinkOptions.Builder#password}. */
    public B password(String password) {
        options.password(password);
        return self();
    }

    /** See {@link RedisSinkOptions.Builder#user}. */
    public B user(String user, String password) {
        options.user(user, password);
        return self();
    }

    /** See {@link RedisSinkOptions.Builder#ssl}. */
    public B ssl(SslContext ctx) {
        options.ssl(ctx);
        return self();
    }

    /** See {@link RedisSinkOptions.Builder#verifyHostname}. */
    public B verifyHostname(boolean on) {
        options.verifyHostname(on);
        return self();
    }

    /** See {@link RedisSinkOptions.Builder#maxInFlight}. */
    public B maxInFlight(int commands) {
        options.maxInFlight(commands);
        return self();
    }

    /** See {@link RedisSinkOptions.Builder#replyTimeout}. */
    public B replyTimeout(Duration d) {
        options.replyTimeout(d);
        return self();
    }

    /** See {@link RedisSinkOptions.Builder#connectTimeout}. */
    public B connectTimeout(Duration d) {
        options.connectTimeout(d);
        return self();
    }

    /** See {@link RedisSinkOptions.Builder#unsupportedDataPolicy}. */
    public B unsupportedDataPolicy(UnsupportedDataPolicy p) {
        options.unsupportedDataPolicy(p);
        return self();
    }

    /** See {@link RedisSinkOptions.Builder#onUnsupported}. */
    public B onUnsupported(UnsupportedDataCallback cb) {
        options.onUnsupported(cb);
        return self();
    }

    /** See {@link RedisSinkOptions.Builder#eventLoopGroup}. */
    public B eventLoopGroup(EventLoopGroup g) {
        options.eventLoopGroup(g);
        return self();
    }

    /** See {@link RedisSinkOptions.Builder#ioThreads}. */
    public B ioThreads(int n) {
        options.ioThreads(n);
        return self();
    }

    /** See {@link RedisSinkOptions.Builder#fullSyncTargetPolicy}. */
    public B fullSyncTargetPolicy(FullSyncTargetPolicy policy) {
        options.fullSyncTargetPolicy(policy);
        return self();
    }

    /** See {@link RedisSinkOptions.Builder#keyConflictPolicy}. */
    public B keyConflictPolicy(KeyConflictPolicy policy) {
        options.keyConflictPolicy(policy);
        return self();
    }

    /** See {@link RedisSinkOptions.Builder#maxRecordedSkips}. */
    public B maxRecordedSkips(int n) {
        options.maxRecordedSkips(n);
        return self();
    }

    /**
     * See {@link RedisSinkOptions.Builder#keyFilter}.
     *
     * @param filter which keys are written, under which names
     * @return this builder
     */
    public B keyFilter(KeyFilter filter) {
        options.keyFilter(filter);
        return self();
    }

    /** See {@link RedisSinkOptions.Builder#mapDatabase}. */
    public B mapDatabase(int sourceDb, int targetDb) {
        options.mapDatabase(sourceDb, targetDb);
        return self();
    }

    /** See {@link RedisSinkOptions.Builder#maxRedirects}. */
    public B maxRedirects(int n) {
        options.maxRedirects(n);
        return self();
    }

    /** See {@link RedisSinkOptions.Builder#clusterRetryTimeout}. */
    public B clusterRetryTimeout(Duration d) {
        options.clusterRetryTimeout(d);
        return self();
    }

    /**
     * Limits the commands per second into the target, all flows and connections of the sink together
     * (a token bucket; senders wait on their own threads, never on an event loop); 0, the default, is
     * no limit. See {@link RedisSinkOptions.Builder#maxOpsPerSecond}.
     *
     * @param ops commands per second, 0 to 9 × 10^9
     * @return this builder
     */
    public B maxOpsPerSecond(long ops) {
        options.maxOpsPerSecond(ops);
        return self();
    }

    /**
     * Limits the bytes per second into the target, counted as the RESP encoding of each command, all
     * flows and connections of the sink together; 0, the default, is no limit. See
     * {@link RedisSinkOptions.Builder#maxBytesPerSecond}.
     *
     * @param bytes bytes per second, 0 to 9 × 10^9
     * @return this builder
     */
    public B maxBytesPerSecond(long bytes) {
        options.maxBytesPerSecond(bytes);
        return self();
    }

    /** Where the sink writes. */
    public RedisEndpoint endpoint() {
        return endpoint;
    }

    /**
     * The options so far.
     *
     * @throws IllegalArgumentException when they do not fit together (see {@link RedisSinkOptions.Builder#build()})
     */
    public RedisSinkOptions buildOptions() {
        return options.build();
    }

    /** The host of the server (the first seed of a cluster). */
    public String host() {
        return endpoint.address().host();
    }

    /** The port of the server (the first seed of a cluster). */
    public int port() {
        return endpoint.address().port();
    }

    /** The cluster seed nodes as {@code host:port}, or an empty list for a standalone target. */
    public List<String> seeds() {
        return endpoint.seeds().stream().map(HostAndPort::toString).toList();
    }

    /** The db mapping ({@link #mapDatabase}). */
    public Map<Integer, Integer> databaseMapping() {
        return options.current().databaseMapping();
    }

    /** The unsupported-data policy so far. */
    public UnsupportedDataPolicy unsupportedDataPolicy() {
        return options.current().unsupportedDataPolicy();
    }

    /** The {@link FullSyncTargetPolicy} so far. */
    public FullSyncTargetPolicy fullSyncTargetPolicy() {
        return options.current().fullSyncTargetPolicy();
    }

    /** The pipelining window so far. */
    public int maxInFlight() {
        return options.current().maxInFlight();
    }

    /**
     * Whether a sync may write into target db {@code targetDb}: the dbs the {@link FullSyncTargetPolicy}
     * checks and flushes. On a cluster db 0 only; on a standalone target every db except those
     * {@linkplain RedisSinkOptions.Builder#mapDatabase mapped away}.
     */
    public boolean writesTo(int targetDb) {
        return new io.df2redis.sink.redis.internal.DbMapping(options.current().databaseMapping())
                .writes(targetDb, endpoint.isCluster());
    }

    /** The target for messages and logs, never with credentials: see {@link RedisSinkOptions#describe}. */
    public String describeTarget() {
        return options.current().describe(endpoint);
    }

    /** The endpoint and options, never the password. */
    @Override
    public String toString() {
        RedisSinkOptions o = options.current();
        return "RedisSink.Builder{" + o.describe(endpoint) + ", fullSyncTargetPolicy " + o.fullSyncTargetPolicy()
                + ", unsupportedDataPolicy " + o.unsupportedDataPolicy()
                + (o.databaseMapping().isEmpty() ? "" : ", mapDatabase " + o.databaseMapping()) + "}";
    }
}
