package io.df2redis.sink.redis;

/**
 * A Redis Cluster target could not take a command: its topology could not be read, a command kept
 * being redirected or refused ({@code TRYAGAIN}, {@code CLUSTERDOWN}, {@code LOADING}) beyond the
 * sink's limits, or the data has no place on a cluster (a db other than 0 that the host did not map
 * with {@link RedisSinkOptions.Builder#mapDatabase}). The latter is not retryable: a new session
 * would fail the same way.
 */
public class TargetClusterException extends RedisSinkException {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    /**
     * A retryable cluster failure.
     *
     * @param endpoint the node or the cluster (seed list) that failed
     * @param message what happened
     */
    public TargetClusterException(String endpoint, String message) {
        this(endpoint, message, null, true);
    }

    /**
     * A retryable cluster failure with its cause.
     *
     * @param endpoint the node or the cluster (seed list) that failed
     * @param message what happened
     * @param cause the underlying failure, or null
     */
    public TargetClusterException(String endpoint, String message, Throwable cause) {
        this(endpoint, message, cause, true);
    }

    /**
     * @param endpoint the node or the cluster (seed list) that failed
     * @param message what happened
     * @param cause the underlying failure, or null
     * @param retryable whether a new session may succeed
     */
    public TargetClusterException(String endpoint, String message, Throwable cause, boolean retryable) {
        super(endpoint, message, cause);
        this.retryable = retryable;
    }

    /** Whether a new session may succeed (false for data a cluster cannot hold). */
    @Override
    public boolean isRetryable() {
        return retryable;
    }
}
