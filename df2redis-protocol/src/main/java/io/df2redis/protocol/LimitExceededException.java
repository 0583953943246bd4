package io.df2redis.protocol;

/**
 * A length in the input exceeds a configured safety limit (an absurd string length, element
 * count or blob size). Raised before any memory is reserved for it.
 */
public class LimitExceededException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    /**
     * See {@link ProtocolException#ProtocolException(String, long, String)}.
     *
     * @param message what exceeded which limit
     * @param offset absolute offset in the decoded stream, or -1 when unknown
     * @param context what was being decoded, may be empty
     */
    public LimitExceededException(String message, long offset, String context) {
        super(message, offset, context);
    }
}
