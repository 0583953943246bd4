package io.df2redis.sink.redis;

import io.df2redis.replica.SinkException;

/**
 * Root of the failures of the Redis <em>target</em> side: anything a {@link RedisSink} (or a
 * {@link ServerProbe} of a target) reports is one of its subtypes, so a host can tell a target
 * failure from a failure of the Dragonfly source (the replica's exception types). Each carries the
 * target endpoint that failed ({@link #endpoint()}: {@code host:port}, or the seed list of a
 * cluster; never credentials).
 *
 * <ul>
 * <li>{@link TargetConnectionException}: the target cannot be reached, the TLS handshake failed,
 *     the connection broke or no reply came in time (retryable);</li>
 * <li>{@link TargetAuthenticationException}: the target wants a password or rejected the
 *     credentials (not retryable);</li>
 * <li>{@link RedisCommandException}: an error reply (retryable only for transient errors);</li>
 * <li>{@link TargetClusterException}: the cluster's topology or redirects (see there);</li>
 * <li>{@link TargetNotEmptyException}, {@link SameServerException}, {@link TargetCheckException}:
 *     refusals before anything is written (not retryable);</li>
 * <li>{@link UnsupportedDataException}: data Redis cannot hold under
 *     {@link UnsupportedDataPolicy#FAIL} (not retryable).</li>
 * </ul>
 *
 * <p>{@link #isRetryable()} is the replicator's signal: a retryable failure ends the session and
 * the replicator reconnects, resuming after the last confirmed write; any other stops it.
 */
public class RedisSinkException extends SinkException {
    private static final long serialVersionUID = 1L;

    private final String endpoint;

    /**
     * @param endpoint the target endpoint that failed ({@code host:port}), or null when none applies
     * @param message what happened and what to do; must not hold credentials
     * @param cause the underlying failure, or null
     */
    public RedisSinkException(String endpoint, String message, Throwable cause) {
        super(message, cause);
        this.endpoint = endpoint;
    }

    /**
     * The target endpoint that failed: {@code host:port} of the server (a cluster node), the seed
     * list of a cluster for a cluster-wide failure, or null when the failure concerns no endpoint.
     *
     * @return the endpoint, never with credentials
     */
    public String endpoint() {
        return endpoint;
    }
}
