package io.df2redis.replica;

/** The configured sink failed to apply an event; the replicated data after the last acknowledged LSN was not confirmed. */
public class SinkException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    public SinkException(String message) {
        super(message);
    }

    public SinkException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
