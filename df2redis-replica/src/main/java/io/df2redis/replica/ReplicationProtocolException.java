package io.df2redis.replica;

/** The replication stream from the master is malformed; the cause is the decoder's typed ProtocolException with offset and context. */
public class ReplicationProtocolException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the side and what to do
     */
    public ReplicationProtocolException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the side and what to do
     * @param cause the underlying failure
     */
    public ReplicationProtocolException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @return {@code true}: a new session may succeed */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
