package io.df2redis.replica;

/** The configured sink failed to apply an event; the replicated data after the last acknowledged LSN was not confirmed. */
public class SinkException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the side and what to do
     */
    public SinkException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the side and what to do
     * @param cause the underlying failure
     */
    public SinkException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @return {@code true}: a new session may succeed */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
