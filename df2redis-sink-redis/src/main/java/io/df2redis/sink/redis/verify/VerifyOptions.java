package io.df2redis.sink.redis.verify;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link Verifier} compares. Immutable; build with {@link #builder()}, derive changed
 * options with {@link #mutate()}. The builder validates each value when it is set (an
 * {@link IllegalArgumentException}, never a silent correction); its call order does not matter.
 */
public final class VerifyOptions {
    /** The defaults. */
    public static final VerifyOptions DEFAULTS = builder().build();

    private final long ttlToleranceMs;
    private final int scanCount;
    private final int chunkElements;
    private final int chunkBytes;
    private final int maxDifferences;
    private final List<Integer> dbs;
    private final Duration recheckDelay;
    private final Duration timeout;
    private final boolean skipUnholdable;
    private final java.util.Set<String> ignoredTargetKeys;
    private final io.df2redis.sink.redis.KeyFilter keyFilter;

    private VerifyOptions(Builder b) {
        this.ttlToleranceMs = b.ttlToleranceMs;
        this.scanCount = b.scanCount;
        this.chunkElements = b.chunkElements;
        this.chunkBytes = b.chunkBytes;
        this.maxDifferences = b.maxDifferences;
        this.dbs = b.dbs;
        this.recheckDelay = b.recheckDelay;
        this.timeout = b.timeout;
        this.skipUnholdable = b.skipUnholdable;
        this.ignoredTargetKeys = b.ignoredTargetKeys;
        this.keyFilter = b.keyFilter;
    }

    /**
     * A builder with the {@link #DEFAULTS}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options, to derive changed options from (these stay as they are).
     *
     * @return a new builder
     */
    public Builder mutate() {
        return toBuilder();
    }

    /**
     * The same as {@link #mutate()}.
     *
     * @return a new builder holding these options
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.ttlToleranceMs = ttlToleranceMs;
        b.scanCount = scanCount;
        b.chunkElements = chunkElements;
        b.chunkBytes = chunkBytes;
        b.maxDifferences = maxDifferences;
        b.dbs = dbs;
        b.recheckDelay = recheckDelay;
        b.timeout = timeout;
        b.skipUnholdable = skipUnholdable;
        b.ignoredTargetKeys = ignoredTargetKeys;
        b.keyFilter = keyFilter;
        return b;
    }

    /**
     * Whether source keys of a type the target cannot hold are noted as not compared instead of MISSING.
     *
     * @return the setting of {@link Builder#skipUnholdable}
     */
    public boolean skipUnholdable() {
        return skipUnholdable;
    }

    /**
     * Target keys that are not data of the source and never reported UNEXPECTED: by default the
     * Redis sink's checkpoint hash ({@code df2redis:checkpoint}, see
     * {@link io.df2redis.sink.redis.TargetCheckpointStore}).
     *
     * @return the key names
     */
    public java.util.Set<String> ignoredTargetKeys() {
        return ignoredTargetKeys;
    }

    /**
     * The key filter the sink wrote with: only source keys that pass are compared, each with the
     * target key it was renamed to, and a target key is unexpected unless a passing source key is
     * written as it (default {@link io.df2redis.sink.redis.KeyFilter#all()}).
     *
     * @return the filter
     */
    public io.df2redis.sink.redis.KeyFilter keyFilter() {
        return keyFilter;
    }

    /**
     * How far two remaining TTLs may be apart (they are read at slightly different moments).
     *
     * @return the tolerance in milliseconds
     */
    public long ttlToleranceMs() {
        return ttlToleranceMs;
    }

    /**
     * {@code SCAN … COUNT} and keys compared per pipelined batch.
     *
     * @return the batch size in keys
     */
    public int scanCount() {
        return scanCount;
    }

    /**
     * Elements read per range command of a big value (LRANGE, HSCAN, ZRANGE, SSCAN, XRANGE, XPENDING).
     *
     * @return the elements per round trip
     */
    public int chunkElements() {
        return chunkElements;
    }

    /**
     * Bytes read per GETRANGE of a big string.
     *
     * @return the bytes per round trip
     */
    public int chunkBytes() {
        return chunkBytes;
    }

    /**
     * Verification stops after this many differences (the report says so).
     *
     * @return the most differences reported
     */
    public int maxDifferences() {
        return maxDifferences;
    }

    /**
     * The dbs to compare; empty means every db either side reports in {@code INFO keyspace}.
     *
     * @return the dbs, unmodifiable
     */
    public List<Integer> dbs() {
        return dbs;
    }

    /**
     * How long to wait before re-checking a differing key once (keys expiring or written meanwhile).
     *
     * @return the delay, zero or more
     */
    public Duration recheckDelay() {
        return recheckDelay;
    }

    /**
     * How long to wait for any reply.
     *
     * @return the reply timeout, positive
     */
    public Duration timeout() {
        return timeout;
    }

    /** Mutable builder of {@link VerifyOptions}; not thread-safe. */
    public static final class Builder {
        private long ttlToleranceMs = 2000;
        private int scanCount = 500;
        private int chunkElements = 1000;
        private int chunkBytes = 1 << 20;
        private int maxDifferences = 10_000;
        private List<Integer> dbs = List.of();
        private Duration recheckDelay = Duration.ofMillis(500);
        private Duration timeout = Duration.ofSeconds(60);
        private boolean skipUnholdable;
        private java.util.Set<String> ignoredTargetKeys = java.util.Set.of(io.df2redis.sink.redis.TargetCheckpointStore.DEFAULT_KEY);
        private io.df2redis.sink.redis.KeyFilter keyFilter = io.df2redis.sink.redis.KeyFilter.all();

        private Builder() {
        }

        /**
         * How far two remaining TTLs may be apart, in ms; not negative, default 2000.
         *
         * @param ms the tolerance in milliseconds
         * @return this builder
         */
        public Builder ttlToleranceMs(long ms) {
            if (ms < 0) {
                throw new IllegalArgumentException("ttlToleranceMs must not be negative");
            }
            this.ttlToleranceMs = ms;
            return this;
        }

        /**
         * The {@code COUNT} of each {@code SCAN}; positive, default 500.
         *
         * @param n keys per batch
         * @return this builder
         */
        public Builder scanCount(int n) {
            this.scanCount = positive(n, "scanCount");
            return this;
        }

        /**
         * Elements of a big value compared per round trip; positive, default 1000.
         *
         * @param n elements per range command
         * @return this builder
         */
        public Builder chunkElements(int n) {
            this.chunkElements = positive(n, "chunkElements");
            return this;
        }

        /**
         * Bytes of a big string compared per round trip; positive, default 1 MiB.
         *
         * @param n bytes per GETRANGE
         * @return this builder
         */
        public Builder chunkBytes(int n) {
            this.chunkBytes = positive(n, "chunkBytes");
            return this;
        }

        /**
         * Differences reported at most (verification stops counting beyond); positive, default 10 000.
         *
         * @param n the limit
         * @return this builder
         */
        public Builder maxDifferences(int n) {
            this.maxDifferences = positive(n, "maxDifferences");
            return this;
        }

        /**
         * The dbs to compare (empty: every db either side reports).
         *
         * @param dbs db numbers, none negative
         * @return this builder
         */
        public Builder dbs(List<Integer> dbs) {
            for (Integer d : dbs) {
                if (d == null || d < 0) {
                    throw new IllegalArgumentException("bad db " + d);
                }
            }
            this.dbs = List.copyOf(dbs);
            return this;
        }

        /**
         * How long to wait before comparing a differing key again (a live write may be in flight); zero or
         * more, default 500 ms.
         *
         * @param d the delay
         * @return this builder
         */
        public Builder recheckDelay(Duration d) {
            if (Objects.requireNonNull(d, "recheckDelay").isNegative()) {
                throw new IllegalArgumentException("recheckDelay must not be negative: " + d);
            }
            this.recheckDelay = d;
            return this;
        }

        /**
         * How long one reply may take; positive, default 60 s.
         *
         * @param d the reply timeout
         * @return this builder
         */
        public Builder timeout(Duration d) {
            if (Objects.requireNonNull(d, "timeout").isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + d);
            }
            this.timeout = d;
            return this;
        }

        /**
         * A source key of a type the target has no equivalent for (JSON without the ReJSON module,
         * Bloom-family types without RedisBloom, other module types) and that the target lacks is
         * counted in {@link Report#notCompared()} ("target cannot hold …") instead of reported
         * MISSING — for a target written with the sink's skip policy, which reports those keys
         * itself. Default false: such keys are differences.
         *
         * @param on true to count such keys as not compared
         * @return this builder
         */
        public Builder skipUnholdable(boolean on) {
            this.skipUnholdable = on;
            return this;
        }

        /**
         * The key filter the sink wrote with (see {@link VerifyOptions#keyFilter()}).
         *
         * @param filter the filter
         * @return this builder
         */
        public Builder keyFilter(io.df2redis.sink.redis.KeyFilter filter) {
            this.keyFilter = java.util.Objects.requireNonNull(filter, "filter");
            return this;
        }

        /**
         * Target keys that are not data of the source (never reported UNEXPECTED); default the Redis
         * sink's checkpoint hash {@code df2redis:checkpoint}. A name also covers its per-slot keys
         * {@code <name>:{<tag>}} (the checkpoint in a Redis Cluster). A source key of the same name is
         * still compared.
         *
         * @param keys the key names
         * @return this builder
         */
        public Builder ignoredTargetKeys(java.util.Set<String> keys) {
            this.ignoredTargetKeys = java.util.Set.copyOf(keys);
            return this;
        }

        /**
         * The options.
         *
         * @return the immutable options
         */
        public VerifyOptions build() {
            return new VerifyOptions(this);
        }

        private static int positive(int n, String what) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return n;
        }
    }
}
