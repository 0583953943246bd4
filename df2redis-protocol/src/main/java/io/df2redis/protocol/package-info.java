/**
 * df2redis-protocol: the codecs of Dragonfly replication and Redis data, and the RESP client.
 *
 * <p>This package holds the exception roots shared by every codec
 * ({@link io.df2redis.protocol.ProtocolException}, {@link io.df2redis.protocol.LimitExceededException},
 * {@link io.df2redis.protocol.TruncatedInputException}) and the one way a future's failure is
 * unwrapped ({@link io.df2redis.protocol.Futures}). API packages:
 * {@code resp} (RESP replies, decoder, encoder), {@code rdb} (RDB / replication-flow decoder and
 * encoder), {@code journal} (journal decoder and encoder), {@code client} (the Netty RESP client),
 * {@code net} (host-and-port parsing), {@code tls} (the one client TLS set-up). Inspection tooling
 * (JSON shapes, a blocking client) is in the df2redis-tools artifact. {@code internal} and its
 * sub-packages are implementation only and may change at any time.
 */
package io.df2redis.protocol;
