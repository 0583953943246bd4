package io.df2redis.protocol.client;

import io.df2redis.protocol.net.HostAndPort;

/**
 * Root of the failures of a {@link RespClient} connection. Carries the connection's
 * {@linkplain RespClientOptions#name() name} (what it is for, e.g. {@code "Redis target"}) and the
 * endpoint it talks to, both also in the message, so a caller can tell which side failed. An error
 * <em>reply</em> of the server is not an exception: it completes the command with an
 * {@link io.df2redis.protocol.resp.ErrorReply}.
 */
public class RespClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String connectionName;
    private final transient HostAndPort endpoint;

    /**
     * @param connectionName what the connection is for
     * @param endpoint the server, or null when unknown (a channel attached without one)
     * @param message what went wrong; the name and endpoint are prefixed
     * @param cause the underlying failure, or null
     */
    public RespClientException(String connectionName, HostAndPort endpoint, String message, Throwable cause) {
        super(connectionName + (endpoint != null ? " at " + endpoint : "") + ": " + message, cause);
        this.connectionName = connectionName;
        this.endpoint = endpoint;
    }

    /**
     * What the connection is for ({@link RespClientOptions#name()}).
     *
     * @return the connection's name
     */
    public String connectionName() {
        return connectionName;
    }

    /**
     * The server the connection talks to, or null when unknown.
     *
     * @return the endpoint, or null
     */
    public HostAndPort endpoint() {
        return endpoint;
    }
}
