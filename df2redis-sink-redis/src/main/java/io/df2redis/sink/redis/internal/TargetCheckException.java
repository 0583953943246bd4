package io.df2redis.sink.redis.internal;

import io.df2redis.replica.SinkException;

/**
 * The target does not answer a check the sink must make before writing (e.g. it reports no
 * Keyspace section in {@code INFO}): reconnecting cannot help, so it is not retryable.
 */
public final class TargetCheckException extends SinkException {
    private static final long serialVersionUID = 1L;

    public TargetCheckException(String message) {
        super(message);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
