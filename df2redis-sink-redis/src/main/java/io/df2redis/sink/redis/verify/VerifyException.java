package io.df2redis.sink.redis.verify;

/** Verification could not run to its end: a connection failed, a reply timed out, the topology changed. */
public class VerifyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VerifyException(String message) {
        super(message);
    }

    public VerifyException(String message, Throwable cause) {
        super(message, cause);
    }
}
