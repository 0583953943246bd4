package io.df2redis.replica;

/** The master journaled FLUSHALL/FLUSHDB during a full sync; the full sync must start over (as Dragonfly's own replica does). */
public class FullSyncRestartException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    public FullSyncRestartException(String message) {
        super(message);
    }

    public FullSyncRestartException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
