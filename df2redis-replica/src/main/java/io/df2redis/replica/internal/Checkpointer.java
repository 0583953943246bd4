package io.df2redis.replica.internal;

import io.df2redis.replica.Checkpoint;
import io.df2redis.replica.CheckpointStore;
import io.df2redis.replica.CheckpointStoreException;
import io.df2redis.replica.MasterInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A replicator's use of its {@link CheckpointStore}: reads the checkpoint to resume from, saves the
 * confirmed position on a timer, at the end of a session and at stop, and a checkpoint without LSNs
 * before a full sync starts.
 *
 * <p>Thread ownership. {@link #load} runs on the supervisor thread before the first session;
 * {@link #start} on the supervisor thread after it; the timer task on this class's own
 * {@code df2redis-checkpoint} thread (never a Netty event loop: a save may fsync); {@link #save} on
 * the supervisor (session end), the close thread (final save) or the timer; {@link #fullSyncStarting}
 * on the supervisor. Every store call and {@code failing} are guarded by {@code lock} ({@code last}
 * is written under it and read by any thread),
 * so the store is never called concurrently and saves happen in the order their positions were read:
 * a position read from an older session can never be written after the checkpoint of a full sync
 * that started later. {@code timer} is guarded by {@code lock} too.
 */
public final class Checkpointer {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    private final CheckpointStore store;
    private final Duration interval;
    private final Clock clock;
    private final Object lock = new Object();
    // written under lock, read by any thread
    private volatile Checkpoint last;
    // guarded by lock
    private String failing;
    private ScheduledExecutorService timer;
    private boolean stopped;

    /**
     * @param store the store
     * @param interval the period of the timer
     * @param clock the clock giving {@link Checkpoint#savedAt()}
     */
    public Checkpointer(CheckpointStore store, Duration interval, Clock clock) {
        this.store = store;
        this.interval = interval;
        this.clock = clock;
    }

    /**
     * Reads the store (supervisor thread) and turns its checkpoint into the position the first
     * session resumes from, logging what it found.
     *
     * @return the position, or null when there is none to resume from (a full sync follows)
     * @throws CheckpointStoreException when the store cannot be read
     */
    public ResumePosition load() {
        Optional<Checkpoint> found;
        synchronized (lock) {
            try {
                found = store.load();
            } catch (CheckpointStoreException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new CheckpointStoreException("could not read the checkpoint from " + store + ": " + e, e);
            }
            last = found == null ? null : found.orElse(null);
        }
        Checkpoint c = last;
        if (c == null) {
            LOG.info("no checkpoint in {}: the first session does a full sync", store);
            return null;
        }
        if (!c.resumable()) {
            LOG.warn("the checkpoint in {} was saved when a full sync started ({}): the target may hold an incomplete "
                    + "snapshot, so a full sync follows", store, c);
            return null;
        }
        LOG.info("resuming from {} in {}", c, store);
        return new ResumePosition(c.masterId(), c.flowCount(), c.nextLsnArray(), c.targetIdentity(),
                "the checkpoint saved at " + c.savedAt() + " in " + store);
    }

    /**
     * Starts saving the position of the session {@code current} supplies every interval.
     *
     * @param current the current session (or null)
     */
    public void start(Supplier<Session> current) {
        synchronized (lock) {
            if (stopped || timer != null) {
                return;
            }
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "df2redis-checkpoint");
                t.setDaemon(true);
                return t;
            });
            long ms = interval.toMillis();
            timer.scheduleWithFixedDelay(() -> {
                Session s = current.get();
                if (s != null) {
                    save(s);
                }
            }, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Saves the confirmed position of {@code s} if it has one and it changed. A position is only
     * there when every flow is in stable sync or it is a partial sync (never during a full sync). A
     * failure is logged at WARN (the previous checkpoint stays: more is delivered again after a
     * restart) and does not stop replication.
     *
     * @param s the session
     */
    public void save(Session s) {
        synchronized (lock) {
            MasterInfo m = s.master();
            ResumePosition r = s.resumeState();
            if (m == null || r == null || r.nextLsns() == null || !r.masterId().equals(m.masterId())
                    || r.flows() != m.flowCount()) {
                return;
            }
            Checkpoint c = Checkpoint.of(m, r.nextLsns(), r.target(), clock.instant());
            if (c.samePosition(last)) {
                return;
            }
            try {
                store.save(c);
                last = c;
                if (failing != null) {
                    LOG.info("checkpoints are saved to {} again", store);
                    failing = null;
                }
                LOG.debug("checkpoint saved: {}", c);
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    // the replicator is closing (its close thread interrupted this save): the final save
                    // after the drain follows, and the store kept its previous checkpoint
                    LOG.debug("checkpoint save interrupted by close; the final save follows: {}", e.toString());
                    return;
                }
                String msg = String.valueOf(e.getMessage());
                if (!msg.equals(failing)) {
                    LOG.warn("could not save the checkpoint (next LSNs {}) to {}: {}; the previous checkpoint stays, "
                            + "so a restart delivers more entries again", Arrays.toString(r.nextLsns()), store, msg);
                }
                failing = msg;
            }
        }
    }

    /**
     * A full sync is about to start (supervisor thread, before the sink empties its target): saves a
     * checkpoint without LSNs, so that a restart during the full sync does a full sync again.
     *
     * @param m the master
     * @param target the sink's target identity
     * @throws CheckpointStoreException when it could not be saved: the full sync must not start
     */
    public void fullSyncStarting(MasterInfo m, Optional<String> target) {
        synchronized (lock) {
            Checkpoint c = Checkpoint.fullSyncInProgress(m, target, clock.instant());
            if (c.samePosition(last)) {
                return;
            }
            try {
                store.save(c);
            } catch (RuntimeException e) {
                throw new CheckpointStoreException("could not record in " + store + " that a full sync starts ("
                        + e.getMessage() + "): the full sync does not start, since a restart could otherwise resume "
                        + "over an incomplete target; fix the checkpoint store and start again", e);
            }
            last = c;
            LOG.info("full sync starts: checkpoint without LSNs saved to {}", store);
        }
    }

    /** Stops the timer and waits for a save in progress (close thread). Idempotent. */
    public void stop() {
        ScheduledExecutorService t;
        synchronized (lock) {
            stopped = true;
            t = timer;
            timer = null;
        }
        if (t != null) {
            t.shutdown();
            try {
                if (!t.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("a checkpoint save did not end within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return whether the store is kept atomically with the target ({@link CheckpointStore#exact()}) */
    public boolean exact() {
        return store.exact();
    }

    /** @return the checkpoint last loaded or saved, or empty */
    public Optional<Checkpoint> last() {
        return Optional.ofNullable(last);
    }
}
