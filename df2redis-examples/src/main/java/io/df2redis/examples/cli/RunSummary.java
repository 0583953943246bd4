package io.df2redis.examples.cli;

import io.df2redis.replica.Checkpoint;
import io.df2redis.replica.FlowStats;
import io.df2redis.replica.ReplicationStats;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.RedisSinkStats;

import java.util.Locale;
import java.util.stream.Collectors;

import static io.df2redis.examples.cli.CliFormat.bytes;
import static io.df2redis.examples.cli.CliFormat.count;
import static io.df2redis.examples.cli.CliFormat.duration;

/** The summary a {@link SyncRun} prints on stdout when it ends (on the run's thread). */
final class RunSummary {
    private RunSummary() {
    }

    /** The summary on stdout; a failed run says so instead of "migrated …" / "replicated for …". */
    static void print(SyncRun run, Replicator r, RedisSink s, int code) {
        ReplicationStats st = r.stats();
        if (st.flows().isEmpty() && run.snapshotStats != null) {
            st = run.snapshotStats;
        }
        long keys = st.flows().stream().mapToLong(FlowStats::entries).sum();
        long journal = st.flows().stream().mapToLong(FlowStats::journalEntries).sum();
        long bytes = st.totalBytesReceived();
        long totalMs = Math.max(1, (System.nanoTime() - run.startNanos) / 1_000_000);
        RedisSinkStats ss = s.stats();
        if (code != Df2RedisCli.OK) {
            run.out.printf(Locale.ROOT, "%s FAILED after %s: the snapshot delivered %s keys%s, %s journal entries, %s "
                            + "received%n", run.mode == SyncRun.Mode.MIGRATE ? "migrate" : "replicate", duration(totalMs), count(keys),
                    run.sourceKeys >= 0 ? " of the source's " + count(run.sourceKeys) : "", count(journal), bytes(bytes));
        } else if (run.mode == SyncRun.Mode.MIGRATE) {
            long end = run.fullSyncEndNanos != 0 ? run.fullSyncEndNanos : System.nanoTime();
            long ms = run.fullSyncStartNanos == 0 ? totalMs : Math.max(1, (end - run.fullSyncStartNanos) / 1_000_000);
            run.out.printf(Locale.ROOT, "migrated %s keys (%s received) in %s, %s keys/s%n", count(keys), bytes(bytes),
                    duration(ms), count(keys * 1000 / ms));
        } else {
            run.out.printf(Locale.ROOT, "replicated for %s: snapshot %s keys, %s journal entries, %s received; "
                            + "applied LSN per flow %s%n", duration(totalMs), count(keys), count(journal), bytes(bytes),
                    st.flows().stream().map(f -> Long.toString(f.appliedLsn())).collect(Collectors.joining("/")));
        }
        run.out.printf(Locale.ROOT, "skipped %s keys%s; %s full sync%s, %d session errors; target: %s commands, %d errors"
                        + "%s%s%n", count(ss.skippedTotal()), ss.skippedByReason().isEmpty() ? ""
                        : " " + ss.skippedByReason(), count(run.fullSyncs.get()), run.fullSyncs.get() == 1 ? "" : "s",
                run.sessionErrors.get(), count(ss.commands()), ss.errors(), run.conn.targetCluster
                        ? ", " + ss.movedRedirects() + " MOVED / " + ss.askRedirects() + " ASK redirects" : "",
                ProgressDisplay.rateLimits(ss));
        if (run.checkpoint != null) {
            if (run.startReport != null) {
                run.out.println("started with a " + run.startReport);
            }
            run.out.println(checkpointLine(run, r));
        }
        run.out.flush();
    }


    /** The summary's checkpoint line: the file and what it holds after the final save. */
    static String checkpointLine(SyncRun run, Replicator r) {
        StringBuilder sb = new StringBuilder("checkpoint ").append(run.checkpoint.where()).append(": ");
        Checkpoint c = r.lastCheckpoint().orElse(null);
        if (c == null) {
            sb.append("none saved (the next run with it does a full sync)");
        } else if (!c.resumable()) {
            sb.append("records a full sync that did not finish (saved at ").append(c.savedAt())
                    .append("): the next run with it does a full sync");
        } else {
            sb.append("next LSNs ").append(ResumeCheck.lsns(c)).append(", saved at ").append(c.savedAt());
        }
        String failed = run.checkpoint.lastSaveFailure();
        if (failed != null) {
            sb.append("; the last save FAILED (").append(failed).append("): it holds an older position, so the next "
                    + "run delivers some entries again");
        }
        return sb.toString();
    }
}
