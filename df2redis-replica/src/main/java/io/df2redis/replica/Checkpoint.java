package io.df2redis.replica;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a replicator can resume after a restart: the master it followed and, per flow, the LSN of
 * the next journal entry it needs. Saved by the {@link Replicator} into a {@link CheckpointStore}
 * and read back by the first session of a newly started replicator, which then asks the master for
 * a partial sync from these LSNs instead of a full sync (spec §6).
 *
 * <p>The LSNs only ever cover what the listener and the sink confirmed (a flow's applied LSN: every
 * entry below it was handed to the listener and its sink stage completed). A checkpoint without
 * LSNs ({@link #resumable()} false) records that a full sync was in progress when it was saved: the
 * target then holds an incomplete snapshot, and the next start must do a full sync.
 *
 * @param masterId the master's replication id ({@link MasterInfo#masterId()}); a restarted master has
 *     a new one, and its LSNs do not continue the saved ones
 * @param flowCount the master's number of flows (shards)
 * @param release the master's release as the handshake learnt it ({@link MasterInfo#release()}, e.g.
 *     {@code df-v1.40.1}), or "" when unknown; informational
 * @param protocolVersion the DflyVersion of the capa reply ({@link MasterInfo#protocolVersion()}), -1
 *     when absent; informational
 * @param nextLsns per flow, the LSN of the next journal entry to ask for (= the flow's applied LSN,
 *     what {@code REPLCONF ACK} reports); exactly {@code flowCount} values, or empty while a full sync
 *     is in progress
 * @param targetIdentity the identity of the sink's target when the checkpoint was saved
 *     ({@link ReplicationSink#targetIdentity()}), empty if there is no sink or it gives none
 * @param savedAt when the replicator took the checkpoint
 */
public record Checkpoint(String masterId, int flowCount, String release, int protocolVersion, List<Long> nextLsns,
                         Optional<String> targetIdentity, Instant savedAt) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when the flow count is not positive, an LSN is negative or
     *     the number of LSNs is neither 0 nor the flow count
     * @throws NullPointerException when a component is null
     */
    public Checkpoint {
        Objects.requireNonNull(masterId, "masterId");
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(targetIdentity, "targetIdentity");
        Objects.requireNonNull(savedAt, "savedAt");
        nextLsns = List.copyOf(Objects.requireNonNull(nextLsns, "nextLsns"));
        if (masterId.isEmpty()) {
            throw new IllegalArgumentException("empty master id");
        }
        if (flowCount < 1) {
            throw new IllegalArgumentException("flow count must be positive: " + flowCount);
        }
        if (!nextLsns.isEmpty() && nextLsns.size() != flowCount) {
            throw new IllegalArgumentException(nextLsns.size() + " LSNs for " + flowCount + " flows");
        }
        for (Long l : nextLsns) {
            if (l < 0) {
                throw new IllegalArgumentException("negative LSN: " + l);
            }
        }
    }

    /**
     * A checkpoint to resume from: the master's identity and release from {@code master}, the
     * per-flow next LSNs, the sink's target identity.
     *
     * @param master the master of the session whose position this is
     * @param nextLsns per flow, the next LSN to ask for
     * @param targetIdentity the sink's target identity, or empty
     * @param savedAt the time it is taken
     * @return the checkpoint
     */
    public static Checkpoint of(MasterInfo master, long[] nextLsns, Optional<String> targetIdentity,
                                Instant savedAt) {
        Long[] boxed = new Long[nextLsns.length];
        for (int i = 0; i < nextLsns.length; i++) {
            boxed[i] = nextLsns[i];
        }
        return new Checkpoint(master.masterId(), master.flowCount(), master.release(), master.protocolVersion(),
                List.of(boxed), targetIdentity, savedAt);
    }

    /**
     * The checkpoint saved when a full sync starts: no LSNs, so that a restart while the target holds
     * an incomplete snapshot does a full sync again.
     *
     * @param master the master the full sync comes from
     * @param targetIdentity the sink's target identity, or empty
     * @param savedAt the time it is taken
     * @return the checkpoint
     */
    public static Checkpoint fullSyncInProgress(MasterInfo master, Optional<String> targetIdentity, Instant savedAt) {
        return new Checkpoint(master.masterId(), master.flowCount(), master.release(), master.protocolVersion(),
                List.of(), targetIdentity, savedAt);
    }

    /** @return whether a restart can ask for a partial sync from it (false: a full sync was in progress) */
    public boolean resumable() {
        return !nextLsns.isEmpty();
    }

    /** @return the next LSNs as an array (empty when not {@link #resumable()}) */
    public long[] nextLsnArray() {
        long[] a = new long[nextLsns.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = nextLsns.get(i);
        }
        return a;
    }

    /**
     * Whether {@code other} describes the same position: same master, flows, LSNs and target
     * (release, protocol version and time are not compared).
     *
     * @param other another checkpoint, or null
     * @return true when a save of {@code other} would change nothing a resume looks at
     */
    public boolean samePosition(Checkpoint other) {
        return other != null && masterId.equals(other.masterId) && flowCount == other.flowCount
                && nextLsns.equals(other.nextLsns) && targetIdentity.equals(other.targetIdentity);
    }

    /** @return a one-line description: master, flows, release, LSNs, target, time */
    @Override
    public String toString() {
        return "Checkpoint[master " + masterId + ", " + flowCount + " flows, "
                + (release.isEmpty() ? "release unknown" : release)
                + (resumable() ? ", next LSNs " + nextLsns : ", saved during a full sync (no LSNs)")
                + targetIdentity.map(t -> ", target " + t).orElse("") + ", saved at " + savedAt + "]";
    }
}
