package io.df2redis.replica;

/**
 * The session must be replaced by a new one with a full sync, at once: the master journaled
 * FLUSHALL/FLUSHDB during a full sync (the full sync starts over, as Dragonfly's own replica does),
 * or it answered a partial sync request with FULL on some flows and PARTIAL on others (the session
 * cannot continue; a new one asks for no position, spec §6.2).
 */
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
