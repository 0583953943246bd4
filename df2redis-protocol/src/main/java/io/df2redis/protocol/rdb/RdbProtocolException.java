package io.df2redis.protocol.rdb;

import io.df2redis.protocol.ProtocolException;

/** The bytes do not follow the RDB format (Redis RDB 1–12 or Dragonfly's flavour, spec §4). */
public class RdbProtocolException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    /** See {@link io.df2redis.protocol.ProtocolException#ProtocolException(String, long, String)}. */
    public RdbProtocolException(String message, long offset, String context) {
        super(message, offset, context);
    }

    /** Like {@link #RdbProtocolException(String, long, String)}, with the underlying failure {@code cause}. */
    public RdbProtocolException(String message, long offset, String context, Throwable cause) {
        super(message, offset, context, cause);
    }
}
