/**
 * The one client TLS set-up of df2redis. Public API:
 * {@link io.df2redis.protocol.tls.TlsHandlers} — a Netty client TLS handler with HTTPS host-name
 * verification ({@link io.df2redis.protocol.tls.TlsHandlers#newHandler}), the same for a blocking
 * socket ({@link io.df2redis.protocol.tls.TlsHandlers#newSocket}), waiting for a channel's
 * handshake ({@link io.df2redis.protocol.tls.TlsHandlers#whenHandshaken}), and the classification
 * and description of handshake failures ({@link io.df2redis.protocol.tls.TlsHandlers.Failure},
 * {@link io.df2redis.protocol.tls.TlsHandlers#classify}, {@link io.df2redis.protocol.tls.TlsHandlers#describe}).
 * Used by the RESP client ({@code client}), the replica's source connections and so by every
 * connection the library opens.
 */
package io.df2redis.protocol.tls;
