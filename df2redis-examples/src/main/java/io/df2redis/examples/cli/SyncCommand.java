package io.df2redis.examples.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * Common part of {@code replicate} and {@code migrate}: the connection, sync and logging options,
 * one {@link SyncRun} per invocation, and the stop path the shutdown hook uses. Output goes through
 * the {@link Redactor}.
 */
abstract class SyncCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions.ForSync connection;

    @Mixin
    SyncOptions sync;

    @Mixin
    LoggingOptions logging;

    private final SyncRun.Mode mode;
    private volatile SyncRun run;
    private volatile boolean stopEarly;

    SyncCommand(SyncRun.Mode mode) {
        this.mode = mode;
    }

    @Override
    public Integer call() {
        logging.apply();
        sync.applySpill(io.df2redis.replica.ReplicatorOptions.builder(), spec.commandLine()); // usage errors now
        sync.checkSummaryJson(spec.commandLine());
        io.df2redis.sink.redis.FullSyncTargetPolicy policy = sync.targetPolicy(spec.commandLine());
        sync.keyConflictPolicy(spec.commandLine(), policy); // a usage error now
        SyncRun r = new SyncRun(mode, connection, sync, policy, logging.quiet,
                Redactor.wrap(spec.commandLine().getOut()), Redactor.wrap(spec.commandLine().getErr()),
                System.console() != null, checkpoint());
        run = r;
        if (stopEarly) {
            r.requestStop();
        }
        return r.run();
    }

    /**
     * The checkpoint file of this run ({@code replicate --checkpoint}); none by default.
     *
     * @return the checkpoint file, or null
     * @throws picocli.CommandLine.ParameterException or {@link CliException} for unusable options
     */
    RunCheckpoint checkpoint() {
        return null;
    }

    /** Stops the run as SIGINT/SIGTERM do (the shutdown hook's path); returns at once. */
    void requestStop() {
        stopEarly = true;
        SyncRun r = run;
        if (r != null) {
            r.requestStop();
        }
    }
}
