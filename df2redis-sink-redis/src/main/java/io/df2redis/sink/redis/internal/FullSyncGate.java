package io.df2redis.sink.redis.internal;

import io.df2redis.sink.redis.FullSyncTargetPolicy;
import io.df2redis.sink.redis.KeyConflictException;
import io.df2redis.sink.redis.KeyConflictPolicy;
import io.df2redis.sink.redis.TargetNotEmptyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Applies the {@link FullSyncTargetPolicy} at a full-sync start: reads the target's keyspace,
 * then refuses ({@link TargetNotEmptyException}), flushes or keeps as the policy says, and records
 * in {@link SinkState} whether snapshot keys go into empty dbs. Stateless itself; called only by
 * the replicator's session thread (through the sink's {@code apply} of a full-sync start, while no
 * flow applies anything).
 */
public final class FullSyncGate {
    private static final Logger LOG = LoggerFactory.getLogger("io.df2redis.sink.redis.RedisSink");

    private FullSyncGate() {
    }

    /**
     * Reads the keyspace through {@code ctl} (blocking the calling thread for at most
     * {@code replyTimeout}) and applies {@code policy}.
     *
     * @param where the target for messages (never with credentials)
     * @param ownKeyDb the db holding the sink's checkpoint hash (not counted as a key), or -1
     * @param conflicts what an upsert does with a snapshot key the target holds
     * @return completes when any flush was answered
     * @throws TargetNotEmptyException when {@code REFUSE_NON_EMPTY} finds keys it did not write
     * @throws KeyConflictException when a full sync comes again under a {@link KeyConflictPolicy}
     *     that must tell the target's keys from the sink's
     */
    public static CompletableFuture<Void> prepare(FlowWriter ctl, SinkState state, FullSyncTargetPolicy policy,
                                                  DbMapping map, boolean cluster, String where,
                                                  Duration replyTimeout, int ownKeyDb, KeyConflictPolicy conflicts) {
        Map<Integer, Long> held = ctl.keyspace(replyTimeout);
        if (ownKeyDb >= 0) {
            // the sink's checkpoint hash is not data the policy protects
            held.computeIfPresent(ownKeyDb, (db, n) -> n > 1 ? n - 1 : null);
        }
        Map<Integer, Long> inScope = new TreeMap<>();
        Map<Integer, Long> elsewhere = new TreeMap<>();
        held.forEach((db, n) -> (map.writes(db, cluster) ? inScope : elsewhere).put(db, n));
        String kept = elsewhere.isEmpty() ? "" : "; keys in dbs the sink never writes are kept ("
                + TargetNotEmptyException.describe(elsewhere) + ")";
        boolean again = state.claimed();
        switch (policy) {
            case UPSERT -> {
                if (conflicts != KeyConflictPolicy.OVERWRITE && again
                        && inScope.keySet().stream().anyMatch(state::hasWritten)) {
                    throw KeyConflictException.fullSyncAgain(where, conflicts);
                }
                state.fullSyncStarted(false);
                if (!inScope.isEmpty()) {
                    LOG.info("full sync into {} with FullSyncTargetPolicy.UPSERT: the keys it holds are kept{} ({}){}",
                            where, switch (conflicts) {
                                case OVERWRITE -> " unless the source has them";
                                case KEEP_TARGET -> ", also where the source has them (KeyConflictPolicy.KEEP_TARGET)";
                                case FAIL -> "; a snapshot key among them stops the sync (KeyConflictPolicy.FAIL)";
                            }, TargetNotEmptyException.describe(inScope), kept);
                }
                return CompletableFuture.completedFuture(null);
            }
            case FLUSH -> {
                state.fullSyncStarted(true);
                if (inScope.isEmpty()) {
                    LOG.info("full sync into {} with FullSyncTargetPolicy.FLUSH: the target holds no key in the dbs "
                            + "the sink writes, nothing to flush{}", where, kept);
                    return CompletableFuture.completedFuture(null);
                }
                LOG.warn("full sync into {} with FullSyncTargetPolicy.FLUSH: flushing (FLUSHDB) {}{}", where,
                        TargetNotEmptyException.describe(inScope), kept);
                return ctl.flush(inScope.keySet());
            }
            default -> {
                Map<Integer, Long> ours = new TreeMap<>();
                Map<Integer, Long> foreign = new TreeMap<>();
                inScope.forEach((db, n) -> (again && state.hasWritten(db) ? ours : foreign).put(db, n));
                if (!foreign.isEmpty()) {
                    throw new TargetNotEmptyException(where, foreign, again
                            ? "full sync again into " + where + " refused (FullSyncTargetPolicy.REFUSE_NON_EMPTY): "
                                + "since this sink's first full sync, keys appeared in dbs it never wrote:"
                            : "full sync into " + where + " refused (FullSyncTargetPolicy.REFUSE_NON_EMPTY, the "
                                + "default): the target is not empty:");
                }
                state.fullSyncStarted(true);
                if (ours.isEmpty()) {
                    return CompletableFuture.completedFuture(null);
                }
                LOG.warn("full sync again into {} (the replicator could not resume and syncs from scratch): "
                        + "flushing (FLUSHDB) what this sink wrote there since its first full sync, so that no key "
                        + "the source deleted meanwhile survives: {}", where, TargetNotEmptyException.describe(ours));
                return ctl.flush(ours.keySet());
            }
        }
    }
}
