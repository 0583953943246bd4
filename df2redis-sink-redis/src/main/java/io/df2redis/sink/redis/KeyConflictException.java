package io.df2redis.sink.redis;

/**
 * A full sync under {@link KeyConflictPolicy#FAIL} met a key the target already holds, or a full sync
 * ran again under {@link KeyConflictPolicy#KEEP_TARGET} or {@code FAIL}, where the sink cannot tell
 * its own earlier keys from the target's. Not retryable: the same key comes again.
 */
public final class KeyConflictException extends RedisSinkException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final int db;

    /**
     * @param endpoint the target's address, never with credentials
     * @param key the key (as text), or null when the refusal is about a full sync again
     * @param db the target db of the key, or -1
     * @param message what happened and what to do
     */
    private KeyConflictException(String endpoint, String key, int db, String message) {
        super(endpoint, message, null);
        this.key = key;
        this.db = db;
    }

    /**
     * A snapshot key the target already held under {@link KeyConflictPolicy#FAIL}.
     *
     * @param endpoint the target's address, never with credentials
     * @param key the key as text
     * @param db its target db
     * @return the exception
     */
    public static KeyConflictException keyExists(String endpoint, String key, int db) {
        return new KeyConflictException(endpoint, key, db, "full sync into " + endpoint + " stopped "
                + "(KeyConflictPolicy.FAIL): the target already holds key '" + key + "' in db " + db
                + ", which the source's snapshot has too; the target's key was not touched, snapshot keys written "
                + "before it stay. Choose KeyConflictPolicy.OVERWRITE (the source's value wins) or KEEP_TARGET (the "
                + "target's wins), or remove the key from the target");
    }

    /**
     * A full sync again in the same sink's lifetime under {@code KEEP_TARGET} or {@code FAIL}.
     *
     * @param endpoint the target's address, never with credentials
     * @param policy the sink's policy
     * @return the exception
     */
    public static KeyConflictException fullSyncAgain(String endpoint, KeyConflictPolicy policy) {
        return new KeyConflictException(endpoint, null, -1, "full sync again into " + endpoint + " refused "
                + "(KeyConflictPolicy." + policy + "): the replicator could not resume and syncs from scratch, and the "
                + "target now holds this sink's keys of the earlier full sync beside its own; they cannot be told "
                + "apart, so " + (policy == KeyConflictPolicy.KEEP_TARGET
                    ? "keeping them would keep values the source has changed since"
                    : "every key the source still has would count as a conflict")
                + ". Nothing was written. Restart with KeyConflictPolicy.OVERWRITE, or empty the target");
    }

    /**
     * The key that was in the way.
     *
     * @return the key as text, or null for a refused full sync again
     */
    public String key() {
        return key;
    }

    /**
     * The key's target db.
     *
     * @return the db, or -1 for a refused full sync again
     */
    public int db() {
        return db;
    }

    /** Always false. */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
