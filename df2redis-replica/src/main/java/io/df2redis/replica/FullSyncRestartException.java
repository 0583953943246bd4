package io.df2redis.replica;

/**
 * The session must be replaced by a new one with a full sync, at once: the master journaled
 * FLUSHALL/FLUSHDB during a full sync (the full sync starts over, as Dragonfly's own replica does),
 * or it answered a partial sync request with FULL on some flows and PARTIAL on others (the session
 * cannot continue; a new one asks for no position, spec §6.2).
 */
public class FullSyncRestartException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the side and what to do
     */
    public FullSyncRestartException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the side and what to do
     * @param cause the underlying failure
     */
    public FullSyncRestartException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @return {@code true}: a new session may succeed */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
