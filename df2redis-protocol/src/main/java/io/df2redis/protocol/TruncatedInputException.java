package io.df2redis.protocol;

/** The input ended in the middle of a record: the stream or file is truncated. */
public class TruncatedInputException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    /** See {@link ProtocolException#ProtocolException(String, long, String)}. */
    public TruncatedInputException(String message, long offset, String context) {
        super(message, offset, context);
    }
}
