package io.df2redis.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code df2redis} command line tool. Exit codes: 0 success, 1 I/O or runtime failure,
 * 2 usage error, 3 the input is corrupt or not in the expected format, 4 {@code verify} found
 * differences, 5 {@code replicate}/{@code migrate} could not connect to the source or the target,
 * or the credentials were rejected.
 */
@Command(name = "df2redis", mixinStandardHelpOptions = true, version = "df2redis 0.1.0",
        description = "Replicate Dragonfly into Redis; inspect Dragonfly and Redis snapshots and replication streams.",
        subcommands = {ReplicateCommand.class, MigrateCommand.class, InspectCommand.class, DemoCommand.class,
            VerifyCommand.class, CommandLine.HelpCommand.class})
public final class Df2RedisCli {
    /** Exit code: success. */
    public static final int OK = 0;
    /** Exit code: I/O error or other failure. */
    public static final int FAILURE = 1;
    /** Exit code: bad command line. */
    public static final int USAGE = 2;
    /** Exit code: the input is corrupt or truncated. */
    public static final int CORRUPT_INPUT = 3;
    /** Exit code: {@code verify} found differences. */
    public static final int DIFFERENCES = 4;
    /** Exit code: the source or the target cannot be reached, or rejected the credentials. */
    public static final int CONNECT = 5;

    private static volatile boolean process;

    private Df2RedisCli() {
    }

    public static void main(String[] args) {
        process = true;
        System.exit(run(args));
    }

    /** Whether the CLI runs as its own process ({@link #main}), not embedded (tests). */
    static boolean isProcess() {
        return process;
    }

    /** Runs the CLI and returns its exit code (for embedding and tests). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line (exit-code mapping, error printing), e.g. to set its output streams. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Df2RedisCli());
        cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? USAGE
                : e instanceof io.df2redis.protocol.ProtocolException ? CORRUPT_INPUT : FAILURE);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("df2redis: " + ex.getMessage());
            return ex instanceof io.df2redis.protocol.ProtocolException ? CORRUPT_INPUT : FAILURE;
        });
        return cl;
    }
}
