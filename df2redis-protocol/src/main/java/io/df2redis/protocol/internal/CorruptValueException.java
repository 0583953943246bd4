package io.df2redis.protocol.internal;

/**
 * A compact encoding (listpack, ziplist, intset, zipmap, stream node, …) inside a value is
 * malformed. Internal: the RDB decoder converts it into an RDB protocol exception carrying the
 * stream offset and the key being decoded.
 */
public final class CorruptValueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptValueException(String message) {
        super(message, null, false, false);
    }
}
