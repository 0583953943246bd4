package io.df2redis.replica;

import io.df2redis.protocol.rdb.RdbDecoderOptions;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Immutable settings of a {@link Replicator}. Create with {@link #builder(DragonflyEndpoint)};
 * derive with {@link #mutate()}. Defaults follow Dragonfly's own replica where one exists. Every
 * setter of the {@link Builder} validates its value and throws {@link IllegalArgumentException}
 * (or {@link NullPointerException}) on a bad one: nothing is silently adjusted. The Dragonfly
 * source is held here for the session's use, but a {@link Replicator.Builder} takes it separately
 * ({@link Replicator.Builder#source(DragonflyEndpoint)}), whatever order it is called in. This
 * file is over the usual length only because of its Javadoc: one getter and one setter per setting.
 */
public final class ReplicatorOptions {
    private final DragonflyEndpoint source;
    private final Duration connectTimeout;
    private final Duration commandTimeout;
    private final int listeningPort;
    private final String announceIp;
    private final String clientId;
    private final RdbDecoderOptions decoderOptions;
    private final long flowQueueMaxBytes;
    private final SlowConsumerPolicy slowConsumerPolicy;
    private final Duration ackInterval;
    private final int ackEveryEntries;
    private final int maxInFlightPerFlow;
    private final boolean reconnect;
    private final Duration reconnectDelay;
    private final Duration maxReconnectDelay;
    private final int maxReconnectAttempts;
    private final Duration loadingRetryDelay;
    private final boolean failOnLsnMismatch;
    private final boolean partialSync;
    private final Duration drainTimeout;
    private final int eventLoopThreads;
    private final HandlerFailurePolicy handlerFailurePolicy;
    private final CheckpointStore checkpointStore;
    private final Duration checkpointInterval;

    private ReplicatorOptions(Builder b) {
        this.source = Objects.requireNonNull(b.source, "source");
        this.connectTimeout = b.connectTimeout;
        this.commandTimeout = b.commandTimeout;
        this.listeningPort = b.listeningPort;
        this.announceIp = b.announceIp;
        this.clientId = b.clientId != null ? b.clientId
                : "df2redis-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        this.decoderOptions = b.decoderOptions;
        this.flowQueueMaxBytes = b.flowQueueMaxBytes;
        this.slowConsumerPolicy = b.slowConsumerPolicy;
        this.ackInterval = b.ackInterval;
        this.ackEveryEntries = b.ackEveryEntries;
        this.maxInFlightPerFlow = b.maxInFlightPerFlow;
        this.reconnect = b.reconnect;
        this.reconnectDelay = b.reconnectDelay;
        this.maxReconnectDelay = b.maxReconnectDelay;
        this.maxReconnectAttempts = b.maxReconnectAttempts;
        this.loadingRetryDelay = b.loadingRetryDelay;
        this.failOnLsnMismatch = b.failOnLsnMismatch;
        this.partialSync = b.partialSync;
        this.drainTimeout = b.drainTimeout;
        this.eventLoopThreads = b.eventLoopThreads;
        this.handlerFailurePolicy = b.handlerFailurePolicy;
        this.checkpointStore = b.checkpointStore;
        this.checkpointInterval = b.checkpointInterval;
    }

    /**
     * A builder with the defaults.
     *
     * @param source the Dragonfly master to replicate
     * @return a new builder
     */
    public static Builder builder(DragonflyEndpoint source) {
        return new Builder().source(source);
    }

    /**
     * A builder holding these settings, to derive others (Lettuce's style).
     *
     * @return a new builder
     */
    public Builder mutate() {
        return toBuilder();
    }

    /**
     * The same as {@link #mutate()}.
     *
     * @return a new builder holding these settings
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.source = source;
        b.connectTimeout = connectTimeout;
        b.commandTimeout = commandTimeout;
        b.listeningPort = listeningPort;
        b.announceIp = announceIp;
        b.clientId = clientId;
        b.decoderOptions = decoderOptions;
        b.flowQueueMaxBytes = flowQueueMaxBytes;
        b.slowConsumerPolicy = slowConsumerPolicy;
        b.ackInterval = ackInterval;
        b.ackEveryEntries = ackEveryEntries;
        b.maxInFlightPerFlow = maxInFlightPerFlow;
        b.reconnect = reconnect;
        b.reconnectDelay = reconnectDelay;
        b.maxReconnectDelay = maxReconnectDelay;
        b.maxReconnectAttempts = maxReconnectAttempts;
        b.loadingRetryDelay = loadingRetryDelay;
        b.failOnLsnMismatch = failOnLsnMismatch;
        b.partialSync = partialSync;
        b.drainTimeout = drainTimeout;
        b.eventLoopThreads = eventLoopThreads;
        b.handlerFailurePolicy = handlerFailurePolicy;
        b.checkpointStore = checkpointStore;
        b.checkpointInterval = checkpointInterval;
        return b;
    }

    /** @return the Dragonfly master to replicate */
    public DragonflyEndpoint source() {
        return source;
    }

    /** TCP connect timeout (default 10 s). */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long to wait for the reply to a handshake or control command (default 30 s). Flows never time out on silence. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** Port announced with {@code REPLCONF listening-port} (informational; default 0). */
    public int listeningPort() {
        return listeningPort;
    }

    /** IP announced with {@code REPLCONF ip-address}, or null (not sent). */
    public String announceIp() {
        return announceIp;
    }

    /** Id sent with {@code REPLCONF CLIENT-ID}. */
    public String clientId() {
        return clientId;
    }

    /** @return the limits and switches of the snapshot decoder */
    public RdbDecoderOptions decoderOptions() {
        return decoderOptions;
    }

    /** Byte limit of each flow's queue of decoded, not yet applied events (default 64 MiB). */
    public long flowQueueMaxBytes() {
        return flowQueueMaxBytes;
    }

    /** @return what happens when a flow's queue is full (default {@link SlowConsumerPolicy#PAUSE_READING}) */
    public SlowConsumerPolicy slowConsumerPolicy() {
        return slowConsumerPolicy;
    }

    /** Period of {@code REPLCONF ACK} on every flow (default 1 s, as Dragonfly's replica). */
    public Duration ackInterval() {
        return ackInterval;
    }

    /** An ACK is also sent once this many entries were applied since the last one (default 1024). */
    public int ackEveryEntries() {
        return ackEveryEntries;
    }

    /** Most sink stages outstanding per flow before the applier waits (default 10 000). */
    public int maxInFlightPerFlow() {
        return maxInFlightPerFlow;
    }

    /** Whether a broken session is retried (default true). */
    public boolean reconnect() {
        return reconnect;
    }

    /**
     * The wait before the first reconnect (default 500 ms). Each further attempt waits twice as long
     * as the previous one, up to {@link #maxReconnectDelay()}; the count starts over once a session
     * made progress in stable sync (applied a journal entry, or stayed in stable sync for a minute).
     */
    public Duration reconnectDelay() {
        return reconnectDelay;
    }

    /** The longest wait between reconnect attempts (default 30 s). */
    public Duration maxReconnectDelay() {
        return maxReconnectDelay;
    }

    /**
     * The wait before reconnect attempt {@code attempt} (1-based): {@link #reconnectDelay()} ×
     * 2^(attempt-1), at most {@link #maxReconnectDelay()}.
     *
     * @param attempt the attempt number, from 1
     * @return the delay
     */
    public Duration reconnectDelay(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("reconnect attempts count from 1: " + attempt);
        }
        return HandlerFailurePolicy.exponential(reconnectDelay, maxReconnectDelay, attempt);
    }

    /** What happens when a listener, journal handler or the sink fails (default {@link HandlerFailurePolicy#fail()}). */
    public HandlerFailurePolicy handlerFailurePolicy() {
        return handlerFailurePolicy;
    }

    /** Retries before giving up; -1 = forever (default). */
    public int maxReconnectAttempts() {
        return maxReconnectAttempts;
    }

    /** Wait between attempts while the master answers {@code -LOADING} (default 1 s). */
    public Duration loadingRetryDelay() {
        return loadingRetryDelay;
    }

    /** Whether an LSN record that disagrees with the replica's counter ends the session (default false: a warning, as Dragonfly). */
    public boolean failOnLsnMismatch() {
        return failOnLsnMismatch;
    }

    /**
     * Whether a reconnect to the same master — and the first session resuming from a
     * {@link #checkpointStore()} checkpoint — asks for a partial sync (v1.35+ masters; default true).
     */
    public boolean partialSync() {
        return partialSync;
    }

    /** How long {@code close()} waits for queued events to be applied (default 30 s). */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /** Threads of the event loop group the replicator creates when none is injected (default 2). */
    public int eventLoopThreads() {
        return eventLoopThreads;
    }

    /**
     * Where checkpoints are kept so that a replicator started later resumes with a partial sync
     * (see {@link CheckpointStore}); empty (the default) keeps positions only in memory: a new
     * replicator then starts with a full sync.
     *
     * @return the checkpoint store, or empty
     */
    public java.util.Optional<CheckpointStore> checkpointStore() {
        return java.util.Optional.ofNullable(checkpointStore);
    }

    /**
     * How often the position is saved to the {@link #checkpointStore()} while in stable sync (only
     * when it changed; default 1 s). It bounds what a crash delivers again with a
     * {@link FileCheckpointStore}: the entries applied in the last interval.
     *
     * @return the interval
     */
    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    /** @return the main settings, with the source as {@link DragonflyEndpoint#toString()} shows it (never a password) */
    @Override
    public String toString() {
        return "ReplicatorOptions[source=" + source + ", connectTimeout=" + connectTimeout + ", commandTimeout="
                + commandTimeout + ", clientId=" + clientId + ", flowQueueMaxBytes=" + flowQueueMaxBytes
                + ", slowConsumerPolicy=" + slowConsumerPolicy + ", ackInterval=" + ackInterval
                + ", ackEveryEntries=" + ackEveryEntries + ", reconnect=" + reconnect + " (" + reconnectDelay + " .. "
                + maxReconnectDelay + ", max attempts " + maxReconnectAttempts + "), partialSync=" + partialSync
                + ", handlerFailurePolicy=" + handlerFailurePolicy
                + (checkpointStore != null ? ", checkpointStore=" + checkpointStore + " every " + checkpointInterval
                : "")
                + "]";
    }

    /** Builder of {@link ReplicatorOptions}. */
    public static final class Builder {
        private DragonflyEndpoint source;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration commandTimeout = Duration.ofSeconds(30);
        private int listeningPort;
        private String announceIp;
        private String clientId;
        private RdbDecoderOptions decoderOptions = RdbDecoderOptions.defaults();
        private long flowQueueMaxBytes = 64L << 20;
        private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.PAUSE_READING;
        private Duration ackInterval = Duration.ofSeconds(1);
        private int ackEveryEntries = 1024;
        private int maxInFlightPerFlow = 10_000;
        private boolean reconnect = true;
        private Duration reconnectDelay = Duration.ofMillis(500);
        private Duration maxReconnectDelay = Duration.ofSeconds(30);
        private int maxReconnectAttempts = -1;
        private Duration loadingRetryDelay = Duration.ofSeconds(1);
        private boolean failOnLsnMismatch;
        private boolean partialSync = true;
        private Duration drainTimeout = Duration.ofSeconds(30);
        private int eventLoopThreads = 2;
        private HandlerFailurePolicy handlerFailurePolicy = HandlerFailurePolicy.fail();
        private CheckpointStore checkpointStore;
        private Duration checkpointInterval = Duration.ofSeconds(1);

        private Builder() {
        }

        /**
         * @param source the Dragonfly master to replicate
         * @return this builder
         */
        public Builder source(DragonflyEndpoint source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * @param d the TCP connect (and TLS handshake) timeout, positive
         * @return this builder
         */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d);
            return this;
        }

        /**
         * @param d how long to wait for a handshake or control reply, positive
         * @return this builder
         */
        public Builder commandTimeout(Duration d) {
            this.commandTimeout = positive(d);
            return this;
        }

        /**
         * @param port the port announced with {@code REPLCONF listening-port}, 0 to 65535
         * @return this builder
         */
        public Builder listeningPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("listeningPort must be 0..65535: " + port);
            }
            this.listeningPort = port;
            return this;
        }

        /**
         * @param ip the IP announced with {@code REPLCONF ip-address}, or null to send none
         * @return this builder
         */
        public Builder announceIp(String ip) {
            this.announceIp = ip;
            return this;
        }

        /**
         * @param id the id sent with {@code REPLCONF CLIENT-ID}, or null for a random one
         * @return this builder
         */
        public Builder clientId(String id) {
            this.clientId = id;
            return this;
        }

        /**
         * @param o the snapshot decoder's limits and switches
         * @return this builder
         */
        public Builder decoderOptions(RdbDecoderOptions o) {
            this.decoderOptions = Objects.requireNonNull(o, "decoderOptions");
            return this;
        }

        /**
         * @param bytes the byte limit of each flow's queue, at least 1024
         * @return this builder
         */
        public Builder flowQueueMaxBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("flowQueueMaxBytes too small: " + bytes);
            }
            this.flowQueueMaxBytes = bytes;
            return this;
        }

        /**
         * @param p what happens when a flow's queue is full
         * @return this builder
         */
        public Builder slowConsumerPolicy(SlowConsumerPolicy p) {
            this.slowConsumerPolicy = Objects.requireNonNull(p, "slowConsumerPolicy");
            return this;
        }

        /**
         * @param d the period of {@code REPLCONF ACK}, positive
         * @return this builder
         */
        public Builder ackInterval(Duration d) {
            this.ackInterval = positive(d);
            return this;
        }

        /**
         * @param n also ACK once this many entries were applied, at least 1
         * @return this builder
         */
        public Builder ackEveryEntries(int n) {
            this.ackEveryEntries = atLeastOne(n, "ackEveryEntries");
            return this;
        }

        /**
         * @param n most sink stages outstanding per flow, at least 1
         * @return this builder
         */
        public Builder maxInFlightPerFlow(int n) {
            this.maxInFlightPerFlow = atLeastOne(n, "maxInFlightPerFlow");
            return this;
        }

        /**
         * @param r whether a broken session is retried
         * @return this builder
         */
        public Builder reconnect(boolean r) {
            this.reconnect = r;
            return this;
        }

        /**
         * @param initial the wait before the first reconnect, positive
         * @param max the longest wait, positive and not shorter than {@code initial}
         * @return this builder
         */
        public Builder reconnectDelay(Duration initial, Duration max) {
            Duration i = positive(initial);
            Duration m = positive(max);
            if (m.compareTo(i) < 0) {
                throw new IllegalArgumentException("the longest reconnect delay " + m + " is shorter than the first "
                        + i);
            }
            this.reconnectDelay = i;
            this.maxReconnectDelay = m;
            return this;
        }

        /**
         * @param n reconnect attempts before giving up, 0 or more, or -1 for no limit
         * @return this builder
         */
        public Builder maxReconnectAttempts(int n) {
            if (n < -1) {
                throw new IllegalArgumentException("maxReconnectAttempts must be -1 (no limit) or more: " + n);
            }
            this.maxReconnectAttempts = n;
            return this;
        }

        /**
         * @param d the wait between attempts while the master answers {@code -LOADING}, positive
         * @return this builder
         */
        public Builder loadingRetryDelay(Duration d) {
            this.loadingRetryDelay = positive(d);
            return this;
        }

        /**
         * @param f whether a disagreeing LSN record ends the session
         * @return this builder
         */
        public Builder failOnLsnMismatch(boolean f) {
            this.failOnLsnMismatch = f;
            return this;
        }

        /**
         * @param p whether to ask for partial syncs
         * @return this builder
         */
        public Builder partialSync(boolean p) {
            this.partialSync = p;
            return this;
        }

        /**
         * @param d how long {@code close()} waits for queued events to be applied, positive
         * @return this builder
         */
        public Builder drainTimeout(Duration d) {
            this.drainTimeout = positive(d);
            return this;
        }

        /**
         * @param n threads of the event loop group the replicator creates, at least 1
         * @return this builder
         */
        public Builder eventLoopThreads(int n) {
            this.eventLoopThreads = atLeastOne(n, "eventLoopThreads");
            return this;
        }

        /**
         * What happens when host code fails: a listener data or session callback, a journal handler,
         * or the sink (default {@link HandlerFailurePolicy#fail()}: stop in FAILED, nothing
         * acknowledged past the failed entry).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder handlerFailurePolicy(HandlerFailurePolicy policy) {
            this.handlerFailurePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Keeps checkpoints in {@code store} (default none): the first session resumes from the
         * stored checkpoint when it can, and the position is saved as described in
         * {@link CheckpointStore}. The replicator does not close or clear the store.
         *
         * @param store the store, or null for none
         * @return this builder
         */
        public Builder checkpointStore(CheckpointStore store) {
            this.checkpointStore = store;
            return this;
        }

        /**
         * How often the position is saved in stable sync (default 1 s); saves run on the
         * replicator's own checkpoint thread, never on a network thread.
         *
         * @param d a positive interval
         * @return this builder
         */
        public Builder checkpointInterval(Duration d) {
            this.checkpointInterval = positive(d);
            return this;
        }

        /**
         * @return the immutable options
         * @throws NullPointerException when no source is set
         */
        public ReplicatorOptions build() {
            return new ReplicatorOptions(this);
        }

        private static int atLeastOne(int n, String what) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be at least 1: " + n);
            }
            return n;
        }

        private static Duration positive(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("duration must be positive: " + d);
            }
            return d;
        }
    }
}
