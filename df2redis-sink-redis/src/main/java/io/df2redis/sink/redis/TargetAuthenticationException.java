package io.df2redis.sink.redis;

/**
 * The target Redis requires a password that was not given ({@code NOAUTH}), or rejected the
 * credentials ({@code WRONGPASS}, an unknown or disabled ACL user). Not retryable: fix the
 * password ({@link RedisSinkOptions.Builder#password}, {@link RedisSinkOptions.Builder#user}, or
 * the {@code redis://user:password@…} URI). The message names the endpoint and the user, never the
 * password.
 */
public class TargetAuthenticationException extends RedisSinkException {
    private static final long serialVersionUID = 1L;

    /**
     * @param endpoint the target endpoint ({@code host:port})
     * @param message what happened, naming the endpoint; never the password
     * @param cause the underlying failure, or null
     */
    public TargetAuthenticationException(String endpoint, String message, Throwable cause) {
        super(endpoint, message, cause);
    }

    /** Always false: the same credentials are rejected again. */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
