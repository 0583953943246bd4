package io.df2redis.replica;

import io.df2redis.replica.internal.ResumePosition;
import io.df2redis.replica.internal.Session;
import io.df2redis.replica.internal.SessionHost;
import io.df2redis.replica.internal.SessionStopped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * The supervisor of a {@link Replicator}: runs one {@link Session} after the other on the
 * replicator's {@code df2redis-supervisor} thread, reports each session's end and decides what
 * follows: a reconnect with back-off, a new session for the retry policy of a failed handler, a
 * full-sync restart, or the end in {@link ReplicationState#FAILED}.
 *
 * <p>Thread ownership: the local state of {@link #run()} (attempt counters, the resume position)
 * belongs to the supervisor thread; what it shares with the replicator lives in the replicator's
 * volatile fields and futures ({@code session}, {@code master}, {@code stopRequested}, the
 * sync futures).
 */
final class SessionSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(SessionSupervisor.class);

    private final Replicator r;

    SessionSupervisor(Replicator r) {
        this.r = r;
    }

    /** The supervisor thread's body. */
    void run() {
        int attempt = 0; // consecutive failed sessions since the last one that made progress
        HandlerFailure lastHandlerFailure = null;
        int handlerAttempts = 0; // sessions ended by the same asynchronous sink failure (retry policy)
        ResumePosition resume = null;
        if (r.checkpointer != null) {
            try {
                resume = r.checkpointer.load();
            } catch (CheckpointStoreException e) {
                r.guard.notify("onError", () -> r.listener.onError(e));
                r.fail(e);
                return;
            }
            r.checkpointer.start(() -> r.session);
        }
        boolean first = true;
        while (!r.stopRequested) {
            if (!first && r.checkpointer != null && r.checkpointer.exact()) {
                // the store is the target's own position: it, not memory, says what was applied
                try {
                    resume = r.checkpointer.load();
                } catch (CheckpointStoreException e) {
                    attempt++;
                    LOG.warn("could not read the checkpoint before reconnecting: {}", e.getMessage());
                    r.guard.notify("onError", () -> r.listener.onError(e));
                    if (r.options.maxReconnectAttempts() >= 0 && attempt > r.options.maxReconnectAttempts()) {
                        r.fail(e);
                        return;
                    }
                    if (!pause(attempt, r.options.reconnectDelay(attempt).toMillis(), e)) {
                        break;
                    }
                    continue;
                }
            }
            first = false;
            r.sessions.incrementAndGet();
            Session s = new Session(r.options, r.group, r.listener, r.sink, r.handlers, r.guard, resume,
                    new SessionHost() {
                @Override
                public void state(ReplicationState st) {
                    r.setState(st);
                }

                @Override
                public void handshake(MasterInfo m) {
                    r.master = m;
                }

                @Override
                public void fullSyncStarted(MasterInfo m, Optional<String> targetIdentity) {
                    r.fullSyncs.incrementAndGet();
                    if (r.checkpointer != null) {
                        r.checkpointer.fullSyncStarting(m, targetIdentity);
                    }
                }

                @Override
                public void fullSyncApplied() {
                    r.fullSync.complete(null);
                }

                @Override
                public void stableReached() {
                    r.fullSync.complete(null);
                    r.stableSync.complete(null);
                    if (r.checkpointer != null && r.session != null) {
                        // at once, not at the next tick: until then a restart would need a full sync again
                        r.checkpointer.save(r.session);
                    }
                }
            });
            r.session = s;
            try {
                if (r.stopRequested) {
                    break;
                }
                s.run();
            } catch (SessionStopped e) {
                break;
            } catch (ReplicationException e) {
                s.close(false); // first: settles the r.sink's outstanding writes, so the applied LSNs are final
                resume = e instanceof FullSyncRestartException ? null : s.resumeState();
                if (r.checkpointer != null) {
                    r.checkpointer.save(s); // only a confirmed position of a r.session in stable (or partial) sync
                }
                if (r.stopRequested) {
                    break;
                }
                if (s.madeProgress()) {
                    attempt = 0;
                }
                if (e instanceof HandlerException he && he.isRetryable()) {
                    // retry policy, r.sink stage failed after later events were handed over: new r.session
                    HandlerFailure f = he.failure();
                    handlerAttempts = sameEvent(f, lastHandlerFailure) ? handlerAttempts + 1 : 1;
                    lastHandlerFailure = f;
                    HandlerFailurePolicy policy = r.options.handlerFailurePolicy();
                    if (handlerAttempts >= policy.maxAttempts()) {
                        HandlerException last = new HandlerException(new HandlerFailure(f.kind(), f.callback(),
                                f.flow(), f.lsn(), f.subject(), f.event(), f.cause(), handlerAttempts));
                        r.guard.notify("onError", () -> r.listener.onError(last));
                        r.fail(last);
                        return;
                    }
                    long d = policy.backoff(handlerAttempts).toMillis();
                    LOG.warn("{}; new r.session in {} ms (call {} of {})", e.getMessage(), d, handlerAttempts + 1,
                            policy.maxAttempts());
                    r.guard.notify("onError", () -> r.listener.onError(e));
                    if (!pause(handlerAttempts, d, e)) {
                        break;
                    }
                    continue;
                }
                r.guard.notify("onError", () -> r.listener.onError(e));
                boolean restart = e instanceof FullSyncRestartException;
                if (!e.isRetryable() || !r.options.reconnect()
                        || (!restart && r.options.maxReconnectAttempts() >= 0
                        && attempt >= r.options.maxReconnectAttempts())) {
                    r.fail(e);
                    return;
                }
                LOG.warn("replication r.session failed: {}", e.getMessage());
                long d;
                int a;
                if (restart) {
                    a = attempt + 1;
                    d = 0; // as Dragonfly's replica: a new full sync at once, not counted as a failed attempt
                } else {
                    attempt++;
                    a = attempt;
                    d = r.options.reconnectDelay(attempt).toMillis();
                }
                if (!pause(a, d, e)) {
                    break;
                }
            } catch (RuntimeException e) {
                s.close(false);
                if (r.checkpointer != null) {
                    r.checkpointer.save(s);
                }
                ReplicationException re = new ReplicationException("unexpected error in the replicator: " + e, e) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public boolean isRetryable() {
                        return false;
                    }
                };
                r.guard.notify("onError", () -> r.listener.onError(re));
                r.fail(re);
                return;
            }
        }
    }

    /** Reports a reconnect and waits for it; false when interrupted (stopping). */
    private boolean pause(int attempt, long delayMillis, ReplicationException cause) {
        r.setState(ReplicationState.RECONNECTING);
        r.guard.notify("onReconnect", () -> r.listener.onReconnect(attempt, Duration.ofMillis(delayMillis), cause));
        if (delayMillis > 0) {
            LOG.info("reconnect attempt {} in {} ms", attempt, delayMillis);
        }
        try {
            Thread.sleep(delayMillis);
            return !r.stopRequested;
        } catch (InterruptedException ie) {
            return false;
        }
    }

    private static boolean sameEvent(HandlerFailure a, HandlerFailure b) {
        return b != null && a.flow() == b.flow() && a.lsn() == b.lsn() && a.subject().equals(b.subject())
                && a.callback().equals(b.callback());
    }
}
