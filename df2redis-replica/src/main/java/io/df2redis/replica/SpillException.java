package io.df2redis.replica;

/**
 * The replicator's spill to disk ({@link SlowConsumerPolicy#SPILL}) failed: its directory could
 * not be created or written, or a spilled segment came back truncated or corrupt. Neither the
 * source nor the target is at fault; the message names the directory and what to do. Not
 * retryable: a new session would spill into the same directory again. Nothing unconfirmed was
 * acknowledged, so a restart (with a {@link CheckpointStore}) resumes from the applied position.
 */
public class SpillException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the directory and what to do
     */
    public SpillException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the directory and what to do
     * @param cause the underlying failure
     */
    public SpillException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @return {@code false}: the spill directory needs attention first */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
