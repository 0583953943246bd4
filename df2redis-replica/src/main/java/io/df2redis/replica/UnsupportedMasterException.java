package io.df2redis.replica;

/** The master is not a Dragonfly server this library can replicate (e.g. a Redis master answering +OK to REPLCONF capa dragonfly, or a replica that refuses replication). */
public class UnsupportedMasterException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    public UnsupportedMasterException(String message) {
        super(message);
    }

    public UnsupportedMasterException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
