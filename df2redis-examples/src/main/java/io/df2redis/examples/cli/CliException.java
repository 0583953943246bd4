package io.df2redis.examples.cli;

/**
 * A failure the CLI reports with its own message and exit code (no stack trace): which side failed
 * and what to do. The message must never hold a secret.
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * @param exitCode one of the {@link Df2RedisCli} exit codes
     * @param message printed after {@code df2redis: }
     */
    CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** The process exit code. */
    int exitCode() {
        return exitCode;
    }
}
