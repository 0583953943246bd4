package io.df2redis.sink.redis;

/**
 * What a full sync under {@link FullSyncTargetPolicy#UPSERT} does with a snapshot key that the target
 * already holds when the key's snapshot entry arrives: an explicit choice, because writing it
 * destroys the target's value. Set with {@link RedisSinkOptions.Builder#keyConflictPolicy}; every
 * policy but {@link #OVERWRITE} needs {@code UPSERT} (under the other target policies the dbs the
 * snapshot writes are empty or flushed, so there is no conflict).
 *
 * <p><b>Only the snapshot is checked.</b> Journal writes (the source's live changes, during and
 * after the full sync) are applied as they come, also to a key whose target value was kept: they
 * are newer than either value. This is the semantics of RedisShake's {@code key_exists} for the
 * same reason.
 *
 * <p><b>How.</b> A whole string is written with {@code SET … NX}. Any other entry is written into a
 * staging key in the same cluster slot ({@code df2redis:staging:{tag}:…}, expiring after a day in
 * case the process dies half way), then moved onto its name by one Lua script that runs
 * {@code RENAMENX} and sets the entry's TTL only when the name was free, else deletes the staging
 * key. The check and the write are therefore one atomic step on the target, whatever the type, and
 * the target's value, type and TTL stay untouched when it wins. The target must allow
 * {@code EVAL}.
 *
 * <p><b>A full sync again.</b> A second full sync in the same sink's lifetime (a reconnect whose
 * partial sync was refused) would find the keys of the first one and could not tell them from the
 * target's own: under {@link #KEEP_TARGET} it would keep stale values of keys the source changed,
 * under {@link #FAIL} it would stop at the first. The sink therefore refuses it with a
 * {@link KeyConflictException}; restart with {@link #OVERWRITE}, or empty the target.
 */
public enum KeyConflictPolicy {
    /** The default: the snapshot's key replaces the target's ({@code DEL} first, whatever its old type). */
    OVERWRITE,

    /**
     * The target's key is kept as it is (value, type, TTL); the source's snapshot entry of that name is
     * not written and is counted in {@link RedisSinkStats#skippedByReason()} under
     * {@link UnsupportedData#REASON_KEY_CONFLICT}, the first ones recorded in
     * {@link RedisSinkStats#skipped()}. Later journal writes to the key are applied.
     */
    KEEP_TARGET,

    /**
     * The first snapshot key the target already holds stops the replicator with a non-retryable
     * {@link KeyConflictException} naming it; the target's key is not touched. Snapshot keys written
     * before it stay written.
     */
    FAIL
}
