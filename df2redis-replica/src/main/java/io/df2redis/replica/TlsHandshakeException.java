package io.df2redis.replica;

import io.df2redis.protocol.tls.TlsHandlers;

/**
 * The TLS handshake with the Dragonfly source failed. A certificate that is not trusted or does not
 * name the host connected to ({@link #hostnameMismatch()}) is not retried: a new connection would
 * be refused the same way. Other handshake failures (the peer closed the connection, a timeout)
 * are retryable like any {@link ConnectionException}.
 */
public class TlsHandshakeException extends ConnectionException {
    private static final long serialVersionUID = 1L;
    private final TlsHandlers.Failure reason;

    /**
     * @param message what failed and what to do
     * @param reason the classified reason
     * @param cause the TLS error
     */
    public TlsHandshakeException(String message, TlsHandlers.Failure reason, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** @return why the handshake failed */
    public TlsHandlers.Failure reason() {
        return reason;
    }

    /** @return whether the certificate was refused because it does not name the host */
    public boolean hostnameMismatch() {
        return reason == TlsHandlers.Failure.HOSTNAME_MISMATCH;
    }

    /** @return true only for a handshake failure a new session may get past (not a refused certificate or host name) */
    @Override
    public boolean isRetryable() {
        return reason == TlsHandlers.Failure.OTHER;
    }
}
