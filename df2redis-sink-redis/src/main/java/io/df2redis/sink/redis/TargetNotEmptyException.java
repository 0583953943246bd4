package io.df2redis.sink.redis;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The target holds keys in dbs a full sync would write and the sink's policy is
 * {@link FullSyncTargetPolicy#REFUSE_NON_EMPTY}: nothing was written or deleted. Not retryable —
 * choose {@link FullSyncTargetPolicy#FLUSH} or {@link FullSyncTargetPolicy#UPSERT}, empty the
 * target, or point the sink at another server.
 */
public final class TargetNotEmptyException extends RedisSinkException {
    private static final long serialVersionUID = 1L;

    private final String target;
    private final Map<Integer, Long> keysByDb;

    /**
     * @param target the target's address (never with credentials)
     * @param keysByDb the key count of each non-empty db the sync would write
     * @param why what the sink found, prefixed to the options the host can choose from
     */
    public TargetNotEmptyException(String target, Map<Integer, Long> keysByDb, String why) {
        super(target, why + " " + describe(keysByDb) + ". Nothing was written. Choose what a full sync does with them: "
                + "FullSyncTargetPolicy.FLUSH deletes them first (FLUSHDB of those dbs), FullSyncTargetPolicy.UPSERT "
                + "keeps them and overwrites only the keys the source has; or empty the target, or use another one", null);
        this.target = target;
        this.keysByDb = Map.copyOf(keysByDb);
    }

    /**
     * Key counts for messages: {@code db0: 1 key, db3: 12 keys}.
     *
     * @param keysByDb key count per db
     * @return the text, dbs in ascending order
     */
    public static String describe(Map<Integer, Long> keysByDb) {
        return keysByDb.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> "db" + e.getKey() + ": " + e.getValue() + (e.getValue() == 1 ? " key" : " keys"))
                .collect(Collectors.joining(", "));
    }

    /**
     * The target's address, without credentials.
     *
     * @return the address as given, never with credentials
     */
    public String target() {
        return target;
    }

    /**
     * The key count of each non-empty db that the full sync would have written.
     *
     * @return target db → keys it holds, unmodifiable
     */
    public Map<Integer, Long> keysByDb() {
        return keysByDb;
    }

    /** Always false. */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
