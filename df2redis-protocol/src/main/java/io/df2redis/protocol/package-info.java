/**
 * df2redis-protocol: the codecs of Dragonfly replication and Redis data, and the RESP client.
 *
 * <p>This package holds the exception roots shared by every codec
 * ({@link io.df2redis.protocol.ProtocolException}, {@link io.df2redis.protocol.LimitExceededException},
 * {@link io.df2redis.protocol.TruncatedInputException}). API packages:
 * {@code resp} (RESP replies, decoder, encoder), {@code rdb} (RDB / replication-flow decoder and
 * encoder), {@code journal} (journal decoder and encoder), {@code client} (the Netty RESP client),
 * {@code net} (host-and-port parsing). {@code inspect} holds inspection tooling (JSON shapes, a
 * blocking client) used by the command line, the verifier and tests. {@code internal} and its
 * sub-packages are implementation only and may change at any time.
 */
package io.df2redis.protocol;
