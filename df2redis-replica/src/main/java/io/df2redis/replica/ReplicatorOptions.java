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
 *
 * <p>Why one class: an immutable options object and its builder, one accessor, one setter and one
 * validation per option, in Lettuce's style; most of it is the options' Javadoc.
 */
public final class ReplicatorOptions {

    /** The settings, in a private copy of the builder that made them (never changed). */
    private final Builder v;

    private ReplicatorOptions(Builder b) {
        this.v = b.copy();
        if (v.clientId == null) {
            v.clientId = "df2redis-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        }
    }

    /**
     * A builder with the defaults and no source: the endpoint is given separately, to
     * {@link Replicator.Builder#source(DragonflyEndpoint)}, so that one set of options can serve
     * several sources.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder with the defaults and the source already set (the replicator's
     * {@link Replicator.Builder#source} still wins over it).
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
        return v.copy();
    }

    /**
     * @return the Dragonfly master to replicate; null in options built without one (the
     *     replicator's own options always have it)
     */
    public DragonflyEndpoint source() {
        return v.source;
    }

    /** TCP connect timeout (default 10 s). */
    public Duration connectTimeout() {
        return v.connectTimeout;
    }

    /** How long to wait for the reply to a handshake or control command (default 30 s). Flows never time out on silence. */
    public Duration commandTimeout() {
        return v.commandTimeout;
    }

    /** Port announced with {@code REPLCONF listening-port} (informational; default 0). */
    public int listeningPort() {
        return v.listeningPort;
    }

    /** IP announced with {@code REPLCONF ip-address}, or null (not sent). */
    public String announceIp() {
        return v.announceIp;
    }

    /** Id sent with {@code REPLCONF CLIENT-ID}. */
    public String clientId() {
        return v.clientId;
    }

    /** @return the limits and switches of the snapshot decoder */
    public RdbDecoderOptions decoderOptions() {
        return v.decoderOptions;
    }

    /**
     * Byte limit of each flow's queue of decoded, not yet applied events (default 4 MiB: more only
     * makes young collections copy the backlog again, see {@code docs/benchmarks.md}), as an estimate
     * of the heap they take; what exceeds it goes to the {@link #slowConsumerPolicy()}. Lowered so that
     * all flows' queues take at most a quarter of the maximum heap (never below 1 MiB). The same limit
     * bounds the events handed to the sink and not yet confirmed ({@link #maxInFlightPerFlow()}).
     */
    public long flowQueueMaxBytes() {
        return v.flowQueueMaxBytes;
    }

    /** @return what happens when a flow's queue is full (default {@link SlowConsumerPolicy#SPILL}) */
    public SlowConsumerPolicy slowConsumerPolicy() {
        return v.slowConsumerPolicy;
    }

    /** @return where and how much {@link SlowConsumerPolicy#SPILL} spills (default {@link SpillOptions#defaults()}) */
    public SpillOptions spillOptions() {
        return v.spillOptions;
    }

    /** Period of {@code REPLCONF ACK} on every flow (default 1 s, as Dragonfly's replica). */
    public Duration ackInterval() {
        return v.ackInterval;
    }

    /** An ACK is also sent once this many entries were applied since the last one (default 1024). */
    public int ackEveryEntries() {
        return v.ackEveryEntries;
    }

    /**
     * Most sink stages outstanding per flow before the applier waits (default 10 000). The applier
     * also waits while the events of the outstanding stages take more than the flow's queue limit
     * ({@link #flowQueueMaxBytes()}): each is kept until the sink confirmed it.
     */
    public int maxInFlightPerFlow() {
        return v.maxInFlightPerFlow;
    }

    /** Whether a broken session is retried (default true). */
    public boolean reconnect() {
        return v.reconnect;
    }

    /**
     * The wait before the first reconnect (default 500 ms). Each further attempt waits twice as long
     * as the previous one, up to {@link #maxReconnectDelay()}; the count starts over once a session
     * made progress in stable sync (applied a journal entry, or stayed in stable sync for a minute).
     */
    public Duration reconnectDelay() {
        return v.reconnectDelay;
    }

    /** The longest wait between reconnect attempts (default 30 s). */
    public Duration maxReconnectDelay() {
        return v.maxReconnectDelay;
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
        return HandlerFailurePolicy.exponential(v.reconnectDelay, v.maxReconnectDelay, attempt);
    }

    /** What happens when a listener, journal handler or the sink fails (default {@link HandlerFailurePolicy#fail()}). */
    public HandlerFailurePolicy handlerFailurePolicy() {
        return v.handlerFailurePolicy;
    }

    /** Retries before giving up; -1 = forever (default). */
    public int maxReconnectAttempts() {
        return v.maxReconnectAttempts;
    }

    /** Wait between attempts while the master answers {@code -LOADING} (default 1 s). */
    public Duration loadingRetryDelay() {
        return v.loadingRetryDelay;
    }

    /** Whether an LSN record that disagrees with the replica's counter ends the session (default false: a warning, as Dragonfly). */
    public boolean failOnLsnMismatch() {
        return v.failOnLsnMismatch;
    }

    /**
     * Whether a reconnect to the same master — and the first session resuming from a
     * {@link #checkpointStore()} checkpoint — asks for a partial sync (masters v1.16–v1.20 and
     * v1.31+; v1.21–v1.30 have none; default true).
     */
    public boolean partialSync() {
        return v.partialSync;
    }

    /**
     * How long {@code close()} waits for queued and spilled events to be applied (default 30 s);
     * what is left then is dropped (the position covers only what was applied).
     */
    public Duration drainTimeout() {
        return v.drainTimeout;
    }

    /** Threads of the event loop group the replicator creates when none is injected (default 2). */
    public int eventLoopThreads() {
        return v.eventLoopThreads;
    }

    /**
     * Where checkpoints are kept so that a replicator started later resumes with a partial sync
     * (see {@link CheckpointStore}); empty (the default) keeps positions only in memory: a new
     * replicator then starts with a full sync.
     *
     * @return the checkpoint store, or empty
     */
    public java.util.Optional<CheckpointStore> checkpointStore() {
        return java.util.Optional.ofNullable(v.checkpointStore);
    }

    /**
     * How often the position is saved to the {@link #checkpointStore()} while in stable sync (only
     * when it changed; default 1 s). It bounds what a crash delivers again with a
     * {@link FileCheckpointStore}: the entries applied in the last interval.
     *
     * @return the interval
     */
    public Duration checkpointInterval() {
        return v.checkpointInterval;
    }

    /** @return the main settings, with the source as {@link DragonflyEndpoint#toString()} shows it (never a password) */
    @Override
    public String toString() {
        return "ReplicatorOptions[source=" + v.source + ", connectTimeout=" + v.connectTimeout + ", commandTimeout="
                + v.commandTimeout + ", clientId=" + v.clientId + ", flowQueueMaxBytes=" + v.flowQueueMaxBytes
                + ", slowConsumerPolicy=" + v.slowConsumerPolicy
                + (v.slowConsumerPolicy == SlowConsumerPolicy.SPILL ? " " + v.spillOptions : "") + ", ackInterval=" + v.ackInterval
                + ", ackEveryEntries=" + v.ackEveryEntries + ", reconnect=" + v.reconnect + " (" + v.reconnectDelay
                + " .. " + v.maxReconnectDelay + ", max attempts " + v.maxReconnectAttempts + "), partialSync="
                + v.partialSync + ", handlerFailurePolicy=" + v.handlerFailurePolicy
                + (v.checkpointStore != null ? ", checkpointStore=" + v.checkpointStore + " every "
                + v.checkpointInterval : "")
                + "]";
    }

    /** Builder of {@link ReplicatorOptions}. */
    public static final class Builder implements Cloneable {
        private DragonflyEndpoint source;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration commandTimeout = Duration.ofSeconds(30);
        private int listeningPort;
        private String announceIp;
        private String clientId;
        private RdbDecoderOptions decoderOptions = RdbDecoderOptions.defaults();
        private long flowQueueMaxBytes = 4L << 20;
        private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.SPILL;
        private SpillOptions spillOptions = SpillOptions.defaults();
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

        /** Sets the Dragonfly master to replicate ({@code source}); returns this builder. */
        public Builder source(DragonflyEndpoint source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /** Sets the TCP connect (and TLS handshake) timeout, positive ({@code d}); returns this builder. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d);
            return this;
        }

        /** Sets how long to wait for a handshake or control reply, positive ({@code d}); returns this builder. */
        public Builder commandTimeout(Duration d) {
            this.commandTimeout = positive(d);
            return this;
        }

        /** Sets the port announced with {@code REPLCONF listening-port}, 0 to 65535; returns this builder. */
        public Builder listeningPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("listeningPort must be 0..65535: " + port);
            }
            this.listeningPort = port;
            return this;
        }

        /** Sets the IP announced with {@code REPLCONF ip-address}, or null to send none; returns this builder. */
        public Builder announceIp(String ip) {
            this.announceIp = ip;
            return this;
        }

        /** Sets the id sent with {@code REPLCONF CLIENT-ID}, or null for a random one; returns this builder. */
        public Builder clientId(String id) {
            this.clientId = id;
            return this;
        }

        /** Sets the snapshot decoder's limits and switches ({@code o}); returns this builder. */
        public Builder decoderOptions(RdbDecoderOptions o) {
            this.decoderOptions = Objects.requireNonNull(o, "decoderOptions");
            return this;
        }

        /** Sets the byte limit of each flow's queue, at least 1024 ({@code bytes}); returns this builder. */
        public Builder flowQueueMaxBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("flowQueueMaxBytes too small: " + bytes);
            }
            this.flowQueueMaxBytes = bytes;
            return this;
        }

        /**
         * Sets what happens when a flow's queue is full ({@code p}; {@link SlowConsumerPolicy#PAUSE_READING}
         * turns spilling off); returns this builder.
         */
        public Builder slowConsumerPolicy(SlowConsumerPolicy p) {
            this.slowConsumerPolicy = Objects.requireNonNull(p, "slowConsumerPolicy");
            return this;
        }

        /** Sets the spill's directory, disk budget and full policy ({@code o}); returns this builder. */
        public Builder spillOptions(SpillOptions o) {
            this.spillOptions = Objects.requireNonNull(o, "spillOptions");
            return this;
        }

        /** Sets the period of {@code REPLCONF ACK}, positive ({@code d}); returns this builder. */
        public Builder ackInterval(Duration d) {
            this.ackInterval = positive(d);
            return this;
        }

        /** Sets also ACK once this many entries were applied, at least 1 ({@code n}); returns this builder. */
        public Builder ackEveryEntries(int n) {
            this.ackEveryEntries = atLeastOne(n, "ackEveryEntries");
            return this;
        }

        /** Sets most sink stages outstanding per flow, at least 1 ({@code n}); returns this builder. */
        public Builder maxInFlightPerFlow(int n) {
            this.maxInFlightPerFlow = atLeastOne(n, "maxInFlightPerFlow");
            return this;
        }

        /** Sets whether a broken session is retried ({@code r}); returns this builder. */
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

        /** Sets reconnect attempts before giving up, 0 or more, or -1 for no limit; returns this builder. */
        public Builder maxReconnectAttempts(int n) {
            if (n < -1) {
                throw new IllegalArgumentException("maxReconnectAttempts must be -1 (no limit) or more: " + n);
            }
            this.maxReconnectAttempts = n;
            return this;
        }

        /** Sets the wait between attempts while the master answers {@code -LOADING}, positive; returns this builder. */
        public Builder loadingRetryDelay(Duration d) {
            this.loadingRetryDelay = positive(d);
            return this;
        }

        /** Sets whether a disagreeing LSN record ends the session ({@code f}); returns this builder. */
        public Builder failOnLsnMismatch(boolean f) {
            this.failOnLsnMismatch = f;
            return this;
        }

        /** Sets whether to ask for partial syncs ({@code p}); returns this builder. */
        public Builder partialSync(boolean p) {
            this.partialSync = p;
            return this;
        }

        /** Sets how long {@code close()} waits for queued events to be applied, positive; returns this builder. */
        public Builder drainTimeout(Duration d) {
            this.drainTimeout = positive(d);
            return this;
        }

        /** Sets threads of the event loop group the replicator creates, at least 1; returns this builder. */
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

        /** @return the immutable options (a source is optional here; a replicator needs one) */
        public ReplicatorOptions build() {
            return new ReplicatorOptions(this);
        }

        private Builder copy() {
            try {
                return (Builder) super.clone(); // every field is immutable or a shared reference
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
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
