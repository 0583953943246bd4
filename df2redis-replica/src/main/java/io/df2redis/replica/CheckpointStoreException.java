package io.df2redis.replica;

/**
 * A {@link CheckpointStore} could not read or durably write a checkpoint. The message names the
 * store (e.g. the file) and the cause. Not retryable: a new session does not repair a store.
 */
public class CheckpointStoreException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the store
     */
    public CheckpointStoreException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the store
     * @param cause the underlying error
     */
    public CheckpointStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @return false: reconnecting does not repair a checkpoint store */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
