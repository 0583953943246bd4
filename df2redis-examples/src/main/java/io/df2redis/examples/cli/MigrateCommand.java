package io.df2redis.examples.cli;

import picocli.CommandLine.Command;

/**
 * {@code df2redis migrate --source HOST:PORT --target HOST:PORT}: copies a Dragonfly master's
 * snapshot into Redis and exits as soon as the target holds it — every flow's snapshot applied
 * and confirmed by Redis (the replicator reached stable sync) — with a summary: keys, bytes, time,
 * keys/s, keys skipped by reason.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Copy a Dragonfly master's data into Redis once: full sync, then exit as soon as Redis "
                + "confirmed every key of the snapshot (with the writes the master made until the replica switched "
                + "to stable sync).",
            "A target that holds keys is refused unless --target-policy says what to do with them (flush or upsert); "
                + "a target that is the source itself is always refused.",
            "Progress goes to stderr, the summary to stdout. Passwords: --source-password-file/--target-password-file, "
                + "or the environment (DF2REDIS_SOURCE_PASSWORD, DF2REDIS_TARGET_PASSWORD); never printed."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the target holds the snapshot",
            "1:replication failed, was stopped before the end, or the snapshot held fewer keys than the source",
            "2:usage error, or a refusal: a target that holds keys (see --target-policy), a target that is the source",
            "5:source or target unreachable, TLS refused, or credentials missing or rejected"})
final class MigrateCommand extends SyncCommand {
    MigrateCommand() {
        super(SyncRun.Mode.MIGRATE);
    }
}
