package io.df2redis.examples.cli;

import io.df2redis.replica.ReplicatorOptions;
import io.df2redis.replica.SlowConsumerPolicy;
import io.df2redis.replica.SpillOptions;
import io.df2redis.sink.redis.FullSyncTargetPolicy;
import io.df2redis.sink.redis.KeyConflictPolicy;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.RedisSinkOptions;
import io.df2redis.sink.redis.UnsupportedDataPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Options of the commands that run a replication into Redis ({@code replicate}, {@code migrate}):
 * what to do with data Redis cannot hold, how progress is shown, and where a flow's stream is
 * spilled when Redis is slower than Dragonfly. A picocli mixin.
 */
public final class SyncOptions {
    @Option(names = "--unsupported", order = 32, paramLabel = "fail|skip", defaultValue = "fail",
            converter = PolicyConverter.class,
            description = "data Redis cannot hold (JSON/Bloom without modules, member TTLs …): fail stops with an "
                    + "error naming the key, skip skips and counts it (default ${DEFAULT-VALUE})")
    UnsupportedDataPolicy unsupported;

    @Option(names = "--status-interval", order = 33, paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "period of the progress/status line when stderr is not a terminal, and of the status "
                    + "figures (e.g. 500ms, 5s, 1m; default ${DEFAULT-VALUE})")
    Duration statusInterval;

    @Option(names = "--target-policy", order = 30,
            paramLabel = "refuse|flush|upsert", converter = TargetPolicyConverter.class,
            description = "what the full sync does with keys the target already holds (in the dbs it writes): "
                    + "refuse (the default) stops before writing anything, exit 2; flush deletes them first "
                    + "(FLUSHDB of those dbs, announced on stderr); upsert keeps them, the source's keys overwrite "
                    + "those of the same name")
    FullSyncTargetPolicy targetPolicy;

    @Option(names = "--force", order = 31, description = "the same as --target-policy flush (kept for compatibility)")
    boolean force;

    @Option(names = "--no-flush", order = 31, description = "the same as --target-policy upsert: write into a "
            + "target that holds keys, keeping them (the source's keys overwrite those of the same name)")
    boolean noFlush;

    @Option(names = "--on-conflict", order = 32, paramLabel = "overwrite|keep|fail",
            converter = ConflictPolicyConverter.class,
            description = "with --target-policy upsert: what the full sync does with a key the target already holds "
                    + "when the source's snapshot has one of the same name: overwrite (the default) writes the "
                    + "source's, keep keeps the target's (counted as skipped, reason key-conflict), fail stops with "
                    + "exit 1 naming the key. Only the snapshot is checked: live writes of the source are applied")
    KeyConflictPolicy onConflict;

    @Option(names = "--no-progress", order = 34, description = "print no progress or status lines (the summary still)")
    boolean noProgress;

    @Option(names = "--spill-dir", order = 40, paramLabel = "DIR",
            description = "where a flow's stream is spilled when Redis is slower than Dragonfly, so that Dragonfly's "
                    + "writes never wait for this replica (default: df2redis-spill in the system temp directory)")
    Path spillDir;

    @Option(names = "--spill-max-bytes", order = 41, paramLabel = "SIZE", converter = SizeConverter.class,
            description = "disk budget of the spill, e.g. 512m, 4g (default 1g)")
    Long spillMaxBytes;

    @Option(names = "--spill-full", order = 42, paramLabel = "pause|fail",
            description = "when the spill budget is used up: pause reading (Dragonfly's writes then wait, logged "
                    + "loudly; the default) or fail")
    String spillFull;

    @Option(names = "--no-spill", order = 43,
            description = "never spill: pause reading at once when the queue is full (Dragonfly's writes then wait)")
    boolean noSpill;

    @Option(names = "--metrics-port", order = 50, paramLabel = "PORT",
            description = "serve the run's metrics in Prometheus text format at http://HOST:PORT/metrics "
                    + "(off by default; 0 = a free port, printed at start)")
    Integer metricsPort;

    @Option(names = "--metrics-host", order = 51, paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "the address --metrics-port listens on (default: ${DEFAULT-VALUE}, loopback only)")
    String metricsHost;

    @Option(names = "--http-port", order = 52, paramLabel = "PORT",
            description = "serve /health, /ready and /status (JSON) at http://HOST:PORT (off by default; "
                    + "0 = a free port, printed at start)")
    Integer httpPort;

    @Option(names = "--http-host", order = 53, paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "the address --http-port listens on (default: ${DEFAULT-VALUE}, loopback only)")
    String httpHost;

    @Option(names = "--ready-max-lag", order = 54, paramLabel = "ENTRIES", defaultValue = "1000",
            description = "/ready answers 200 in stable sync while no flow lags by more entries (default: "
                    + "${DEFAULT-VALUE})")
    long readyMaxLag;

    @Option(names = "--max-ops", order = 44, paramLabel = "N", converter = RateConverter.class,
            description = "at most N commands per second into the target, all flows together (default: no limit)")
    Long maxOps;

    @Option(names = "--max-bytes", order = 45, paramLabel = "SIZE", converter = ByteRateConverter.class,
            description = "at most SIZE bytes per second into the target (commands as sent), e.g. 10m, 1g "
                    + "(default: no limit)")
    Long maxBytes;

    @Option(names = "--summary-json", order = 46, paramLabel = "FILE",
            description = "also write the final summary as JSON into FILE (replaced atomically when the run ends)")
    Path summaryJson;

    /**
     * Checks that {@code --summary-json}'s directory exists, so that a typo fails before the run.
     *
     * @throws CommandLine.ParameterException when it does not
     */
    void checkSummaryJson(CommandLine commandLine) {
        if (summaryJson != null) {
            Path dir = summaryJson.toAbsolutePath().getParent();
            if (dir == null || !java.nio.file.Files.isDirectory(dir) || java.nio.file.Files.isDirectory(summaryJson)) {
                throw new CommandLine.ParameterException(commandLine, "--summary-json: " + summaryJson
                        + " is not a file in an existing directory");
            }
        }
    }

    /**
     * Applies {@code --max-ops} and {@code --max-bytes} (already validated by their converters).
     *
     * @param b the sink builder
     * @return {@code b}
     */
    RedisSink.Builder applyRateLimits(RedisSink.Builder b) {
        return b.maxOpsPerSecond(maxOps == null ? 0 : maxOps).maxBytesPerSecond(maxBytes == null ? 0 : maxBytes);
    }

    /** A positive number of commands per second that the sink takes. */
    static final class RateConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long n;
            try {
                n = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("expected a number of commands per second, got '"
                        + value + "'");
            }
            return checked(n, true);
        }

        static long checked(long n, boolean ops) {
            try {
                if (n <= 0) {
                    throw new IllegalArgumentException("the limit must be positive (leave the option out for none)");
                }
                RedisSinkOptions.Builder b = RedisSinkOptions.builder();
                if (ops) {
                    b.maxOpsPerSecond(n);
                } else {
                    b.maxBytesPerSecond(n);
                }
                return n;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** A size per second ({@link SizeConverter}'s forms) that the sink takes. */
    static final class ByteRateConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return RateConverter.checked(new SizeConverter().convert(value), false);
        }
    }

    /**
     * Applies the spill options to the replicator's options.
     *
     * @param o the replicator options being built
     * @param commandLine for usage errors
     * @throws CommandLine.ParameterException for contradictory or invalid spill options
     */
    void applySpill(ReplicatorOptions.Builder o, CommandLine commandLine) {
        if (noSpill) {
            if (spillDir != null || spillMaxBytes != null || spillFull != null) {
                throw new CommandLine.ParameterException(commandLine, "--no-spill contradicts --spill-dir, "
                        + "--spill-max-bytes and --spill-full");
            }
            o.slowConsumerPolicy(SlowConsumerPolicy.PAUSE_READING);
            return;
        }
        SpillOptions.Builder s = SpillOptions.defaults().mutate();
        try {
            if (spillDir != null) {
                s.directory(spillDir);
            }
            if (spillMaxBytes != null) {
                s.maxBytes(spillMaxBytes);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
        if (spillFull != null) {
            s.whenFull(switch (spillFull.toLowerCase(Locale.ROOT)) {
                case "pause" -> SlowConsumerPolicy.PAUSE_READING;
                case "fail" -> SlowConsumerPolicy.FAIL;
                default -> throw new CommandLine.ParameterException(commandLine, "--spill-full: expected pause or "
                        + "fail, got '" + spillFull + "'");
            });
        }
        o.slowConsumerPolicy(SlowConsumerPolicy.SPILL).spillOptions(s.build());
    }

    /** {@code 512m}, {@code 4g}, {@code 100k} or a number of bytes → bytes. */
    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            long unit = 1;
            if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
                unit = v.endsWith("k") ? 1L << 10 : v.endsWith("m") ? 1L << 20 : 1L << 30;
                v = v.substring(0, v.length() - 1);
            }
            try {
                long n = Long.parseLong(v);
                if (n <= 0 || n > Long.MAX_VALUE / unit) {
                    throw new NumberFormatException();
                }
                return n * unit;
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("expected a positive size such as 512m or 4g, got '"
                        + value + "'");
            }
        }
    }

    /**
     * The chosen {@link FullSyncTargetPolicy}: {@code --target-policy}, {@code --force} (= flush),
     * {@code --no-flush} (= upsert), or {@link FullSyncTargetPolicy#REFUSE_NON_EMPTY}; options with
     * different choices are a usage error.
     */
    FullSyncTargetPolicy targetPolicy(CommandLine commandLine) {
        if (noFlush && (force || targetPolicy != null && targetPolicy != FullSyncTargetPolicy.UPSERT)) {
            throw new CommandLine.ParameterException(commandLine, "--no-flush means --target-policy upsert: it "
                    + "contradicts " + (force ? "--force" : "--target-policy " + optionValue(targetPolicy)));
        }
        if (noFlush) {
            return FullSyncTargetPolicy.UPSERT;
        }
        if (force && targetPolicy != null && targetPolicy != FullSyncTargetPolicy.FLUSH) {
            throw new CommandLine.ParameterException(commandLine, "--force means --target-policy flush: it "
                    + "contradicts --target-policy " + targetPolicy.name().toLowerCase(Locale.ROOT));
        }
        if (force) {
            return FullSyncTargetPolicy.FLUSH;
        }
        return targetPolicy == null ? FullSyncTargetPolicy.REFUSE_NON_EMPTY : targetPolicy;
    }

    /**
     * The chosen {@link KeyConflictPolicy} ({@code OVERWRITE} without {@code --on-conflict}); any
     * other than {@code overwrite} without the upsert target policy is a usage error.
     *
     * @param commandLine for the usage error
     * @param policy the chosen target policy ({@link #targetPolicy})
     */
    KeyConflictPolicy keyConflictPolicy(CommandLine commandLine, FullSyncTargetPolicy policy) {
        KeyConflictPolicy p = onConflict == null ? KeyConflictPolicy.OVERWRITE : onConflict;
        if (p != KeyConflictPolicy.OVERWRITE && policy != FullSyncTargetPolicy.UPSERT) {
            throw new CommandLine.ParameterException(commandLine, "--on-conflict " + optionValue(p) + " is about keys "
                    + "the target holds when the full sync writes into it, which only --target-policy upsert (or "
                    + "--no-flush) allows; the target policy is " + optionValue(policy));
        }
        return p;
    }

    /**
     * The {@code --on-conflict} word of a policy.
     *
     * @param policy the policy
     * @return {@code overwrite}, {@code keep} or {@code fail}
     */
    static String optionValue(KeyConflictPolicy policy) {
        return switch (policy) {
            case OVERWRITE -> "overwrite";
            case KEEP_TARGET -> "keep";
            case FAIL -> "fail";
        };
    }

    /** {@code overwrite} / {@code keep} / {@code fail} → {@link KeyConflictPolicy}. */
    static final class ConflictPolicyConverter implements CommandLine.ITypeConverter<KeyConflictPolicy> {
        @Override
        public KeyConflictPolicy convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "overwrite" -> KeyConflictPolicy.OVERWRITE;
                case "keep" -> KeyConflictPolicy.KEEP_TARGET;
                case "fail" -> KeyConflictPolicy.FAIL;
                default -> throw new CommandLine.TypeConversionException("expected overwrite, keep or fail, got '"
                        + value + "'");
            };
        }
    }

    /**
     * The {@code --target-policy} word of a policy.
     *
     * @param policy the policy
     * @return {@code refuse}, {@code flush} or {@code upsert}
     */
    static String optionValue(FullSyncTargetPolicy policy) {
        return switch (policy) {
            case REFUSE_NON_EMPTY -> "refuse";
            case FLUSH -> "flush";
            case UPSERT -> "upsert";
        };
    }

    /** {@code refuse} / {@code flush} / {@code upsert} → {@link FullSyncTargetPolicy}. */
    static final class TargetPolicyConverter implements CommandLine.ITypeConverter<FullSyncTargetPolicy> {
        @Override
        public FullSyncTargetPolicy convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "refuse" -> FullSyncTargetPolicy.REFUSE_NON_EMPTY;
                case "flush" -> FullSyncTargetPolicy.FLUSH;
                case "upsert" -> FullSyncTargetPolicy.UPSERT;
                default -> throw new CommandLine.TypeConversionException("expected refuse, flush or upsert, got '"
                        + value + "'");
            };
        }
    }

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
