package io.df2redis.protocol.resp;

/**
 * A RESP3 double ({@code ,3.14\r\n}, {@code ,inf\r\n}, {@code ,-inf\r\n}, {@code ,nan\r\n}).
 * Equality follows {@link Double#compare}, so {@code NaN} equals {@code NaN}.
 *
 * @param value the parsed value
 */
public record DoubleReply(double value) implements RespReply {
}
