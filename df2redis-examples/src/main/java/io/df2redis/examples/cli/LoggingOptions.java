package io.df2redis.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.Set;

/**
 * {@code --quiet} and {@code --log-level}: how much the CLI and the library write to stderr. The
 * level is that of the SLF4J simple logger, fixed when the first logger is created, so it takes
 * effect in the CLI process (not in a JVM that already logged). A picocli mixin.
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

    /** Sets the log level for this process; call before anything logs. */
    void apply() {
        String level = logLevel != null ? logLevel : quiet ? "warn" : null;
        if (level != null) {
            System.setProperty(LEVEL_PROPERTY, level);
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
