package io.df2redis.protocol.resp;

/**
 * One reply decoded from a RESP2 / RESP3 stream by {@link RespDecoder}.
 *
 * <p>RESP3-only types are folded into the closest RESP2 shape where that loses nothing a client
 * needs: sets become {@link ArrayReply}, verbatim strings become {@link BulkString}, blob errors
 * become {@link ErrorReply}, and every flavour of null becomes {@link NullReply#INSTANCE}.
 * Attributes are decoded and dropped. Use pattern matching ({@code switch} / {@code instanceof})
 * to take a reply apart.
 */
public sealed interface RespReply
        permits SimpleString, ErrorReply, IntegerReply, BulkString, NullReply, ArrayReply,
                DoubleReply, BooleanReply, BigNumberReply, MapReply, PushReply {

    /**
     * Whether this reply is an error ({@link ErrorReply}).
     *
     * @return true for an error reply
     */
    default boolean isError() {
        return this instanceof ErrorReply;
    }

    /**
     * Whether this reply is a null of any flavour ({@code $-1}, {@code *-1}, RESP3 {@code _}).
     *
     * @return true for {@link NullReply}
     */
    default boolean isNull() {
        return this == NullReply.INSTANCE;
    }
}
