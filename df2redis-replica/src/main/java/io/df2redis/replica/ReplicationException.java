package io.df2redis.replica;

/**
 * Root of every error the replicator reports. Subtypes say what happened; {@link #isRetryable()}
 * tells whether reconnecting may help (network trouble, a master still loading) or not (bad
 * credentials, a master that is not Dragonfly).
 */
public class ReplicationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the side and what to do
     */
    public ReplicationException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the side and what to do
     * @param cause the underlying failure
     */
    public ReplicationException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether a new connection attempt may succeed.
     *
     * @return true unless a subtype knows that trying again cannot help (true here)
     */
    public boolean isRetryable() {
        return true;
    }
}
