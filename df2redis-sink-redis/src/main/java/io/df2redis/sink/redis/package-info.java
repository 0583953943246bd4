/**
 * The Redis sink: replicates a Dragonfly master into a standalone Redis server.
 *
 * <pre>{@code
 * RedisSink sink = RedisSink.standalone("127.0.0.1:6379")
 *         .unsupportedDataPolicy(UnsupportedDataPolicy.SKIP_AND_COUNT)
 *         .build();
 * try (Replicator r = Replicator.builder().source("dragonfly", 6379).ownedSink(sink).build()) {
 *     r.start();
 *     ...
 *     RedisSinkStats st = sink.stats();   // commands, errors, skipped keys by reason
 * }
 * }</pre>
 *
 * <p>Public API: {@link io.df2redis.sink.redis.RedisSink} and its immutable
 * {@link io.df2redis.sink.redis.RedisSink.Builder}, {@link io.df2redis.sink.redis.UnsupportedDataPolicy},
 * {@link io.df2redis.sink.redis.UnsupportedDataCallback}, {@link io.df2redis.sink.redis.UnsupportedData},
 * {@link io.df2redis.sink.redis.RedisSinkStats}, and the typed errors
 * {@link io.df2redis.sink.redis.RedisCommandException} (an error reply, naming command and key) and
 * {@link io.df2redis.sink.redis.UnsupportedDataException} (data Redis cannot hold, under the FAIL
 * policy). Everything in {@code io.df2redis.sink.redis.internal} may change without notice.
 *
 * <p>What Redis cannot reproduce (reported through the policy): JSON without the ReJSON module,
 * Bloom / Cuckoo / Count-Min / Top-K / module values and their commands without RedisBloom, hash
 * field TTLs before Redis 7.4 (fields are written, TTLs lost), set member TTLs (members written,
 * TTLs lost). Not reproduced and only counted: Dragonfly sticky and memcached flags. Stream
 * consumers' seen/active times become the apply time (Redis has no command to set them); a pending
 * entry whose stream entry was deleted cannot be recreated by {@code XCLAIM} and is dropped by Redis.
 *
 * <p>Redis Cluster is not supported yet; {@code internal.FlowWriter} routes every command through
 * one method, the seam where slot routing will go.
 */
package io.df2redis.sink.redis;
