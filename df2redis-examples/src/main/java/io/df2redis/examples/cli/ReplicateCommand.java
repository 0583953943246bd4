package io.df2redis.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code df2redis replicate --source HOST:PORT --target HOST:PORT}: follows a Dragonfly master as a
 * replica and writes its data into Redis — the full snapshot, then every write, live — until
 * stopped (SIGINT/SIGTERM: the replicator drains what it received, the last writes are confirmed
 * and acknowledged, a summary is printed, exit code 0).
 *
 * <p>The position is kept in the target itself (hash {@code df2redis:checkpoint}, and in a Redis
 * Cluster one hash per slot, updated in the same transaction as the writes it covers: exactly
 * once), and the same command started again — after a stop, a crash, a {@code kill -9} — resumes
 * with a partial sync when the source is the same and still holds the position in its backlog.
 * With {@code --checkpoint FILE} the position is kept in FILE instead (at least once). Otherwise a full sync follows, the run says
 * why, and {@code --target-policy} applies. {@code --fresh} removes the checkpoint (a full sync).
 * See {@link RunCheckpoint} and {@link Preflight}.
 */
@Command(name = "replicate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replicate a Dragonfly master into Redis: full sync, then every write live, until stopped "
                + "(Ctrl-C / SIGTERM stop cleanly).",
            "A target that holds keys is refused unless --target-policy says what to do with them (flush or upsert); "
                + "a target that is the source itself is always refused.",
            "The position is kept in the target (hash df2redis:checkpoint, and on a Redis Cluster one hash per slot, "
                + "written in the same MULTI/EXEC as the writes it covers: exactly once), so the same command started again after a stop, a crash or a "
                + "kill -9 resumes where the target is: a partial sync, no full sync, the target's keys kept, when the "
                + "source is the same Dragonfly (same master_replid; v1.16–v1.20 or v1.31 and later) and still holds the position in "
                + "its backlog. Otherwise a full sync follows, the reason is printed, and --target-policy applies to it.",
            "Progress (full sync) and status (stable sync) go to stderr, the final summary to stdout. Passwords: "
                + "--source-password-file/--target-password-file, or the environment (DF2REDIS_SOURCE_PASSWORD, "
                + "DF2REDIS_TARGET_PASSWORD); never printed."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped on request (SIGINT/SIGTERM)",
            "1:replication failed (e.g. data Redis cannot hold with --unsupported fail), or the checkpoint file "
                + "cannot be read or removed",
            "2:usage error, or a refusal: a target that holds keys (see --target-policy) when a full sync is needed, "
                + "a target that is the source",
            "5:source or target unreachable, TLS refused, or credentials missing or rejected"})
final class ReplicateCommand extends SyncCommand {
    @Option(names = "--checkpoint", order = 35, paramLabel = "FILE",
            description = "keep the replication position in FILE instead of in the target (at least once: entries "
                    + "applied after the last save are applied again after a crash; saved every second while in sync, when a session "
                    + "ends, and on stop after the last writes were confirmed; FILE.prev keeps the previous one). A later "
                    + "run with the same FILE resumes with a partial sync from there: no full sync, the target keeps its "
                    + "keys and needs no --target-policy. It does when the source is the same Dragonfly (its "
                    + "master_replid; v1.16–v1.20 or v1.31 and later) and still holds the positions in its backlog, and the target is "
                    + "the same Redis (same run_id: not restarted, not another server; same --map-db). Otherwise a "
                    + "full sync follows, the reason is printed, and --target-policy applies to it, as to a full sync "
                    + "a resumed run needs later (e.g. Dragonfly restarted): a target with keys is refused by default "
                    + "(exit 2)")
    Path checkpoint;

    @Option(names = "--fresh", order = 36,
            description = "do not resume: remove the checkpoint (the target's, or FILE) once the checks passed and run a full sync, "
                    + "to which --target-policy applies (a target holding the keys of earlier runs needs flush or "
                    + "upsert)")
    boolean fresh;

    ReplicateCommand() {
        super(SyncRun.Mode.REPLICATE);
    }

    /**
     * The run's checkpoint: the {@code --checkpoint} file, checked; else the target's own (exactly
     * once; per slot on a Redis Cluster).
     *
     * @return the checkpoint
     */
    @Override
    RunCheckpoint checkpoint() {
        if (checkpoint != null) {
            return RunCheckpoint.open(checkpoint, fresh);
        }
        return RunCheckpoint.inTarget(fresh);
    }
}
