package io.df2redis.replica;

/** Connecting to, or talking with, the master failed at the network level (refused, reset, timed out). */
public class ConnectionException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the side and what to do
     */
    public ConnectionException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the side and what to do
     * @param cause the underlying failure
     */
    public ConnectionException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @return {@code true}: a new session may succeed */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
