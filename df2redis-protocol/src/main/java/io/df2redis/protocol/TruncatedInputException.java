package io.df2redis.protocol;

/** The input ended in the middle of a record: the stream or file is truncated. */
public class TruncatedInputException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    /**
     * See {@link ProtocolException#ProtocolException(String, long, String)}.
     *
     * @param message what was cut short
     * @param offset absolute offset of the end of the input, or -1 when unknown
     * @param context what was being decoded, may be empty
     */
    public TruncatedInputException(String message, long offset, String context) {
        super(message, offset, context);
    }
}
