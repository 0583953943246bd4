package io.df2redis.replica;

/** The consumer (listener or sink) fell behind the master beyond the configured queue limit and the slow-consumer policy is FAIL. */
public class SlowConsumerException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the side and what to do
     */
    public SlowConsumerException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the side and what to do
     * @param cause the underlying failure
     */
    public SlowConsumerException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @return {@code true}: a new session may succeed */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
