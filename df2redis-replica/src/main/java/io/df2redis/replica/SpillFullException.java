package io.df2redis.replica;

/**
 * A flow had to spill more than the disk budget ({@link SpillOptions#maxBytes()}) allows and
 * {@link SpillOptions#whenFull()} is {@link SlowConsumerPolicy#FAIL}: the target (or a listener)
 * is slower than the master's write rate for longer than the budget covers. Not retryable — a new
 * session would meet the same target; raise the budget, speed up the target, or choose
 * {@link SlowConsumerPolicy#PAUSE_READING} for a full spill (which stalls the master's writes).
 * Nothing unconfirmed was acknowledged: a restart resumes from the applied position.
 */
public class SpillFullException extends SlowConsumerException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the flow, the budget and what to do
     */
    public SpillFullException(String message) {
        super(message);
    }

    /** @return {@code false}: retrying would fill the spill again */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
