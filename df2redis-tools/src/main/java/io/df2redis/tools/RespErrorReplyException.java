package io.df2redis.tools;

import io.df2redis.protocol.client.RespClientException;
import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.ErrorReply;

/**
 * The server answered a command with an error reply where the caller required success
 * ({@link SyncRespClient#ok}). The connection itself is fine. What to do: the message names the
 * command (its name only, never its arguments, which may hold secrets) and the server's error.
 */
public class RespErrorReplyException extends RespClientException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorReply reply;

    /**
     * @param connectionName what the connection is for
     * @param endpoint the server, or null when unknown
     * @param command the command's name
     * @param reply the server's error reply
     */
    public RespErrorReplyException(String connectionName, HostAndPort endpoint, String command, ErrorReply reply) {
        super(connectionName, endpoint, command + " failed: " + reply.message(), null);
        this.reply = reply;
    }

    /**
     * The server's error reply.
     *
     * @return the reply, with its message and error kind
     */
    public ErrorReply reply() {
        return reply;
    }
}
