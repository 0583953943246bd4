package io.df2redis.replica;

import io.df2redis.replica.internal.Checkpointer;
import io.df2redis.replica.internal.HandlerGuard;
import io.df2redis.replica.internal.HandlerRegistration;
import io.df2redis.replica.internal.Session;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Replicates one Dragonfly master: connects as a replica, pulls every shard's snapshot, then
 * follows every shard's journal until stopped, reconnecting when the session breaks. Events
 * go to the {@link ReplicationListener} and the {@link ReplicationSink}, per flow in stream
 * order, never on a network thread.
 *
 * <p>Failures of host code — listener callbacks, journal handlers, the sink — are handled by the
 * {@link HandlerFailurePolicy} of the options (default: stop in {@link ReplicationState#FAILED}
 * without acknowledging the failed entry). A broken connection to Dragonfly (or the sink's
 * {@link ConnectionException}) ends the session; the replicator then reconnects after
 * {@link ReplicatorOptions#reconnectDelay(int)}, which doubles with every attempt up to
 * {@link ReplicatorOptions#maxReconnectDelay()} and starts over once a session made progress in
 * stable sync. Errors that a new session cannot fix (bad credentials, a certificate that is
 * refused, a master that is not Dragonfly) stop the replicator at once and are reported once.
 *
 * <p>Without a {@link CheckpointStore} the position to resume from lives only in memory: a new
 * replicator starts with a full sync. With one ({@link Builder#checkpointStore}), the confirmed
 * position is saved as the store's contract describes, and the first session of a new replicator
 * asks the master for a partial sync from it when the master is the same (replication id and flow
 * count), its release supports it (v1.16 to v1.20 and v1.31 to v1.34, as an incremental snapshot
 * after {@code DFLY SYNC}; v1.35 and later, as the raw journal) and the sink's target is the same;
 * otherwise, or when the master answers FULL, a full sync follows, logged with the reason.
 *
 * <pre>{@code
 * try (Replicator r = Replicator.builder()
 *         .source(DragonflyEndpoint.of("dragonfly", 6379))
 *         .listener(myListener)
 *         .build()) {
 *     r.start();
 *     r.awaitStableSync(Duration.ofMinutes(10));
 *     ...
 * }
 * }</pre>
 *
 * <p>Threads. Thread-safe. The session loop runs on the replicator's own
 * {@code df2redis-supervisor} thread ({@link SessionSupervisor}); {@link #closeAsync()} runs on a
 * {@code df2redis-close} thread. Fields: the configuration fields are final; {@code session},
 * {@code master}, {@code failure} and {@code stopRequested} are volatile, written by the supervisor
 * (and {@code stopRequested} by the closing thread) and read by any thread; {@code supervisor} and
 * {@code closing} are guarded by {@code lock}; {@code state} is atomic; the sync futures complete
 * once, from the supervisor or an applier thread.
 *
 * <p>Length: over the usual 400 lines because of its nested, fully documented {@link Builder}
 * (public API as {@code Replicator.Builder}); the session loop lives in {@link SessionSupervisor}.
 *
 * <p>Why one class: the replicator's public face — its builder, lifecycle (start, await, stop,
 * close with the final drain) and the state every thread reads; the session loop, sessions,
 * checkpoints and handler guarding are their own classes.
 */
public final class Replicator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);

    final ReplicatorOptions options;
    final ReplicationListener listener;
    final ReplicationSink sink;
    private final boolean ownsSink;
    final List<HandlerRegistration> handlers;
    final HandlerGuard guard;
    final EventLoopGroup group;
    private final boolean ownsGroup;
    final Checkpointer checkpointer;
    private final AtomicReference<ReplicationState> state = new AtomicReference<>(ReplicationState.NEW);
    final CompletableFuture<Void> fullSync = new CompletableFuture<>();
    final CompletableFuture<Void> stableSync = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    final AtomicLong sessions = new AtomicLong();
    final AtomicLong fullSyncs = new AtomicLong();
    private final Object lock = new Object();
    volatile Session session;
    volatile MasterInfo master;
    private volatile ReplicationException failure;
    volatile boolean stopRequested;
    private volatile Thread supervisor;
    private CompletableFuture<Void> closing;

    private Replicator(Builder b, ReplicatorOptions options) {
        this.options = options;
        this.listener = b.listener != null ? b.listener : new ReplicationListener() {
        };
        this.sink = b.sink;
        this.ownsSink = b.ownsSink;
        this.handlers = List.copyOf(b.handlers);
        this.guard = new HandlerGuard(options.handlerFailurePolicy());
        this.checkpointer = options.checkpointStore()
                .map(st -> new Checkpointer(st, options.checkpointInterval(), Clock.systemUTC())).orElse(null);
        this.ownsGroup = b.group == null;
        this.group = b.group != null ? b.group
                : new NioEventLoopGroup(options.eventLoopThreads(), new DefaultThreadFactory("df2redis-io", true));
    }

    /** @return a new builder; set at least the source */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the settings */
    public ReplicatorOptions options() {
        return options;
    }

    /** Starts replicating in the background; returns at once. */
    public Replicator start() {
        synchronized (lock) {
            if (supervisor != null || closing != null) {
                throw new IllegalStateException("a replicator starts once (state " + state.get() + ")");
            }
            Thread t = new Thread(new SessionSupervisor(this)::run, "df2redis-supervisor");
            t.setDaemon(true);
            supervisor = t;
            t.start();
        }
        return this;
    }

    /** @return the current state */
    public ReplicationState state() {
        return state.get();
    }

    /** The error that stopped the replicator, when {@link #state()} is FAILED; else null. */
    public ReplicationException failure() {
        return failure;
    }

    /**
     * The checkpoint last read from or written to the {@link ReplicatorOptions#checkpointStore()}.
     *
     * @return the checkpoint, or empty without a store or before one was read or saved
     */
    public Optional<Checkpoint> lastCheckpoint() {
        return checkpointer == null ? Optional.empty() : checkpointer.last();
    }

    /** The master of the current or last session, or null before the first handshake. */
    public MasterInfo masterInfo() {
        return master;
    }

    /** @return progress figures: sessions, full syncs, per-flow positions, handler retries and dead letters */
    public ReplicationStats stats() {
        Session s = session;
        return new ReplicationStats(state.get(), sessions.get(), fullSyncs.get(), s == null ? List.of() : s.stats(),
                guard.retries(), guard.deadLetters(), guard.notificationFailures());
    }

    /**
     * Waits until every flow's snapshot was applied: listeners called and every sink stage of the
     * snapshot completed (for {@code RedisSink}: Redis confirmed every snapshot write).
     *
     * @return true when reached, false on timeout
     * @throws ReplicationException if the replicator failed or was stopped first
     */
    public boolean awaitFullSync(Duration timeout) throws InterruptedException {
        return await(fullSync, timeout);
    }

    /** Waits until every flow follows the journal (stable sync). Same contract as {@link #awaitFullSync}. */
    public boolean awaitStableSync(Duration timeout) throws InterruptedException {
        return await(stableSync, timeout);
    }

    private boolean await(CompletableFuture<Void> f, Duration timeout) throws InterruptedException {
        try {
            CompletableFuture.anyOf(f, terminated).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ReplicationException("unexpected", e.getCause());
        }
        if (f.isDone()) {
            return true;
        }
        if (failure != null) {
            throw failure;
        }
        throw new ReplicationException("the replicator was stopped");
    }

    /**
     * Stops: applies what was already received, sends the final ACKs, saves the final checkpoint (with
     * a {@link CheckpointStore}), closes every connection. Idempotent.
     */
    public void stop() {
        closeAsync().join();
    }

    /** The same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Stops asynchronously; the future completes once everything is closed. Idempotent. */
    public CompletableFuture<Void> closeAsync() {
        synchronized (lock) {
            if (closing != null) {
                return closing;
            }
            closing = new CompletableFuture<>();
        }
        stopRequested = true;
        Thread t = new Thread(() -> {
            try {
                ReplicationState before = state.get();
                if (before != ReplicationState.FAILED) {
                    setState(ReplicationState.STOPPING);
                }
                Session s = session;
                if (s != null) {
                    s.close(true);
                }
                Thread sup = supervisor;
                if (sup != null) {
                    sup.interrupt();
                    sup.join(options.drainTimeout().toMillis() + 5000);
                }
                if (checkpointer != null) {
                    checkpointer.stop();
                    Session last = session;
                    if (sup != null && sup.isAlive()) {
                        LOG.warn("close: the supervisor did not end; no final checkpoint");
                    } else if (last != null) {
                        checkpointer.save(last); // after the drain: the position covers everything applied
                    }
                }
                if (ownsSink && sink != null) {
                    try {
                        sink.close();
                    } catch (RuntimeException e) {
                        LOG.warn("sink close failed", e);
                    }
                }
                if (ownsGroup) {
                    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
                }
                if (state.get() != ReplicationState.FAILED) {
                    setState(ReplicationState.STOPPED);
                }
                terminated.complete(null);
                closing.complete(null);
            } catch (Throwable e) {
                terminated.complete(null);
                closing.completeExceptionally(e);
            }
        }, "df2redis-close");
        t.setDaemon(true);
        t.start();
        return closing;
    }

    /** Ends in FAILED with {@code e} (supervisor thread). */
    void fail(ReplicationException e) {
        failure = e;
        LOG.error("replication stopped: {}", e.getMessage());
        setState(ReplicationState.FAILED);
        terminated.complete(null);
    }

    /** Moves to {@code to} and tells the listener (supervisor or close thread). */
    void setState(ReplicationState to) {
        ReplicationState from = state.getAndSet(to);
        if (from != to) {
            LOG.info("state {} -> {}", from.name().toLowerCase(Locale.ROOT), to.name().toLowerCase(Locale.ROOT));
            guard.notify("onStateChange", () -> listener.onStateChange(from, to));
        }
    }

    /**
     * Builder of a {@link Replicator}. The order of the calls does not matter: the source set with
     * {@link #source} is used whatever {@link #options(ReplicatorOptions)} holds, and the changes of
     * {@link #options(Consumer)}, {@link #handlerFailurePolicy} and {@link #checkpointStore} are
     * applied, in call order, on top of the base options when {@link #build()} runs. Not thread-safe.
     */
    public static final class Builder {
        private DragonflyEndpoint source;
        private ReplicatorOptions base;
        private final List<Consumer<ReplicatorOptions.Builder>> changes = new ArrayList<>();
        private ReplicationListener listener;
        private ReplicationSink sink;
        private boolean ownsSink;
        private final List<HandlerRegistration> handlers = new ArrayList<>();
        private EventLoopGroup group;

        private Builder() {
        }

        /**
         * The master to replicate (required, unless the options of {@link #options(ReplicatorOptions)}
         * carry one); wins over the source of those options. The endpoint is kept apart from the
         * options: {@link ReplicatorOptions#builder()} makes options without one.
         *
         * @param endpoint the Dragonfly master
         * @return this builder
         */
        public Builder source(DragonflyEndpoint endpoint) {
            this.source = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /**
         * The master to replicate, by host and port (no password, no TLS).
         *
         * @param host the host name or IP
         * @param port the port
         * @return this builder
         */
        public Builder source(String host, int port) {
            return source(DragonflyEndpoint.of(host, port));
        }

        /**
         * The base settings (replaces an earlier base); changes made with {@link #options(Consumer)}
         * apply on top of them whatever the call order, and {@link #source} wins over their source.
         *
         * @param o the settings
         * @return this builder
         */
        public Builder options(ReplicatorOptions o) {
            this.base = Objects.requireNonNull(o, "options");
            return this;
        }

        /**
         * Adjusts settings: {@code b.options(o -> o.ackInterval(...))}.
         *
         * @param change applied to the options builder at {@link #build()}
         * @return this builder
         */
        public Builder options(Consumer<ReplicatorOptions.Builder> change) {
            changes.add(Objects.requireNonNull(change, "change"));
            return this;
        }

        /**
         * The listener (default: one that ignores every callback).
         *
         * @param l the listener
         * @return this builder
         */
        public Builder listener(ReplicationListener l) {
            this.listener = l;
            return this;
        }

        /**
         * The sink; the replicator does not close it.
         *
         * @param s the sink, or null for none
         * @return this builder
         */
        public Builder sink(ReplicationSink s) {
            this.sink = s;
            this.ownsSink = false;
            return this;
        }

        /**
         * The sink; closed with the replicator.
         *
         * @param s the sink
         * @return this builder
         */
        public Builder ownedSink(ReplicationSink s) {
            this.sink = s;
            this.ownsSink = true;
            return this;
        }

        /**
         * Runs {@code handler} for journal commands named {@code command} (case-insensitive). A
         * handler that throws is subject to the {@link HandlerFailurePolicy}.
         *
         * @param command the command name
         * @param handler the handler
         * @return this builder
         */
        public Builder onCommand(String command, JournalCommandHandler handler) {
            String name = command.toUpperCase(Locale.ROOT);
            handlers.add(new HandlerRegistration("onCommand(" + name + ")", e -> e.command().equals(name),
                    Objects.requireNonNull(handler, "handler")));
            return this;
        }

        /**
         * Runs {@code handler} for journal entries matching {@code selector}. A handler or selector
         * that throws is subject to the {@link HandlerFailurePolicy}.
         *
         * @param selector which entries
         * @param handler the handler
         * @return this builder
         */
        public Builder onJournal(Predicate<JournalEvent> selector, JournalCommandHandler handler) {
            handlers.add(new HandlerRegistration("onJournal#" + (handlers.size() + 1),
                    Objects.requireNonNull(selector, "selector"), Objects.requireNonNull(handler, "handler")));
            return this;
        }

        /**
         * What happens when a listener data callback, a journal handler or the sink fails
         * (shortcut for {@code options(o -> o.handlerFailurePolicy(policy))}; default
         * {@link HandlerFailurePolicy#fail()}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder handlerFailurePolicy(HandlerFailurePolicy policy) {
            Objects.requireNonNull(policy, "policy");
            return options(o -> o.handlerFailurePolicy(policy));
        }

        /**
         * Keeps checkpoints in {@code store}, so that a replicator started later resumes with a
         * partial sync (shortcut for {@code options(o -> o.checkpointStore(store))}; default none).
         * The replicator neither closes nor clears it.
         *
         * @param store the store, e.g. a {@link FileCheckpointStore}, or null for none
         * @return this builder
         */
        public Builder checkpointStore(CheckpointStore store) {
            return options(o -> o.checkpointStore(store));
        }

        /**
         * Uses a host-owned event loop group (not shut down by the replicator).
         *
         * @param g the group
         * @return this builder
         */
        public Builder eventLoopGroup(EventLoopGroup g) {
            this.group = g;
            return this;
        }

        /**
         * Builds the replicator (not started).
         *
         * @return the replicator
         * @throws IllegalStateException when no source is set
         * @throws IllegalArgumentException when a change of the options is invalid
         */
        public Replicator build() {
            ReplicatorOptions.Builder b = base != null ? base.mutate() : ReplicatorOptions.builder();
            if (source != null) {
                b.source(source);
            }
            changes.forEach(c -> c.accept(b));
            ReplicatorOptions o = b.build();
            if (o.source() == null) {
                throw new IllegalStateException("source is required: call source(...)");
            }
            return new Replicator(this, o);
        }
    }
}
