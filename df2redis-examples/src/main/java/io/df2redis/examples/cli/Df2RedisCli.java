package io.df2redis.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The {@code df2redis} command line tool. Exit codes: 0 success, 1 I/O or runtime failure,
 * 2 usage error or a safety refusal (a target that holds keys, a target that is the source),
 * 3 the input is corrupt or not in the expected format, 4 {@code verify} found differences,
 * 5 {@code replicate}/{@code migrate} could not connect to the source or the target, TLS was
 * refused, or the credentials were missing or rejected.
 *
 * <p>No password is ever printed: messages name options and files, not values; every password the
 * CLI was given is scrubbed from its output ({@link Redactor}); unknown arguments are reported
 * without their values (a mistyped option may be followed by a password).
 */
@Command(name = "df2redis", mixinStandardHelpOptions = true, versionProvider = Df2RedisCli.Version.class,
        description = "Replicate Dragonfly into Redis; inspect Dragonfly and Redis snapshots and replication streams.",
        subcommands = {ReplicateCommand.class, MigrateCommand.class, InspectCommand.class, DemoCommand.class,
            VerifyCommand.class, CommandLine.HelpCommand.class})
public final class Df2RedisCli {
    /** Exit code: success. */
    public static final int OK = 0;
    /** Exit code: I/O error or other failure. */
    public static final int FAILURE = 1;
    /** Exit code: bad command line, or a refusal to do something unsafe (non-empty target, source = target). */
    public static final int USAGE = 2;
    /** Exit code: the input is corrupt or truncated. */
    public static final int CORRUPT_INPUT = 3;
    /** Exit code: {@code verify} found differences. */
    public static final int DIFFERENCES = 4;
    /** Exit code: the source or the target cannot be reached, refused TLS, or rejected (or needs) the credentials. */
    public static final int CONNECT = 5;

    private static volatile boolean process;

    private Df2RedisCli() {
    }

    public static void main(String[] args) {
        process = true;
        // library log lines go to System.err: scrubbed too
        System.setOut(Redactor.wrap(System.out));
        System.setErr(Redactor.wrap(System.err));
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
                : e instanceof CliException c ? c.exitCode()
                : e instanceof io.df2redis.protocol.ProtocolException ? CORRUPT_INPUT : FAILURE);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = Redactor.wrap(commandLine.getErr());
            err.println("df2redis: " + ex.getMessage());
            err.flush();
            return ex instanceof CliException c ? c.exitCode()
                    : ex instanceof io.df2redis.protocol.ProtocolException ? CORRUPT_INPUT : FAILURE;
        });
        cl.setParameterExceptionHandler(Df2RedisCli::usageError);
        return cl;
    }

    /**
     * A usage error: the message and a pointer to {@code --help}. Unknown arguments are listed without
     * their values: {@code --target-pasword s3cret} must not print the password.
     */
    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = Redactor.wrap(cl.getErr());
        if (ex instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> shown = new ArrayList<>();
            int values = 0;
            for (String a : u.getUnmatched()) {
                if (a.startsWith("-")) {
                    int eq = a.indexOf('=');
                    shown.add("'" + (eq > 0 ? a.substring(0, eq) + "=…" : a) + "'");
                } else {
                    values++;
                }
            }
            err.println("df2redis: unknown " + (shown.isEmpty() ? "argument" : "option " + String.join(", ", shown))
                    + (values > 0 ? (shown.isEmpty() ? "s" : " and") + " " + values + " unexpected value"
                    + (values == 1 ? "" : "s") + " (not shown: it may be a password)" : ""));
            CommandLine.UnmatchedArgumentException.printSuggestions(u, err);
        } else {
            err.println("df2redis: " + ex.getMessage());
        }
        err.println("Try 'df2redis " + (cl.getParent() == null ? "" : cl.getCommandName() + " ") + "--help' for the "
                + "options.");
        err.flush();
        return USAGE;
    }

    /** The exact build version, from the filtered resource {@code df2redis-version.properties} (or the jar manifest). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"df2redis " + version(), "Java " + System.getProperty("java.version") + " ("
                    + System.getProperty("java.vendor") + ")"};
        }

        /** The project version this CLI was built from, e.g. {@code 0.1.0-SNAPSHOT}. */
        static String version() {
            try (InputStream in = Df2RedisCli.class.getResourceAsStream("df2redis-version.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    String v = p.getProperty("version");
                    if (v != null && !v.isBlank() && !v.contains("${")) {
                        return v.trim();
                    }
                }
            } catch (IOException e) {
                // fall back to the manifest
            }
            String v = Df2RedisCli.class.getPackage().getImplementationVersion();
            return v != null ? v : "(unknown version: built without its resources)";
        }
    }
}
