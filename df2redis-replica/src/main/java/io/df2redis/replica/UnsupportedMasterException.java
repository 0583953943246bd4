package io.df2redis.replica;

/** The master is not a Dragonfly server this library can replicate (e.g. a Redis master answering +OK to REPLCONF capa dragonfly, or a replica that refuses replication). */
public class UnsupportedMasterException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the side and what to do
     */
    public UnsupportedMasterException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the side and what to do
     * @param cause the underlying failure
     */
    public UnsupportedMasterException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @return {@code false}: a new session cannot fix this */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
