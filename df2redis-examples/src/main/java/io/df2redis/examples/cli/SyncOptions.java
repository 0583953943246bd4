package io.df2redis.examples.cli;

import io.df2redis.sink.redis.UnsupportedDataPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Options of the commands that run a replication into Redis ({@code replicate}, {@code migrate}):
 * what to do with data Redis cannot hold, and how progress is shown. A picocli mixin.
 */
public final class SyncOptions {
    @Option(names = "--unsupported", paramLabel = "fail|skip", defaultValue = "fail",
            converter = PolicyConverter.class,
            description = "data Redis cannot hold (JSON/Bloom without modules, member TTLs …): fail stops with an "
                    + "error naming the key, skip skips and counts it (default ${DEFAULT-VALUE})")
    UnsupportedDataPolicy unsupported;

    @Option(names = "--status-interval", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "period of the progress/status line when stderr is not a terminal, and of the status "
                    + "figures (e.g. 500ms, 5s, 1m; default ${DEFAULT-VALUE})")
    Duration statusInterval;

    @Option(names = "--force", description = "write into a target that holds keys: the full sync flushes it "
            + "(FLUSHALL) first; without this option a non-empty target is refused (exit 2)")
    boolean force;

    @Option(names = "--no-progress", description = "print no progress or status lines (the summary still)")
    boolean noProgress;

    /** {@code fail} / {@code skip} → {@link UnsupportedDataPolicy}. */
    static final class PolicyConverter implements CommandLine.ITypeConverter<UnsupportedDataPolicy> {
        @Override
        public UnsupportedDataPolicy convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "fail" -> UnsupportedDataPolicy.FAIL;
                case "skip" -> UnsupportedDataPolicy.SKIP_AND_COUNT;
                default -> throw new CommandLine.TypeConversionException("expected fail or skip, got '" + value + "'");
            };
        }

        @Override
        public String toString() {
            return "fail|skip";
        }
    }

    /** {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, a number of seconds, or ISO-8601 ({@code PT5S}); positive. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            Duration d;
            try {
                if (v.startsWith("pt")) {
                    d = Duration.parse(v.toUpperCase(Locale.ROOT));
                } else if (v.endsWith("ms")) {
                    d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                } else if (v.endsWith("s")) {
                    d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
                } else if (v.endsWith("m")) {
                    d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
                } else if (v.endsWith("h")) {
                    d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
                } else {
                    d = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
                }
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("not a duration: '" + value + "' (e.g. 500ms, 5s, 1m)");
            }
            if (d.isNegative() || d.isZero()) {
                throw new CommandLine.TypeConversionException("the duration must be positive: '" + value + "'");
            }
            return d;
        }
    }
}
