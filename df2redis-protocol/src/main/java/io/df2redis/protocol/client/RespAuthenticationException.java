package io.df2redis.protocol.client;

import io.df2redis.protocol.net.HostAndPort;

/**
 * The server rejected {@code AUTH} (wrong password, unknown or disabled ACL user, or no password
 * configured on the server). The message carries the server's error and the user name, never the
 * password. What to do: check the credentials given in {@link RespClientOptions}.
 */
public class RespAuthenticationException extends RespClientException {
    private static final long serialVersionUID = 1L;

    private final String serverError;

    /**
     *
     * @param connectionName what the connection is for
     * @param endpoint the server, or null when unknown
     * @param message what went wrong; the name and endpoint are prefixed
     * @param serverError the error reply of the server, e.g. {@code "WRONGPASS invalid
     *     username-password pair or user is disabled."}
     */
    public RespAuthenticationException(String connectionName, HostAndPort endpoint, String message,
                                       String serverError) {
        super(connectionName, endpoint, message, null);
        this.serverError = serverError;
    }

    /**
     * The server's error reply text.
     *
     * @return the error reply's message, as the server sent it
     */
    public String serverError() {
        return serverError;
    }
}
