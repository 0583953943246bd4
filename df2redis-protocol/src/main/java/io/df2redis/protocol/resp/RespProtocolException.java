package io.df2redis.protocol.resp;

import io.df2redis.protocol.ProtocolException;

/**
 * The bytes received from the server are not well-formed RESP (RESP2 or RESP3): an unknown type
 * byte, a non-numeric or negative length, a missing CRLF, an over-long line, an integer overflow.
 * The connection that produced them should be closed: the stream cannot be resynchronised.
 */
public class RespProtocolException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong
     * @param offset absolute offset in the RESP stream, or -1 when unknown
     * @param context what was being decoded, may be empty
     */
    public RespProtocolException(String message, long offset, String context) {
        super(message, offset, context);
    }

    /**
     * @param message what is wrong
     * @param offset absolute offset in the RESP stream, or -1 when unknown
     * @param context what was being decoded, may be empty
     * @param cause the underlying failure
     */
    public RespProtocolException(String message, long offset, String context, Throwable cause) {
        super(message, offset, context, cause);
    }
}
