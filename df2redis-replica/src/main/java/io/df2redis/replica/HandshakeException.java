package io.df2redis.replica;

/** The master answered a handshake command with an error or an unexpected reply. */
public class HandshakeException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    public HandshakeException(String message) {
        super(message);
    }

    public HandshakeException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
