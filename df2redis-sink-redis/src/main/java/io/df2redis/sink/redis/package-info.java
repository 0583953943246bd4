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
 * // or from its parts:
 * RedisSink s = RedisSink.create(RedisEndpoint.standalone(HostAndPort.of("10.0.0.1", 6379), 0),
 *         RedisSinkOptions.builder().password(pw).fullSyncTargetPolicy(FullSyncTargetPolicy.FLUSH).build());
 * }</pre>
 *
 * <h2>Public API</h2>
 * <ul>
 * <li>the sink: {@link io.df2redis.sink.redis.RedisSink}, built by its mutable
 *     {@link io.df2redis.sink.redis.RedisSink.Builder} (setters in
 *     {@link io.df2redis.sink.redis.AbstractRedisSinkBuilder}) or from
 *     {@link io.df2redis.sink.redis.RedisEndpoint} (where) and the immutable
 *     {@link io.df2redis.sink.redis.RedisSinkOptions} (how; {@code builder()}, {@code mutate()});</li>
 * <li>policies: {@link io.df2redis.sink.redis.FullSyncTargetPolicy} (what a full sync does with keys
 *     already in the target: refuse by default, flush, or upsert),
 *     {@link io.df2redis.sink.redis.UnsupportedDataPolicy},
 *     {@link io.df2redis.sink.redis.UnsupportedDataCallback}, {@link io.df2redis.sink.redis.UnsupportedData};</li>
 * <li>figures: {@link io.df2redis.sink.redis.RedisSinkStats} (also the rate limits of
 *     {@code maxOpsPerSecond}/{@code maxBytesPerSecond}, the bytes sent and the senders' waits);</li>
 * <li>target-side errors, all {@link io.df2redis.sink.redis.RedisSinkException}s naming the endpoint
 *     that failed (distinct from the replica's source-side types):
 *     {@link io.df2redis.sink.redis.TargetConnectionException},
 *     {@link io.df2redis.sink.redis.TargetAuthenticationException},
 *     {@link io.df2redis.sink.redis.RedisCommandException} (an error reply, naming command and key),
 *     {@link io.df2redis.sink.redis.TargetClusterException},
 *     {@link io.df2redis.sink.redis.UnsupportedDataException} (data Redis cannot hold, under the FAIL
 *     policy), and the refusals before anything is written
 *     {@link io.df2redis.sink.redis.TargetNotEmptyException},
 *     {@link io.df2redis.sink.redis.SameServerException},
 *     {@link io.df2redis.sink.redis.TargetCheckException};</li>
 * <li>checks before a replication: {@link io.df2redis.sink.redis.ServerProbe} and
 *     {@link io.df2redis.sink.redis.ServerIdentity}.</li>
 * </ul>
 * Everything in {@code io.df2redis.sink.redis.internal} may change without notice. Verification of
 * a sync: {@link io.df2redis.sink.redis.verify}.
 *
 * <h2>Translation</h2>
 * Snapshot values are written with native commands: strings {@code SET}
 * (+ {@code APPEND} for chunks of big strings), lists {@code RPUSH}, sets {@code SADD}, hashes
 * {@code HSET}, sorted sets {@code ZADD}, streams {@code XADD} with explicit ids, {@code XSETID …
 * ENTRIESADDED … MAXDELETEDID}, {@code XGROUP CREATE … ENTRIESREAD}, {@code XGROUP CREATECONSUMER}
 * and the pending entries via {@code XCLAIM … TIME … RETRYCOUNT … FORCE JUSTID}; the key's
 * absolute TTL is applied at entry end with {@code PEXPIREAT} (a key whose TTL passed is deleted).
 * JSON needs the ReJSON module on the target ({@code JSON.SET key $ text}); hash field TTLs need
 * Redis 7.4 ({@code HPEXPIREAT … FIELDS}); Bloom, Cuckoo, CMS, Top-K and module values, set member
 * TTLs, and the same data arriving through the journal go to the {@link io.df2redis.sink.redis.UnsupportedDataPolicy}.
 * Dragonfly's sticky flag and memcached flags have no Redis equivalent: they are dropped and
 * counted ({@link io.df2redis.sink.redis.RedisSinkStats#dfMaskIgnored()}). Journal commands run verbatim except
 * Dragonfly-only forms: {@code SET … STICK / _MCFLAGS n} (tokens dropped), {@code STICK} (no-op),
 * {@code RESTORE} (payload passed through when the target understands its type and RDB version,
 * otherwise decoded and written natively), {@code SADDEX} ({@code SADD} + policy), {@code HSETEX}
 * ({@code HSET} + {@code HEXPIRE} on 7.4, else + policy), {@code FIELDEXPIRE}, {@code PREPEND}
 * (an atomic script), {@code JSON.*}, {@code BF.*}, {@code CF.*}, {@code CMS.*}, {@code TOPK.*}.
 *
 * <h2>Redis Cluster</h2>
 * The slot map comes from {@code CLUSTER SHARDS} ({@code CLUSTER SLOTS} on
 * servers without it) and is read again at every {@link io.df2redis.sink.redis.RedisSink#open}, after a {@code MOVED} and after
 * {@code CLUSTERDOWN}. Each flow keeps one pipelined connection per master; commands are routed
 * by the CRC16 slot of their key (hash tags honoured). {@code MOVED} updates the map and re-sends,
 * {@code ASK} re-sends once with {@code ASKING}, {@code TRYAGAIN}/{@code CLUSTERDOWN}/{@code LOADING}
 * back off and re-send; the flow's order per key survives redirects (see the cluster lane).
 * {@code FLUSHALL}/{@code FLUSHDB} run on every master. Multi-key journal commands whose keys span
 * slots are split per slot when that keeps their meaning ({@code DEL}, {@code UNLINK},
 * {@code TOUCH}, {@code EXISTS}, {@code MSET}); others ({@code RENAME} across slots, {@code MSETNX},
 * {@code SMOVE}…) go to the {@link io.df2redis.sink.redis.UnsupportedDataPolicy}. A cluster holds db 0 only: data of any
 * other db fails the session with a non-retryable {@link io.df2redis.sink.redis.TargetClusterException} unless the host
 * maps that db with {@link io.df2redis.sink.redis.RedisSinkOptions.Builder#mapDatabase}.
 *
 * <h2>What Redis cannot reproduce</h2>
 * Reported through the policy: JSON without the ReJSON module, Bloom / Cuckoo / Count-Min / Top-K /
 * module values and their commands without RedisBloom, hash field TTLs before Redis 7.4 (fields
 * are written, TTLs lost), set member TTLs (members written, TTLs lost). Not reproduced and only
 * counted: Dragonfly sticky and memcached flags. Stream consumers' seen/active times become the
 * apply time (Redis has no command to set them); a pending entry whose stream entry was deleted
 * cannot be recreated by {@code XCLAIM} and is dropped by Redis.
 */
package io.df2redis.sink.redis;
