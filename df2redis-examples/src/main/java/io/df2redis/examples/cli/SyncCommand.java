package io.df2redis.examples.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * Common part of {@code replicate} and {@code migrate}: the connection and sync options, one
 * {@link SyncRun} per invocation, and the stop path the shutdown hook uses.
 */
abstract class SyncCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    SyncOptions sync;

    private final SyncRun.Mode mode;
    private volatile SyncRun run;
    private volatile boolean stopEarly;

    SyncCommand(SyncRun.Mode mode) {
        this.mode = mode;
    }

    @Override
    public Integer call() {
        SyncRun r = new SyncRun(mode, connection, sync, spec.commandLine().getOut(), spec.commandLine().getErr(),
                System.console() != null);
        run = r;
        if (stopEarly) {
            r.requestStop();
        }
        return r.run();
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
