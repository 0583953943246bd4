package io.df2redis.replica;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Immutable settings of the spill to disk that {@link SlowConsumerPolicy#SPILL} (the default)
 * uses when a flow's queue is full: where the segment files go, how many bytes they may hold
 * together, and what happens when that budget is exhausted. Create with {@link #builder()} or
 * {@link #defaults()}; derive with {@link #mutate()}. Setters validate and throw.
 *
 * <p>Files: one append-only log of segment files per flow and session, named
 * {@code df2redis-spill-<pid>-<n>-f<flow>-<segment>.seg}; a segment is deleted as soon as it was
 * read back, the whole log when the session ends (what was spilled but not applied is asked from
 * the master again by the next session's partial sync, or a full sync). The directory is created
 * when missing; files of that pattern left by a process that is no longer alive are deleted when
 * a session starts. Nothing else in the directory is touched.
 */
public final class SpillOptions {
    private static final SpillOptions DEFAULTS = builder().build();

    private final Path directory;
    private final long maxBytes;
    private final SlowConsumerPolicy whenFull;

    private SpillOptions(Builder b) {
        this.directory = b.directory;
        this.maxBytes = b.maxBytes;
        this.whenFull = b.whenFull;
    }

    /**
     * The defaults: directory {@code df2redis-spill} under {@code java.io.tmpdir}, a budget of
     * 1 GiB, {@link SlowConsumerPolicy#PAUSE_READING} when it is exhausted.
     *
     * @return the default settings
     */
    public static SpillOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these settings, to derive others.
     *
     * @return a new builder
     */
    public Builder mutate() {
        Builder b = new Builder();
        b.directory = directory;
        b.maxBytes = maxBytes;
        b.whenFull = whenFull;
        return b;
    }

    /**
     * The directory of the segment files (default {@code <java.io.tmpdir>/df2redis-spill}).
     *
     * @return the directory
     */
    public Path directory() {
        return directory;
    }

    /**
     * The disk budget of one replicator: bytes its segment files may hold together, headers
     * included (default 1 GiB). One socket read per flow may go beyond it before the policy
     * applies.
     *
     * @return the budget in bytes
     */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * What happens when the budget is exhausted (default {@link SlowConsumerPolicy#PAUSE_READING}:
     * reading pauses with a warning until read-back segments were deleted; the master's writes to
     * that shard stall meanwhile): {@link SlowConsumerPolicy#PAUSE_READING} or
     * {@link SlowConsumerPolicy#FAIL} ({@link SpillFullException}, the replicator stops).
     *
     * @return the policy
     */
    public SlowConsumerPolicy whenFull() {
        return whenFull;
    }

    /** @return the settings, for logs */
    @Override
    public String toString() {
        return "SpillOptions[directory=" + directory + ", maxBytes=" + maxBytes + ", whenFull=" + whenFull + "]";
    }

    /** @return whether {@code o} holds the same settings */
    @Override
    public boolean equals(Object o) {
        return o instanceof SpillOptions s && s.directory.equals(directory) && s.maxBytes == maxBytes
                && s.whenFull == whenFull;
    }

    /** @return a hash of the settings */
    @Override
    public int hashCode() {
        return Objects.hash(directory, maxBytes, whenFull);
    }

    /** Builder of {@link SpillOptions}; the order of the calls does not matter. */
    public static final class Builder {
        /** The smallest budget: a few segments of the smallest size. */
        public static final long MIN_BYTES = 1L << 20;

        private Path directory = Path.of(System.getProperty("java.io.tmpdir"), "df2redis-spill");
        private long maxBytes = 1L << 30;
        private SlowConsumerPolicy whenFull = SlowConsumerPolicy.PAUSE_READING;

        private Builder() {
        }

        /**
         * Sets the directory of the segment files (created when missing).
         *
         * @param dir the directory, not null
         * @return this builder
         */
        public Builder directory(Path dir) {
            this.directory = Objects.requireNonNull(dir, "directory");
            return this;
        }

        /**
         * Sets the disk budget of one replicator.
         *
         * @param bytes at least {@link #MIN_BYTES} (1 MiB)
         * @return this builder
         * @throws IllegalArgumentException when smaller
         */
        public Builder maxBytes(long bytes) {
            if (bytes < MIN_BYTES) {
                throw new IllegalArgumentException("the spill budget must be at least " + MIN_BYTES + " bytes: " + bytes);
            }
            this.maxBytes = bytes;
            return this;
        }

        /**
         * Sets what happens when the budget is exhausted.
         *
         * @param policy {@link SlowConsumerPolicy#PAUSE_READING} or {@link SlowConsumerPolicy#FAIL}
         * @return this builder
         * @throws IllegalArgumentException for {@link SlowConsumerPolicy#SPILL}
         */
        public Builder whenFull(SlowConsumerPolicy policy) {
            Objects.requireNonNull(policy, "whenFull");
            if (policy == SlowConsumerPolicy.SPILL) {
                throw new IllegalArgumentException("a full spill cannot spill: choose PAUSE_READING or FAIL");
            }
            this.whenFull = policy;
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the immutable settings
         */
        public SpillOptions build() {
            return new SpillOptions(this);
        }
    }
}
