package io.df2redis.examples.cli;

import io.df2redis.examples.cli.log.JsonLogProvider;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.Set;

/**
 * {@code --quiet}, {@code --log-level} and {@code --log-format}: how much the CLI and the library
 * write to stderr, and how. The level is that of the SLF4J simple logger, the JSON format another
 * SLF4J provider ({@link JsonLogProvider}); both are fixed when the first logger is created, so they
 * take effect in the CLI process (not in a JVM that already logged). A picocli mixin.
 */
final class LoggingOptions {
    /** The SLF4J simple logger's default-level property. */
    static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    @Option(names = {"-q", "--quiet"}, order = 90,
            description = "print only warnings, errors and the result: no progress, "
            + "status or informational lines (log level warn unless --log-level is given)")
    boolean quiet;

    @Option(names = "--log-level", order = 91, paramLabel = "LEVEL", converter = LevelConverter.class,
            description = "level of the log lines on stderr: error, warn, info (default), debug, trace or off")
    String logLevel;

    @Option(names = "--log-format", order = 92, paramLabel = "text|json", converter = FormatConverter.class,
            description = "format of the log lines on stderr: text (default) or json (one object per line: ts, "
                    + "level, logger, thread, msg, error, stack); progress and summary lines are not log lines")
    String logFormat;

    /** Sets the log level and format for this process; call before anything logs. */
    void apply() {
        String level = logLevel != null ? logLevel : quiet ? "warn" : null;
        if (level != null) {
            System.setProperty(LEVEL_PROPERTY, level);
        }
        if ("json".equals(logFormat)) {
            System.setProperty(JsonLogProvider.PROVIDER_PROPERTY, JsonLogProvider.class.getName());
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "WARN"); // no SLF4J(I) line about the choice
            }
        }
    }

    /** {@code text} or {@code json}, lower case. */
    static final class FormatConverter implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("text") && !v.equals("json")) {
                throw new CommandLine.TypeConversionException("expected text or json, got '" + value + "'");
            }
            return v;
        }
    }

    /** Lower case; one of the simple logger's levels. */
    static final class LevelConverter implements CommandLine.ITypeConverter<String> {
        private static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace", "off");

        @Override
        public String convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (!LEVELS.contains(v)) {
                throw new CommandLine.TypeConversionException("expected error, warn, info, debug, trace or off, got '"
                        + value + "'");
            }
            return v;
        }
    }
}
