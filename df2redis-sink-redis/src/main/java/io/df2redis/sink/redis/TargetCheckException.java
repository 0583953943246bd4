package io.df2redis.sink.redis;

/**
 * The target does not answer a check the sink must make before writing (e.g. it reports no
 * Keyspace section in {@code INFO}): reconnecting cannot help, so it is not retryable.
 */
public final class TargetCheckException extends RedisSinkException {
    private static final long serialVersionUID = 1L;

    /**
     * @param endpoint the target endpoint that failed the check
     * @param message what the target did not answer and what to do
     */
    public TargetCheckException(String endpoint, String message) {
        super(endpoint, message, null);
    }

    /** Always false. */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
