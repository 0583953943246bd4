package io.df2redis.replica;

/** The master rejected the credentials (NOAUTH, WRONGPASS, NOPERM). Fix the configured user or password. */
public class AuthenticationException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
