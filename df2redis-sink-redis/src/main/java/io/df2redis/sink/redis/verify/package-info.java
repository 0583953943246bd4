/**
 * Verification of a replication: compares a source keyspace with a target key by key, or checks a
 * target against the digest recorded from a sync's snapshot.
 *
 * <pre>{@code
 * try (Verifier v = Verifier.connect(VerifyEndpoint.parse("dragonfly:6379"),
 *         VerifyEndpoint.parse("redis:6379"), VerifyOptions.DEFAULTS)) {
 *     Report r = v.verify();
 *     System.out.println(r.summary());
 * }
 * }</pre>
 *
 * <h2>Public API</h2>
 * <ul>
 * <li>{@link io.df2redis.sink.redis.verify.Verifier}: connects to both sides (or the target only)
 *     and compares, with bounded memory;</li>
 * <li>{@link io.df2redis.sink.redis.verify.VerifyEndpoint}: one side (address, credentials, TLS,
 *     cluster), immutable;</li>
 * <li>{@link io.df2redis.sink.redis.verify.VerifyOptions}: how to compare, immutable with a
 *     builder;</li>
 * <li>{@link io.df2redis.sink.redis.verify.SyncRecorder}: a sink decorator recording the digest of
 *     every snapshot key, checked later by {@code Verifier.verify(SyncRecorder)};</li>
 * <li>{@link io.df2redis.sink.redis.verify.Report} and
 *     {@link io.df2redis.sink.redis.verify.Difference}: the outcome;</li>
 * <li>{@link io.df2redis.sink.redis.verify.VerifyException}: verification could not run to its end
 *     (the message names the side).</li>
 * </ul>
 * The other classes of this package are package-private. Connections are the sink's (the protocol
 * module's {@code RespClient}, TLS with host-name verification unless turned off).
 */
package io.df2redis.sink.redis.verify;
