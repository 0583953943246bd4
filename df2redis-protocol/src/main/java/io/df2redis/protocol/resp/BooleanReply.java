package io.df2redis.protocol.resp;

/**
 * A RESP3 boolean ({@code #t\r\n} or {@code #f\r\n}).
 *
 * @param value the boolean
 */
public record BooleanReply(boolean value) implements RespReply {

    /** {@code #t}. */
    public static final BooleanReply TRUE = new BooleanReply(true);
    /** {@code #f}. */
    public static final BooleanReply FALSE = new BooleanReply(false);

    /**
     * The shared instance for {@code value}.
     *
     * @param value the boolean
     * @return {@link #TRUE} or {@link #FALSE}
     */
    public static BooleanReply of(boolean value) {
        return value ? TRUE : FALSE;
    }
}
