package io.df2redis.protocol.resp;

/**
 * The null reply: RESP2 null bulk string ({@code $-1}), null array ({@code *-1}) and RESP3 null
 * ({@code _}) all decode to the single {@link #INSTANCE}.
 */
public enum NullReply implements RespReply {
    /** The only null reply. */
    INSTANCE;

    @Override
    public String toString() {
        return "NullReply";
    }
}
