package io.df2redis.replica;

/** Connecting to, or talking with, the master failed at the network level (refused, reset, timed out). */
public class ConnectionException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    public ConnectionException(String message) {
        super(message);
    }

    public ConnectionException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
