/**
 * RESP2 / RESP3: the reply model ({@link io.df2redis.protocol.resp.RespReply} and its records),
 * the incremental {@link io.df2redis.protocol.resp.RespDecoder} with its limits, the
 * {@link io.df2redis.protocol.resp.RespEncoder} of commands, reading replies as text
 * ({@link io.df2redis.protocol.resp.RespReplies}), error classification
 * ({@link io.df2redis.protocol.resp.ErrorKind}) and cluster redirects
 * ({@link io.df2redis.protocol.resp.Redirect}). A Netty pipeline uses them through
 * {@code io.df2redis.protocol.client}.
 */
package io.df2redis.protocol.resp;
