package io.df2redis.protocol.client;

import io.df2redis.protocol.net.HostAndPort;

/**
 * The connection could not be established, broke, was closed, or the server sent bytes that are
 * not RESP: every command still waiting for its reply fails with it. What to do: check that the
 * server is reachable and healthy (the cause says more), then reconnect.
 */
public class RespConnectionException extends RespClientException {
    private static final long serialVersionUID = 1L;

    /**
     * See {@link RespClientException#RespClientException(String, HostAndPort, String, Throwable)}.
     *
     * @param connectionName what the connection is for
     * @param endpoint the server, or null when unknown
     * @param message what went wrong; the name and endpoint are prefixed
     * @param cause the underlying failure, or null
     */
    public RespConnectionException(String connectionName, HostAndPort endpoint, String message, Throwable cause) {
        super(connectionName, endpoint, message, cause);
    }
}
