/**
 * The one Netty RESP client of df2redis, in Netty's codec style.
 *
 * <ul>
 * <li>{@link io.df2redis.protocol.client.RespReplyDecoder}: a {@code ByteToMessageDecoder} turning
 *     bytes into {@link io.df2redis.protocol.resp.RespReply} messages with the incremental
 *     {@link io.df2redis.protocol.resp.RespDecoder} and its limits;</li>
 * <li>{@link io.df2redis.protocol.client.RespCommandHandler}: encodes
 *     {@link io.df2redis.protocol.client.RespCommand}s and matches replies to them first-in
 *     first-out, fails them all when the connection fails, enforces the reply timeout and hands the
 *     channel over to another decoder;</li>
 * <li>{@link io.df2redis.protocol.client.RespClient}: connects (TCP, TLS with host-name
 *     verification on by default, {@code AUTH}) and sends commands from any thread, configured by
 *     the immutable {@link io.df2redis.protocol.client.RespClientOptions}.</li>
 * </ul>
 *
 * <p>Failures are {@link io.df2redis.protocol.client.RespClientException}s naming the connection
 * and its endpoint: {@link io.df2redis.protocol.client.RespConnectionException},
 * {@link io.df2redis.protocol.client.RespTimeoutException},
 * {@link io.df2redis.protocol.client.RespAuthenticationException}. Error replies are replies,
 * not exceptions. Reply stages complete on the channel's event loop.
 */
package io.df2redis.protocol.client;
