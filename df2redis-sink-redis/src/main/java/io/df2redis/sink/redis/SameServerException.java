package io.df2redis.sink.redis;

/**
 * The target is the source itself (its {@code INFO} shows the source's replication id): writing
 * the source's data into it — flushing it first, or upserting — would destroy or corrupt the
 * source. Nothing was written. Not retryable: point the target at another server.
 */
public final class SameServerException extends RedisSinkException {
    private static final long serialVersionUID = 1L;

    private final String target;

    /**
     * @param target the target's address (never with credentials)
     * @param message what identifies the target as the source
     */
    public SameServerException(String target, String message) {
        super(target, message, null);
        this.target = target;
    }

    /**
     * The target's address, without credentials.
     *
     * @return {@code host:port} of the target
     */
    public String target() {
        return target;
    }

    /** Always false. */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
