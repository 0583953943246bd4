/**
 * RESP2 / RESP3 without a network. Public API:
 *
 * <ul>
 * <li>the reply model: the sealed {@link io.df2redis.protocol.resp.RespReply} and its records
 *     {@link io.df2redis.protocol.resp.SimpleString}, {@link io.df2redis.protocol.resp.ErrorReply},
 *     {@link io.df2redis.protocol.resp.IntegerReply}, {@link io.df2redis.protocol.resp.BulkString},
 *     {@link io.df2redis.protocol.resp.ArrayReply}, {@link io.df2redis.protocol.resp.NullReply},
 *     {@link io.df2redis.protocol.resp.BooleanReply}, {@link io.df2redis.protocol.resp.DoubleReply},
 *     {@link io.df2redis.protocol.resp.BigNumberReply}, {@link io.df2redis.protocol.resp.MapReply}
 *     and {@link io.df2redis.protocol.resp.PushReply};</li>
 * <li>decoding: the incremental {@link io.df2redis.protocol.resp.RespDecoder} with its
 *     {@link io.df2redis.protocol.resp.RespDecoder.Limits}; malformed input is a
 *     {@link io.df2redis.protocol.resp.RespProtocolException};</li>
 * <li>encoding commands: {@link io.df2redis.protocol.resp.RespEncoder};</li>
 * <li>reading replies: as text ({@link io.df2redis.protocol.resp.RespReplies#text},
 *     {@link io.df2redis.protocol.resp.RespReplies#describe}), error classification
 *     ({@link io.df2redis.protocol.resp.ErrorKind}) and cluster redirects
 *     ({@link io.df2redis.protocol.resp.Redirect}).</li>
 * </ul>
 *
 * A Netty pipeline uses them through {@link io.df2redis.protocol.client}.
 */
package io.df2redis.protocol.resp;
