package io.df2redis.sink.redis;

/**
 * What the Redis sink does with data Redis cannot hold: Dragonfly-only types (JSON without the
 * ReJSON module, Bloom, Cuckoo, Count-Min sketch, Top-K, module values), per-field hash TTLs on a
 * Redis older than 7.4, per-member set TTLs (no Redis equivalent), and journal commands of those
 * kinds ({@code JSON.*}, {@code BF.*}, {@code SADDEX}, {@code HSETEX}, {@code FIELDEXPIRE}, …).
 * Where only a TTL is lost (hash fields, set members) the data itself is still written and the key
 * is reported once.
 */
public enum UnsupportedDataPolicy {
    /** End the replication session with an {@link UnsupportedDataException} naming the key (default). */
    FAIL,
    /** Skip the key (or the TTL), count it per reason in {@link RedisSinkStats}, and go on. */
    SKIP_AND_COUNT,
    /** Like {@link #SKIP_AND_COUNT}, and also call the host's {@link UnsupportedDataCallback}. */
    CALLBACK
}
