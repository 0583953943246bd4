package io.df2redis.protocol.client;

import io.df2redis.protocol.net.HostAndPort;

/**
 * No reply arrived within the {@linkplain RespClientOptions#replyTimeout() reply timeout} while
 * commands were outstanding, or the connection was not established within the
 * {@linkplain RespClientOptions#connectTimeout() connect timeout}. The connection is closed: a
 * hung server or a half-open connection cannot hold the caller forever.
 */
public class RespTimeoutException extends RespConnectionException {
    private static final long serialVersionUID = 1L;

    /**
     * See {@link RespClientException#RespClientException(String, HostAndPort, String, Throwable)}.
     *
     * @param connectionName what the connection is for
     * @param endpoint the server, or null when unknown
     * @param message what went wrong; the name and endpoint are prefixed
     */
    public RespTimeoutException(String connectionName, HostAndPort endpoint, String message) {
        super(connectionName, endpoint, message, null);
    }
}
