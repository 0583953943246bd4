package io.df2redis.protocol.rdb;

import io.df2redis.protocol.ProtocolException;

/** The bytes do not follow the RDB format (Redis RDB 1–12 or Dragonfly's flavour, spec §4). */
public class RdbProtocolException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public RdbProtocolException(String message, long offset, String context) {
        super(message, offset, context);
    }

    public RdbProtocolException(String message, long offset, String context, Throwable cause) {
        super(message, offset, context, cause);
    }
}
