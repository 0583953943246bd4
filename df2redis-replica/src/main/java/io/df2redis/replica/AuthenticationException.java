package io.df2redis.replica;

/** The master rejected the credentials (NOAUTH, WRONGPASS, NOPERM). Fix the configured user or password. */
public class AuthenticationException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the side and what to do
     */
    public AuthenticationException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the side and what to do
     * @param cause the underlying failure
     */
    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @return {@code false}: a new session cannot fix this */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
