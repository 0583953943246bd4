/**
 * The Redis sink: replicates a Dragonfly master into a standalone Redis server or a Redis Cluster.
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
 * {@link io.df2redis.sink.redis.RedisSink.Builder}, {@link io.df2redis.sink.redis.FullSyncTargetPolicy}
 * (what a full sync does with keys already in the target: refuse by default, flush, or upsert),
 * {@link io.df2redis.sink.redis.UnsupportedDataPolicy},
 * {@link io.df2redis.sink.redis.UnsupportedDataCallback}, {@link io.df2redis.sink.redis.UnsupportedData},
 * {@link io.df2redis.sink.redis.RedisSinkStats}, and the typed errors
 * {@link io.df2redis.sink.redis.RedisCommandException} (an error reply, naming command and key) and
 * {@link io.df2redis.sink.redis.UnsupportedDataException} (data Redis cannot hold, under the FAIL
 * policy), {@link io.df2redis.sink.redis.TargetNotEmptyException} and
 * {@link io.df2redis.sink.redis.SameServerException} (refusals before anything is written); for checks
 * before a replication, {@link io.df2redis.sink.redis.ServerProbe} and
 * {@link io.df2redis.sink.redis.ServerIdentity}. Everything in {@code io.df2redis.sink.redis.internal}
 * may change without notice.
 *
 * <p>What Redis cannot reproduce (reported through the policy): JSON without the ReJSON module,
 * Bloom / Cuckoo / Count-Min / Top-K / module values and their commands without RedisBloom, hash
 * field TTLs before Redis 7.4 (fields are written, TTLs lost), set member TTLs (members written,
 * TTLs lost). Not reproduced and only counted: Dragonfly sticky and memcached flags. Stream
 * consumers' seen/active times become the apply time (Redis has no command to set them); a pending
 * entry whose stream entry was deleted cannot be recreated by {@code XCLAIM} and is dropped by Redis.
 *
 * <p>Redis Cluster targets: {@link io.df2redis.sink.redis.RedisSink#cluster}.
 */
package io.df2redis.sink.redis;
