package io.df2redis.examples.cli;

import io.df2redis.replica.AuthenticationException;
import io.df2redis.replica.Checkpoint;
import io.df2redis.replica.FlowStats;
import io.df2redis.replica.FullSyncRestartException;
import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.ReplicationListener;
import io.df2redis.replica.ReplicationState;
import io.df2redis.replica.ReplicationStats;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.FullSyncTargetPolicy;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.SameServerException;
import io.df2redis.sink.redis.TargetAuthenticationException;
import io.df2redis.sink.redis.TargetNotEmptyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.df2redis.examples.cli.CliFormat.count;
import static io.df2redis.examples.cli.CliFormat.duration;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run of {@code replicate} or {@code migrate}: the {@link Preflight} checks (both sides answer
 * and accept the credentials, the target is not the source, what the target holds against the
 * {@link FullSyncTargetPolicy}; the source's key count for the progress percentage), then a
 * {@link Replicator} into a {@link RedisSink}, progress (full sync) and status (stable sync) on
 * stderr, and a clean stop on {@link #requestStop()} — which the JVM shutdown hook (SIGINT/SIGTERM)
 * calls, waiting until the replicator and the sink are closed and the summary is printed. A
 * {@code migrate} whose snapshot delivered fewer keys than the source held is a failure.
 *
 * <p>With a {@link RunCheckpoint} ({@code replicate --checkpoint}) the replicator keeps its position
 * there and the Redis sink names its target ({@link RedisSink#targetIdentity()}); the run says on stderr whether it
 * resumed (partial sync from the checkpoint's LSNs) or ran a full sync and why, and the summary
 * names the checkpoint saved after the final drain.
 *
 * <p>Pieces: the checks are {@link Preflight}'s, the progress and status lines
 * {@link ProgressDisplay}'s, the final summary {@link RunSummary}'s, the shutdown hook's
 * registration {@link ShutdownHooks}' and the number formats {@link CliFormat}'s. What is left
 * (a little over 400 lines) is one piece: the run's life cycle and the state the listener
 * records about it, which the start report and the failure messages read together.
 *
 * <p>Threads: {@link #run()} on the command's thread; listener callbacks on the replicator's threads;
 * {@link ProgressDisplay#tick()} on {@code df2redis-progress}. The package-private fields the display
 * and the summary read are final, volatile or atomic; lines on stderr are serialised by the display.
 */
final class SyncRun {
    private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);

    /** Whether the run ends at stable sync ({@code migrate}) or follows the master until stopped. */
    enum Mode { MIGRATE, REPLICATE }

    final Mode mode;
    final ConnectionOptions conn;
    final SyncOptions opts;
    private final FullSyncTargetPolicy policy;
    private final boolean quiet;
    final PrintWriter out;
    final PrintWriter err;
    final boolean tty;
    final RunCheckpoint checkpoint;
    private final ProgressDisplay display = new ProgressDisplay(this);
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicInteger exitCode = new AtomicInteger(Df2RedisCli.FAILURE);
    final AtomicLong sessionErrors = new AtomicLong();
    final AtomicLong fullSyncs = new AtomicLong();
    volatile Replicator replicator;
    volatile RedisSink sink;
    private volatile Preflight.Outcome preflight;
    /** With a checkpoint: how the first session that synced started ("resumed …" / "full sync: …"), or null. */
    volatile String startReport;
    /** With a checkpoint: why the first session ran a full sync, or null. */
    private volatile String fullSyncReason;
    private final AtomicBoolean startReported = new AtomicBoolean();
    /** Whether the current session began a full sync (replicator threads). */
    private volatile boolean sessionFullSync;
    /** The message of a full-sync restart (a mixed FULL/PARTIAL answer), or null. */
    private volatile String restartMessage;
    volatile long sourceKeys = -1;
    private volatile long sourceKeysWithoutTtl = -1;
    /** Why a migrate that reached stable sync still failed (fewer keys than the source held), or null. */
    private volatile String incomplete;
    volatile long startNanos;
    volatile long fullSyncStartNanos;
    volatile long fullSyncEndNanos;
    volatile ReplicationStats snapshotStats;
    volatile String lastError;

    /**
     * @param policy what the full sync does with keys already in the target
     * @param quiet no progress, status or informational lines (warnings, errors and the summary only)
     * @param checkpoint the {@code --checkpoint} file of {@code replicate}, or null
     */
    SyncRun(Mode mode, ConnectionOptions conn, SyncOptions opts, FullSyncTargetPolicy policy, boolean quiet,
            PrintWriter out, PrintWriter err, boolean tty, RunCheckpoint checkpoint) {
        this.mode = mode;
        this.conn = conn;
        this.opts = opts;
        this.policy = policy;
        this.quiet = quiet;
        this.out = out;
        this.err = err;
        this.tty = tty;
        this.checkpoint = checkpoint;
    }

    /** Asks the run to stop (what SIGINT/SIGTERM do). Returns at once; idempotent. */
    void requestStop() {
        stop.countDown();
    }

    /** Waits until the run finished (replicator and sink closed, summary printed). */
    boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs to the end and returns the exit code. */
    int run() {
        conn.validate();
        Thread hook = new Thread(this::onShutdown, "df2redis-shutdown");
        boolean hooked = ShutdownHooks.add(hook);
        try {
            exitCode.set(execute());
            return exitCode.get();
        } finally {
            finished.countDown();
            if (hooked) {
                ShutdownHooks.remove(hook);
            }
        }
    }

    /** The {@code --on-conflict} policy (validated by the command against the target policy). */
    private io.df2redis.sink.redis.KeyConflictPolicy conflicts() {
        return opts.onConflict == null ? io.df2redis.sink.redis.KeyConflictPolicy.OVERWRITE : opts.onConflict;
    }

    private int execute() {
        startNanos = System.nanoTime();
        // built first (it connects only when used): a checkpoint kept in the target reads through it
        RedisSink s = opts.applyRateLimits(conn.sinkBuilder()).unsupportedDataPolicy(opts.unsupported)
                .fullSyncTargetPolicy(policy).keyConflictPolicy(conflicts()).build();
        sink = s;
        Integer early = null;
        try {
            if (checkpoint != null) {
                checkpoint.bind(s);
            }
            preflight();
            if (stop.getCount() == 0) {
                err.println("df2redis: stopped before replication started");
                early = mode == Mode.REPLICATE ? Df2RedisCli.OK : Df2RedisCli.FAILURE;
            } else if (checkpoint != null) {
                prepareCheckpoint();
            }
        } catch (CliException e) {
            err.println("df2redis: " + e.getMessage());
            err.flush();
            early = e.exitCode();
            lastError = e.getMessage();
        }
        if (early != null) {
            s.close();
            int code = early;
            SummaryJson.writeIfAsked(this, () -> SummaryJson.beforeStart(this, code));
            return early;
        }
        Replicator r;
        try {
            Replicator.Builder b = Replicator.builder().source(conn.sourceEndpoint()).listener(new Listener())
                    .options(o -> opts.applySpill(o, null)); // checked by the command already
            if (checkpoint != null) {
                b.ownedSink(s).checkpointStore(checkpoint);
            } else {
                b.ownedSink(s);
            }
            r = b.build();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        replicator = r;
        RunEndpoints endpoints;
        try {
            endpoints = RunEndpoints.start(this, r, s, quiet, err);
        } catch (CliException e) {
            r.close();
            err.println("df2redis: " + e.getMessage());
            return e.exitCode();
        }
        ScheduledExecutorService progress = null;
        boolean reached = false;
        try {
            r.start();
            if (!opts.noProgress && !quiet) {
                progress = Executors.newSingleThreadScheduledExecutor(task -> {
                    Thread t = new Thread(task, "df2redis-progress");
                    t.setDaemon(true);
                    return t;
                });
                long period = tty ? Math.min(500, opts.statusInterval.toMillis()) : opts.statusInterval.toMillis();
                progress.scheduleAtFixedRate(display::tick, period, period, TimeUnit.MILLISECONDS);
            }
            reached = mode == Mode.MIGRATE ? awaitSnapshot(r) : awaitStop(r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ReplicationException e) {
            LOG.debug("replication ended", e);
        } finally {
            if (progress != null) {
                progress.shutdownNow();
                try {
                    progress.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            snapshotStats = r.stats();
            close(r);
            endpoints.close();
        }
        display.endLine();
        ReplicationException failure = r.failure();
        int code;
        if (failure instanceof TargetNotEmptyException t) {
            String why = fullSyncReason;
            String before = why != null ? "a full sync was needed: " + why + ". But "
                    : checkpoint != null && startReport != null ? "this run resumed from the checkpoint, then needed a "
                    + "full sync (see the log lines above for why). But " : "";
            err.println("df2redis: " + before + "the "
                    + t.target() + " holds keys in the dbs the full sync writes: "
                    + Preflight.describe(new java.util.TreeMap<>(t.keysByDb())) + ". Nothing was written there. Choose "
                    + "--target-policy flush (delete them first) or --target-policy upsert (keep them)");
            code = Df2RedisCli.USAGE;
        } else if (failure instanceof SameServerException) {
            err.println("df2redis: " + failure.getMessage().replace("point the sink at", "point --target at"));
            code = Df2RedisCli.USAGE;
        } else if (failure != null) {
            err.println("df2redis: replication failed: " + failure.getMessage());
            code = failure instanceof AuthenticationException || failure instanceof TargetAuthenticationException
                    ? Df2RedisCli.CONNECT : Df2RedisCli.FAILURE;
        } else if (mode == Mode.MIGRATE && !reached) {
            err.println("df2redis: stopped before the target held the snapshot");
            code = Df2RedisCli.FAILURE;
        } else if (mode == Mode.MIGRATE && (incomplete = incompleteSnapshot()) != null) {
            err.println("df2redis: " + incomplete);
            code = Df2RedisCli.FAILURE;
        } else {
            code = Df2RedisCli.OK;
        }
        RunSummary.print(this, r, s, code);
        SummaryJson.writeIfAsked(this, () -> SummaryJson.of(this, r, s, code));
        return code;
    }

    /**
     * Why the snapshot cannot be the source's whole keyspace, or null: it delivered fewer keys than
     * the source held without a TTL at the start (keys with a TTL may expire meanwhile). Keys the
     * target cannot hold count as delivered: they are reported as skipped.
     */
    private String incompleteSnapshot() {
        ReplicationStats st = snapshotStats;
        if (st == null || sourceKeysWithoutTtl < 0) {
            return null;
        }
        long delivered = st.flows().stream().mapToLong(FlowStats::entries).sum();
        if (delivered >= sourceKeysWithoutTtl) {
            return null;
        }
        return "migrate incomplete: the snapshot delivered " + count(delivered) + " keys but the source held "
                + count(sourceKeys) + " (" + count(sourceKeysWithoutTtl) + " without a TTL) when the run started. "
                + "Keys deleted on the source meanwhile explain a difference; anything else was not copied. Compare "
                + "the two sides with 'df2redis verify'";
    }

    /**
     * Closes the replicator (and so the sink): after a stop it drains what was received and sends the
     * last ACKs; after a failure nothing more can be applied, so it is not waited for long.
     */
    private static void close(Replicator r) {
        if (r.failure() == null) {
            r.close();
            return;
        }
        try {
            r.closeAsync().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.debug("closing the failed replicator", e);
        }
    }

    /** Until the replicator reached stable sync: every snapshot write confirmed by the target. */
    private boolean awaitSnapshot(Replicator r) throws InterruptedException {
        while (true) {
            if (r.awaitStableSync(Duration.ofMillis(200))) {
                return true;
            }
            if (stop.getCount() == 0) {
                return false;
            }
        }
    }

    /** Until a stop is requested (then true) or the replicator failed for good (false). */
    private boolean awaitStop(Replicator r) throws InterruptedException {
        while (!stop.await(200, TimeUnit.MILLISECONDS)) {
            if (r.state() == ReplicationState.FAILED) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ preflight

    /** The {@link Preflight} checks; announces the run on stderr unless quiet. */
    private void preflight() {
        Preflight.Outcome o = new Preflight(conn, conn.sinkBuilder(), policy, conflicts(), err, quiet, checkpoint).run();
        preflight = o;
        sourceKeys = o.sourceKeys();
        sourceKeysWithoutTtl = o.sourceKeysWithoutTtl();
        if (!opts.noProgress && !quiet) {
            err.println("df2redis " + mode.name().toLowerCase(Locale.ROOT) + ": " + conn.describe()
                    + (sourceKeys >= 0 ? "; the source holds " + count(sourceKeys) + " keys" : ""));
            err.flush();
        }
    }

    // ------------------------------------------------------------------ checkpoint

    /**
     * After the pre-flight checks passed (so that a refused run keeps its checkpoint):
     * {@code --fresh} removes the checkpoint; a checkpoint the checks set aside is announced (a full
     * sync follows). Both are printed even with {@code --quiet}.
     */
    private void prepareCheckpoint() {
        if (checkpoint.fresh()) {
            boolean removed = checkpoint.clearForFresh();
            if (removed || !quiet) { // a removal is always announced
                err.println("df2redis: --fresh: " + (removed ? "removed the checkpoint " + checkpoint.where()
                        : "there was no checkpoint in " + checkpoint.where()) + "; a full sync follows (--target-policy "
                        + SyncOptions.optionValue(policy) + ")");
                err.flush();
            }
        } else if (checkpoint.setAsideReason() != null) {
            err.println("df2redis: the checkpoint " + checkpoint.where() + " is not used: "
                    + checkpoint.setAsideReason() + "; a full sync follows");
            err.flush();
        }
    }

    /**
     * With a checkpoint, once: how the run started — resumed with a partial sync from the
     * checkpoint's LSNs, or a full sync and why (replicator thread).
     *
     * @param master the master of the full sync, or null for a partial sync
     */
    private void reportStart(MasterInfo master) {
        if (checkpoint == null || !startReported.compareAndSet(false, true)) {
            return;
        }
        if (master == null) {
            Checkpoint c = checkpoint.initial().orElse(null);
            String from = c == null ? "" : " from next LSNs " + ResumeCheck.lsns(c);
            startReport = "partial sync" + from + " (resumed from the checkpoint; no full sync)";
            if (!quiet) {
                display.announce("df2redis: resumed from the checkpoint " + checkpoint.where() + ": partial sync" + from
                        + "; no full sync, the target keeps its keys");
            }
            return;
        }
        String why = fullSyncReason(master);
        fullSyncReason = why;
        startReport = "full sync: " + why;
        if (!quiet || checkpoint.initial().isPresent()) {
            display.announce("df2redis: full sync: " + why);
        }
    }

    /** Why the first session runs a full sync although there is a checkpoint option. */
    private String fullSyncReason(MasterInfo m) {
        Preflight.Outcome o = preflight;
        if (o != null && o.fullSyncCause() != null) {
            return o.fullSyncCause();
        }
        Checkpoint c = checkpoint.initial().orElse(null);
        if (c == null) {
            return "there is no checkpoint in " + checkpoint.where();
        }
        RedisSink is = sink;
        String id = is == null ? null : is.targetIdentity().orElse(null);
        String why = ResumeCheck.whyNot(c, m.masterId(), m.flowCount(), m.release(),
                id == null ? null : Optional.of(id));
        if (why != null) {
            return "the checkpoint " + checkpoint.where() + " cannot be resumed: " + why;
        }
        String restart = restartMessage;
        if (restart != null) {
            return restart;
        }
        String refusal = is == null ? null : is.resumeRefusal().orElse(null);
        if (refusal != null) {
            return "the checkpoint " + checkpoint.where() + " cannot be resumed: " + refusal;
        }
        // every condition the replicator checks before asking held: it asked, and the source said FULL
        return "the source answered FULL to the partial sync from the checkpoint " + checkpoint.where() + " (next LSNs "
                + ResumeCheck.lsns(c) + "): it no longer holds those positions in its backlog "
                + "(Dragonfly's --shard_repl_backlog_len)";
    }

    // ------------------------------------------------------------------ progress and status

    private final class Listener implements ReplicationListener {
        @Override
        public void onHandshake(MasterInfo master) {
            sessionFullSync = false;
        }

        @Override
        public void onFullSyncStart(MasterInfo master) {
            sessionFullSync = true;
            fullSyncs.incrementAndGet();
            fullSyncStartNanos = System.nanoTime();
            fullSyncEndNanos = 0;
            display.fullSyncStarted();
            reportStart(master);
        }

        @Override
        public void onStateChange(ReplicationState from, ReplicationState to) {
            if (to == ReplicationState.STABLE_SYNC && fullSyncEndNanos == 0) {
                fullSyncEndNanos = System.nanoTime();
            }
            if (to == ReplicationState.STABLE_SYNC && !sessionFullSync) {
                reportStart(null);
            }
        }

        @Override
        public void onError(ReplicationException error) {
            sessionErrors.incrementAndGet();
            lastError = error.getMessage();
            if (error instanceof FullSyncRestartException) {
                restartMessage = error.getMessage();
            }
        }
    }

    // ------------------------------------------------------------------ shutdown hook

    private void onShutdown() {
        requestStop();
        try {
            Duration wait = replicator == null ? Duration.ofSeconds(30)
                    : replicator.options().drainTimeout().plusSeconds(30);
            if (!awaitFinished(wait)) {
                err.println("df2redis: did not stop within " + duration(wait.toMillis()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.flush();
        err.flush();
        if (Df2RedisCli.isProcess() && finished.getCount() == 0) {
            // a requested stop is a success: keep the run's exit code rather than the signal's
            Runtime.getRuntime().halt(exitCode.get());
        }
    }
}
