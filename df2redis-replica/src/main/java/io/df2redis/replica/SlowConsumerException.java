package io.df2redis.replica;

/** The consumer (listener or sink) fell behind the master beyond the configured queue limit and the slow-consumer policy is FAIL. */
public class SlowConsumerException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    public SlowConsumerException(String message) {
        super(message);
    }

    public SlowConsumerException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
