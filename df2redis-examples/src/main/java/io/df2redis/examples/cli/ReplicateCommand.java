package io.df2redis.examples.cli;

import picocli.CommandLine.Command;

/**
 * {@code df2redis replicate --source HOST:PORT --target HOST:PORT}: follows a Dragonfly master as a
 * replica and writes its data into Redis — the full snapshot, then every write, live — until
 * stopped (SIGINT/SIGTERM: the replicator drains what it received, the last writes are confirmed
 * and acknowledged, a summary is printed, exit code 0).
 */
@Command(name = "replicate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replicate a Dragonfly master into Redis: full sync, then every write live, until stopped "
                + "(Ctrl-C / SIGTERM stop cleanly).",
            "A target that holds keys is refused unless --target-policy says what to do with them (flush or upsert); "
                + "a target that is the source itself is always refused.",
            "Progress (full sync) and status (stable sync) go to stderr, the final summary to stdout. Passwords: "
                + "--source-password-file/--target-password-file, or the environment (DF2REDIS_SOURCE_PASSWORD, "
                + "DF2REDIS_TARGET_PASSWORD); never printed."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped on request (SIGINT/SIGTERM)",
            "1:replication failed (e.g. data Redis cannot hold with --unsupported fail)",
            "2:usage error, or a refusal: a target that holds keys (see --target-policy), a target that is the source",
            "5:source or target unreachable, TLS refused, or credentials missing or rejected"})
final class ReplicateCommand extends SyncCommand {
    ReplicateCommand() {
        super(SyncRun.Mode.REPLICATE);
    }
}
