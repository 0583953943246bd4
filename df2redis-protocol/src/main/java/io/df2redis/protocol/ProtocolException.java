package io.df2redis.protocol;

/**
 * Root of every decoding error: the bytes did not follow the protocol (RESP, RDB, journal) or
 * exceeded a configured limit. Carries the absolute byte offset at which the problem was found
 * and a short description of what was being decoded, so a corrupt stream can be located.
 */
public class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String context;

    /**
     * @param message what is wrong
     * @param offset absolute offset in the decoded stream, or -1 when unknown
     * @param context what was being decoded (e.g. {@code "zset member of key 'k'"}), may be empty
     */
    public ProtocolException(String message, long offset, String context) {
        this(message, offset, context, null);
    }

    /**
     * Like {@link #ProtocolException(String, long, String)}, with the underlying failure {@code cause}.
     *
     * @param message what is wrong
     * @param offset absolute offset in the decoded stream, or -1 when unknown
     * @param context what was being decoded, may be empty
     * @param cause the underlying failure, or null
     */
    public ProtocolException(String message, long offset, String context, Throwable cause) {
        super(compose(message, offset, context), cause);
        this.offset = offset;
        this.context = context == null ? "" : context;
    }

    private static String compose(String message, long offset, String context) {
        StringBuilder sb = new StringBuilder(message);
        if (offset >= 0) {
            sb.append(" (at offset ").append(offset).append(')');
        }
        if (context != null && !context.isEmpty()) {
            sb.append(" while decoding ").append(context);
        }
        return sb.toString();
    }

    /**
     * Absolute byte offset in the input at which the error was detected, or -1 when unknown.
     *
     * @return the offset, or -1
     */
    public long offset() {
        return offset;
    }

    /**
     * What was being decoded when the error was detected; empty when unknown.
     *
     * @return the context, never null
     */
    public String context() {
        return context;
    }
}
