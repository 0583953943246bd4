package io.df2redis.protocol.resp;

/**
 * A RESP integer ({@code :42\r\n}).
 *
 * @param value the signed 64-bit value
 */
public record IntegerReply(long value) implements RespReply {
}
