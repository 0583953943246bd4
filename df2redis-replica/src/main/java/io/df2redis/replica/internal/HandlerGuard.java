package io.df2redis.replica.internal;

import io.df2redis.protocol.Futures;
import io.df2redis.replica.ConnectionException;
import io.df2redis.replica.HandlerException;
import io.df2redis.replica.HandlerFailure;
import io.df2redis.replica.HandlerFailurePolicy;
import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.SinkEvent;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs host code (listener callbacks, journal handlers, the sink) under the replicator's
 * {@link HandlerFailurePolicy}, and the informational listener callbacks under "log and ignore".
 * One instance per replicator; its counters span sessions.
 *
 * <p>Threads: called from flow applier threads and the supervisor thread, concurrently; the only
 * state is the immutable policy and atomic counters. Retries sleep on the calling thread, which
 * is never a Netty event loop (checked).
 */
public final class HandlerGuard {
    private static final Logger LOG = LoggerFactory.getLogger(HandlerGuard.class);

    private final HandlerFailurePolicy policy;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong notificationFailures = new AtomicLong();

    public HandlerGuard(HandlerFailurePolicy policy) {
        this.policy = policy;
    }

    public HandlerFailurePolicy policy() {
        return policy;
    }

    /** Calls of failed host code that were retried in place. */
    public long retries() {
        return retries.get();
    }

    /** Failures handed to the dead-letter handler. */
    public long deadLetters() {
        return deadLetters.get();
    }

    /** Exceptions of informational callbacks, ignored. */
    public long notificationFailures() {
        return notificationFailures.get();
    }

    /**
     * Runs {@code body} under the policy.
     *
     * @param stopping true once the session is ending: a failure then is not the host's to handle
     *     and propagates as a plain {@link ReplicationException}
     * @return what {@code body} returned, or {@code skipped} when the failure was dead-lettered
     * @throws HandlerException when the policy gives up
     * @throws ReplicationException the sink's own typed exception as it is (a lost connection, a
     *     refused target …): a sink's verdict, not a handler failure
     * @throws InterruptedException when interrupted during a back-off
     */
    <T> T call(HandlerFailure.Kind kind, String callback, int flow, long lsn, Supplier<String> subject,
               SinkEvent event, Supplier<T> body, T skipped, BooleanSupplier stopping) throws InterruptedException {
        return call(kind, callback, flow, lsn, subject, event, body, skipped, stopping, true);
    }

    /**
     * {@link #call} where {@code skippable = false} turns the skip policy into fail for this
     * callback (e.g. the sink's {@code open}: nothing could be applied after skipping it).
     */
    <T> T call(HandlerFailure.Kind kind, String callback, int flow, long lsn, Supplier<String> subject,
               SinkEvent event, Supplier<T> body, T skipped, BooleanSupplier stopping, boolean skippable)
            throws InterruptedException {
        return callOn(kind, callback, flow, lsn, e -> subject.get(), event, e -> body.get(), skipped, stopping,
                skippable);
    }

    /**
     * {@link #call} with the event as the argument of {@code subject} and {@code body}: with
     * non-capturing functions nothing is allocated per call (the applier's per-event sink call).
     */
    <T> T callOn(HandlerFailure.Kind kind, String callback, int flow, long lsn, Function<SinkEvent, String> subject,
                 SinkEvent event, Function<SinkEvent, T> body, T skipped, BooleanSupplier stopping, boolean skippable)
            throws InterruptedException {
        int attempt = 1;
        while (true) {
            try {
                return body.apply(event);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (RuntimeException | Error e) {
                Throwable cause = Futures.unwrap(e);
                if (stopping.getAsBoolean()) {
                    throw new ReplicationException("session ending: " + callback + " failed: " + cause, cause);
                }
                if (kind == HandlerFailure.Kind.SINK && cause instanceof ReplicationException re) {
                    // the sink's own typed verdict (a lost connection, a refused target, unsupported data
                    // under its FAIL policy …): not a bug in host code, so as it is — a retryable one ends
                    // the session and reconnects, any other stops the replicator with it
                    throw re;
                }
                HandlerFailure f = new HandlerFailure(kind, callback, flow, lsn, subject.apply(event), event, cause, attempt);
                switch (policy.action()) {
                    case SKIP:
                        if (!skippable) {
                            throw new HandlerException(f);
                        }
                        deadLetter(f);
                        return skipped;
                    case RETRY:
                        if (attempt >= policy.maxAttempts() || notRetryable(cause)) {
                            throw new HandlerException(f);
                        }
                        Duration d = policy.backoff(attempt);
                        retries.incrementAndGet();
                        LOG.warn("{}; retrying (call {} of {}) in {} ms", f, attempt + 1, policy.maxAttempts(),
                                d.toMillis());
                        sleep(d);
                        attempt++;
                        continue;
                    default:
                        throw new HandlerException(f);
                }
            }
        }
    }

    /** {@link #call} for a callback without a result; returns false when it was skipped. */
    boolean run(HandlerFailure.Kind kind, String callback, int flow, long lsn, Supplier<String> subject,
                SinkEvent event, Runnable body, BooleanSupplier stopping) throws InterruptedException {
        return call(kind, callback, flow, lsn, subject, event, () -> {
            body.run();
            return Boolean.TRUE;
        }, Boolean.FALSE, stopping);
    }

    /**
     * A sink stage failed after {@code apply} returned (later events may be with the sink already,
     * so it cannot be retried alone in place). Returns normally when the failure was dead-lettered
     * (the event then counts as applied); otherwise throws what ends the session: the sink's
     * {@link ConnectionException}, a final {@link HandlerException}, or (retry policy) a retryable
     * one that makes the replicator start a new session from the last applied entry.
     */
    void stageFailed(int flow, long lsn, SinkEvent event, Throwable error, BooleanSupplier stopping) {
        Throwable cause = Futures.unwrap(error);
        if (stopping.getAsBoolean()) {
            throw new ReplicationException("session ending: a sink stage failed: " + cause, cause);
        }
        if (cause instanceof ReplicationException re) {
            throw re; // the sink's own typed verdict, as in call()
        }
        HandlerFailure f = new HandlerFailure(HandlerFailure.Kind.SINK, "ReplicationSink.apply", flow, lsn,
                HandlerFailure.describe(event), event, cause, 1);
        switch (policy.action()) {
            case SKIP:
                deadLetter(f);
                return;
            case RETRY:
                throw new HandlerException(f, policy.maxAttempts() > 1 && !notRetryable(cause));
            default:
                throw new HandlerException(f);
        }
    }

    /**
     * Runs an informational callback: an exception is logged at WARN, counted and ignored (the
     * replicator's course never depends on a notification).
     */
    public void notify(String callback, Runnable body) {
        try {
            body.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            notificationFailures.incrementAndGet();
            LOG.warn("ReplicationListener.{} threw; ignored (informational callbacks do not affect replication)",
                    callback, e);
        }
    }

    private void deadLetter(HandlerFailure f) {
        deadLetters.incrementAndGet();
        LOG.warn("{}; skipped by the handler-failure policy and handed to the dead-letter handler", f, f.cause());
        try {
            policy.deadLetterHandler().onDeadLetter(f);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            e.addSuppressed(f.cause());
            throw new HandlerException(new HandlerFailure(f.kind(), "DeadLetterHandler (for " + f.callback() + ")",
                    f.flow(), f.lsn(), f.subject(), f.event(), e, 1));
        }
    }

    private static boolean notRetryable(Throwable cause) {
        return cause instanceof ReplicationException re && !re.isRetryable();
    }

    /** Sleeps a back-off; never on a Netty event loop (a bug if it ever were). */
    static void sleep(Duration d) throws InterruptedException {
        if (Thread.currentThread() instanceof FastThreadLocalThread) {
            throw new IllegalStateException("a handler retry must not sleep on a Netty event loop thread ("
                    + Thread.currentThread().getName() + ")");
        }
        Thread.sleep(d.toMillis());
    }
}
