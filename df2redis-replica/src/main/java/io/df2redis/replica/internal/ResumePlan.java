package io.df2redis.replica.internal;

import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.ReplicationSink;
import io.df2redis.replica.ReplicatorOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * The resume decisions of a session: whether to ask the master for a partial sync from a saved
 * {@link ResumePosition} (spec §6.2), and which position the next session resumes from once this
 * one ended. Stateless (static functions of what the session knows); called on the supervisor
 * thread, and {@link #next} also from the replicator's checkpoint and close threads.
 */
final class ResumePlan {
    private static final Logger LOG = LoggerFactory.getLogger(ResumePlan.class);

    private ResumePlan() {
    }

    /**
     * Where the next session can resume: the per-flow next LSNs when every flow reached stable sync
     * or this was a partial sync (a flow whose position is known — stable, or replaying an
     * incremental stream — gives its applied LSN, a flow not yet started keeps the LSN it asked for); the previous
     * position when this session ended before a full sync began (nothing was applied); else none
     * (a full sync is needed).
     *
     * @param m the master of the session, or null before its handshake
     * @param ps the session's flow pipelines (a snapshot)
     * @param stableFlows how many flows reached stable sync
     */
    static ResumePosition next(ResumePosition resume, MasterInfo m, List<FlowPipeline> ps, int stableFlows,
                               boolean partial, boolean fullSyncBegun, Optional<String> targetIdentity) {
        if (m == null) {
            return resume;
        }
        boolean allStable = stableFlows == m.flowCount() && ps.size() == m.flowCount();
        if (allStable || (partial && ps.size() == m.flowCount())) {
            long[] lsns = new long[ps.size()];
            for (int i = 0; i < lsns.length; i++) {
                FlowPipeline p = ps.get(i);
                lsns[i] = p.isPositioned() ? p.applied() : resume.nextLsns()[i];
            }
            return new ResumePosition(m.masterId(), m.flowCount(), lsns, targetIdentity, "the previous session");
        }
        if (!fullSyncBegun && resume != null && resume.masterId().equals(m.masterId())) {
            return resume;
        }
        return new ResumePosition(m.masterId(), m.flowCount(), null, targetIdentity, "the previous session");
    }

    /**
     * Whether to ask for a partial sync from {@code resume}: a position exists, partial sync is on,
     * the master is the same (replication id, flow count), its release offers a partial sync (the
     * incremental form on v1.16–v1.20 and v1.31–v1.34, the raw-journal form from v1.35: {@link SyncForm}),
     * the sink's target is the same and the sink does not refuse. Every "no" but the first is logged
     * with its reason (a full sync follows).
     */
    static boolean askPartial(ResumePosition resume, MasterInfo m, ReplicatorOptions options,
                              Optional<String> targetIdentity, ReplicationSink sink) {
        if (resume == null || resume.nextLsns() == null) {
            return false;
        }
        String why = null;
        if (!options.partialSync()) {
            LOG.info("not resuming from {}: partial sync is off (ReplicatorOptions.partialSync(false)); a full sync "
                    + "follows", resume.origin());
            return false;
        } else if (!resume.masterId().equals(m.masterId())) {
            why = "the master's replication id changed from " + resume.masterId() + " to " + m.masterId()
                    + " (the master restarted, or is another server): its LSNs do not continue the saved ones";
        } else if (resume.flows() != m.flowCount()) {
            why = "the master has " + m.flowCount() + " flows, the saved position has " + resume.flows();
        } else if (SyncForm.partialFormOf(m) == SyncForm.FULL) {
            why = unsupportedReleaseReason(m.release());
        } else if (!resume.target().equals(targetIdentity)) {
            why = "the sink's target is " + targetIdentity.map(t -> "'" + t + "'").orElse("unidentified")
                    + ", the saved position belongs to " + resume.target().map(t -> "'" + t + "'").orElse("an "
                    + "unidentified target") + ": a different target does not hold what was applied";
        }
        if (why != null) {
            LOG.warn("not resuming from {} with a partial sync: {}; a full sync follows", resume.origin(), why);
            return false;
        }
        if (sink != null) {
            Optional<String> refusal = sink.resumeRefusal();
            if (refusal.isPresent()) {
                LOG.warn("not resuming from {} with a partial sync: {}; a full sync follows", resume.origin(),
                        refusal.get());
                return false;
            }
        }
        return true;
    }

    /** Raw-journal partial sync without DFLY SYNC exists from v1.35 (spec §6.2). */
    static boolean supportsRawPartialSync(MasterInfo master) {
        return SyncForm.partialFormOf(master) == SyncForm.RAW_JOURNAL;
    }

    /** The incremental partial sync after DFLY SYNC exists on v1.16–v1.20 and v1.31–v1.34 (spec §6.2). */
    static boolean supportsIncrementalPartialSync(MasterInfo master) {
        return SyncForm.partialFormOf(master) == SyncForm.INCREMENTAL;
    }

    /** Why a master of {@code release} is not asked for a partial sync (spec §6.2). */
    static String unsupportedReleaseReason(String release) {
        int[] v = new MasterInfo("", "", 1, -1, "", release).releaseVersion();
        String r = release.isEmpty() ? "an unknown release (INFO SERVER has no dragonfly_version)"
                : "release " + release;
        if (v[0] == 1 && v[1] >= 21 && v[1] <= 30) {
            return "the master runs " + r + ", which has no partial sync (v1.21 to v1.30 always answer FULL)";
        }
        return "the master runs " + r + ", for which this library does not ask for a partial sync (it does on "
                + "v1.16 to v1.20 and v1.31 to v1.34 with an incremental snapshot after DFLY SYNC, and from v1.35 on "
                + "with the raw journal)";
    }
}
