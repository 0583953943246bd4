package io.df2redis.sink.redis.verify;

/** Verification could not run to its end: a connection failed, a reply timed out, the topology changed. */
public class VerifyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, naming the side (source or target) */
    public VerifyException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the side (source or target)
     * @param cause the underlying failure
     */
    public VerifyException(String message, Throwable cause) {
        super(message, cause);
    }
}
