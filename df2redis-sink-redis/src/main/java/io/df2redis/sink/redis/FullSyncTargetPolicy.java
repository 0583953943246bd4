package io.df2redis.sink.redis;

/**
 * What a {@link RedisSink} does with keys the target already holds when a full sync starts: an
 * explicit choice, because a full sync into a server that holds other data either destroys that
 * data or mixes it with the source's. Set with {@link RedisSinkOptions.Builder#fullSyncTargetPolicy}.
 *
 * <p>The dbs considered are those the sink may write: on a standalone target every db except the
 * ones {@link RedisSinkOptions.Builder#mapDatabase mapped away} (a source db mapped elsewhere whose number
 * no other source db maps to); on a Redis Cluster db 0 of every master. Keys in other dbs are never
 * touched.
 *
 * <p><b>A full sync again.</b> The replicator may run a full sync again in the same sink's
 * lifetime (a reconnect whose partial sync was refused, a full-sync restart). Keys the target then
 * holds in the dbs the sink wrote are its own data of the earlier sync; the source may have
 * deleted some of them meanwhile. Under {@link #REFUSE_NON_EMPTY} and {@link #FLUSH} the sink
 * therefore flushes those dbs (logged at WARN with the key count per db), so no stale key
 * survives; under {@link #UPSERT} they are kept like any other key.
 */
public enum FullSyncTargetPolicy {
    /**
     * The default: the first full sync fails with a non-retryable {@link TargetNotEmptyException}
     * (naming the dbs and their key counts) when a db the sink may write holds keys. An empty target
     * is filled without {@code DEL}s before each snapshot key. A later full sync flushes the dbs this
     * sink wrote (its own data, logged at WARN) and still refuses keys in dbs it never wrote.
     */
    REFUSE_NON_EMPTY,

    /**
     * Every full sync starts with {@code FLUSHDB} of each db the sink may write that holds keys
     * (every master of a cluster), logged at WARN with the key count per db and the target address:
     * the target then holds exactly the source's keyspace. Keys in dbs the sink never writes are kept.
     */
    FLUSH,

    /**
     * Keys already in the target are kept: each snapshot key replaces the target's key of that name
     * ({@code DEL} first, whatever its old type), keys the source does not hold survive, also those
     * the source deleted while the replicator was disconnected before a repeated full sync.
     */
    UPSERT
}
