package io.df2redis.replica;

/** The replication stream from the master is malformed; the cause is the decoder's typed ProtocolException with offset and context. */
public class ReplicationProtocolException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    public ReplicationProtocolException(String message) {
        super(message);
    }

    public ReplicationProtocolException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
