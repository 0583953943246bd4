package io.df2redis.sink.redis;

import io.df2redis.replica.SinkException;

/**
 * A Redis Cluster target could not take a command: its topology could not be read, a command kept
 * being redirected or refused ({@code TRYAGAIN}, {@code CLUSTERDOWN}, {@code LOADING}) beyond the
 * sink's limits, or the data has no place on a cluster (a db other than 0 that the host did not map
 * with {@link RedisSink.Builder#mapDatabase}). The latter is not retryable: a new session would
 * fail the same way.
 */
public class RedisClusterException extends SinkException {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    public RedisClusterException(String message) {
        this(message, null, true);
    }

    public RedisClusterException(String message, Throwable cause) {
        this(message, cause, true);
    }

    public RedisClusterException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    @Override
    public boolean isRetryable() {
        return retryable;
    }
}
