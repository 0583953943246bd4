package io.df2redis.examples.cli;

import io.df2redis.replica.Checkpoint;
import io.df2redis.replica.MasterInfo;

import java.util.Optional;

/**
 * Why a {@link Checkpoint} cannot be resumed from, in the words the CLI prints: the conditions the
 * replicator checks before it asks Dragonfly for a partial sync (a position saved outside a full
 * sync, the same master replication id and flow count, a release with the raw-journal partial sync —
 * v1.16–v1.20 or v1.31 on — and the same target identity), as far as the caller knows them. The replicator stays
 * the judge: this only explains, before the run (pre-flight) or when a full sync starts, why the
 * checkpoint did not or will not spare one. Stateless.
 */
final class ResumeCheck {
    private ResumeCheck() {
    }

    /**
     * The first reason {@code c} cannot be resumed with a source and target as given, or null when
     * nothing known stands against it.
     *
     * @param c the checkpoint
     * @param masterId the source's replication id ({@code master_replid}, or the handshake's), null when unknown
     * @param flows the source's flow count, or -1 when unknown
     * @param release the source's {@code dragonfly_version} (e.g. {@code df-v1.40.1}), null when unknown
     * @param target the identity of the target this run writes to ({@link io.df2redis.sink.redis.RedisSink#targetIdentity()}), null when unknown
     * @return the reason, or null
     */
    static String whyNot(Checkpoint c, String masterId, int flows, String release, Optional<String> target) {
        if (!c.resumable()) {
            return "it was saved when a full sync started that did not finish, so the target may hold an incomplete "
                    + "snapshot";
        }
        if (masterId != null && !masterId.equals(c.masterId())) {
            return "it is from the Dragonfly with master_replid " + c.masterId() + ", the source's is now " + masterId
                    + " (Dragonfly restarted, or it is another server): its positions do not continue there";
        }
        if (flows >= 0 && flows != c.flowCount()) {
            return "it is from a Dragonfly with " + c.flowCount() + " flows, the source has " + flows;
        }
        if (release != null) {
            if (!new MasterInfo(c.masterId(), "", c.flowCount(), -1, c.masterId(), release).supportsPartialSync()) {
                return "the source runs " + (release.isEmpty() ? "an unknown release" : release)
                        + ", which has no partial sync df2redis can resume with (v1.16–v1.20, v1.31 and later do)";
            }
        }
        if (target != null && !target.equals(c.targetIdentity())) {
            return "it belongs to the target " + c.targetIdentity().map(t -> "'" + t + "'").orElse("(unidentified)")
                    + ", this run writes to " + target.map(t -> "'" + t + "'").orElse("an unidentified target")
                    + " (another server, a restarted one, or other --map-db), which does not hold what was applied";
        }
        return null;
    }

    /** {@code 12/40/7}: the next LSN of every flow. */
    static String lsns(Checkpoint c) {
        StringBuilder sb = new StringBuilder();
        for (Long l : c.nextLsns()) {
            sb.append(sb.length() == 0 ? "" : "/").append(l);
        }
        return sb.toString();
    }
}
