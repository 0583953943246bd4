package io.df2redis.sink.redis;

import java.nio.charset.StandardCharsets;

/**
 * One key the sink could not reproduce in Redis, as recorded in {@link RedisSinkStats}.
 *
 * @param key the key bytes
 * @param db database index
 * @param type value type ({@code TYPE} reply style) or journal command name
 * @param reason one of the {@code REASON_*} constants
 */
public record UnsupportedData(byte[] key, int db, String type, String reason) {
    /** A value type Redis cannot hold (Bloom, Cuckoo, CMS, Top-K, module values). */
    public static final String REASON_UNSUPPORTED_TYPE = "unsupported-type";
    /** A JSON value or JSON.* command, and the target has no ReJSON module. */
    public static final String REASON_NO_JSON_MODULE = "no-json-module";
    /** A Bloom/Cuckoo/CMS/Top-K command and the target has no such module. */
    public static final String REASON_NO_BLOOM_MODULE = "no-bloom-module";
    /** Hash field TTLs and the target is older than Redis 7.4: the fields are written without TTL. */
    public static final String REASON_FIELD_TTL = "field-ttl";
    /** Set member TTLs (Dragonfly SADDEX / SET_WITH_EXPIRY): the members are written without TTL. */
    public static final String REASON_MEMBER_TTL = "member-ttl";
    /** A Dragonfly-only command without a Redis translation. */
    public static final String REASON_UNSUPPORTED_COMMAND = "unsupported-command";
    /** A multi-key command whose keys span several cluster slots and cannot be split per slot. */
    public static final String REASON_CROSS_SLOT = "cross-slot";
    /** A FLUSHDB of a source db that shares its target db with other source dbs (it would flush theirs). */
    public static final String REASON_FLUSH_OF_MERGED_DB = "flush-of-merged-db";
    /** A journal command whose keys fall on both sides of the {@link KeyFilter} and cannot be cut to one side. */
    public static final String REASON_FILTER_SPLIT = "filter-split";
    /** A {@code FLUSHALL}/{@code FLUSHDB} with a {@link KeyFilter} that selects keys: the target may hold others. */
    public static final String REASON_FILTER_FLUSH = "filter-flush";
    /**
     * A snapshot key the target already held under {@link KeyConflictPolicy#KEEP_TARGET}: the target's
     * value was kept, the source's not written (counted, never subject to the {@link UnsupportedDataPolicy}).
     */
    public static final String REASON_KEY_CONFLICT = "key-conflict";

    /**
     * The key as text (invalid UTF-8 replaced).
     *
     * @return the key decoded as UTF-8
     */
    public String keyAsString() {
        return new String(key, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "db " + db + " key '" + keyAsString() + "' (" + type + "): " + reason;
    }
}
