package io.df2redis.sink.redis;

/**
 * The target Redis could not be reached, the TLS handshake with it failed, the connection broke,
 * or it sent no reply within the reply timeout. Retryable: the session ends and the replicator
 * reconnects. What to do when it persists: check that the target runs at {@link #endpoint()}, its
 * TLS set-up (trusted CA, a certificate naming the host) and the network.
 */
public class TargetConnectionException extends RedisSinkException {
    private static final long serialVersionUID = 1L;

    /**
     * @param endpoint the target endpoint ({@code host:port})
     * @param message what happened, naming the endpoint
     * @param cause the underlying failure, or null
     */
    public TargetConnectionException(String endpoint, String message, Throwable cause) {
        super(endpoint, message, cause);
    }

    /** Always true: a new connection may succeed. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
