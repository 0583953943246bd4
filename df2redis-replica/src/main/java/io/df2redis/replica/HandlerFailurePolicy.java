package io.df2redis.replica;

import java.time.Duration;
import java.util.Objects;

/**
 * What the replicator does when host code it calls fails: a {@link ReplicationListener} data
 * callback, a {@link JournalCommandHandler} (or its selector), or the {@link ReplicationSink}
 * ({@code open}, {@code apply} throwing, or the stage it returned failing). One policy for all of
 * them; set it with {@link ReplicatorOptions.Builder#handlerFailurePolicy} (default
 * {@link #fail()}). Immutable.
 *
 * <ul>
 *   <li>{@link #fail()} — the replicator stops in {@link ReplicationState#FAILED} with a
 *       {@link HandlerException} ({@link Replicator#failure()}) naming the callback, the flow, the
 *       entry and the cause. The failed entry is not acknowledged: the flow's applied LSN, and so
 *       every {@code REPLCONF ACK}, stays before it. No reconnect.</li>
 *   <li>{@link #retry(Duration, Duration, int)} — the failing callback is called again for the same
 *       event, in place, after {@code initialBackoff}, doubling up to {@code maxBackoff}, until it
 *       succeeds or {@code maxAttempts} calls failed; then as {@link #fail()}. Retries run on the
 *       thread that called the callback (the flow's applier thread, or the supervisor for session
 *       callbacks), never on a network thread; that flow waits meanwhile (back-pressure). A sink
 *       stage that fails <em>after</em> later events were already handed to the sink cannot be
 *       retried alone without reordering writes: it ends the session instead and the replicator
 *       reconnects after the same back-off, resuming from the last applied entry (so the failed
 *       event and the later ones are delivered again, in order; during a full sync the full sync
 *       starts over). A non-retryable {@link ReplicationException} is not retried.</li>
 *   <li>{@link #skip(DeadLetterHandler)} — the failure is handed to the dead-letter handler,
 *       logged at WARN, counted in {@link ReplicationStats#deadLetters()}, and replication goes
 *       on: the entry counts as applied and is acknowledged. What is skipped is the failed
 *       callback's work for that event: a failed listener callback does not keep the event from
 *       the sink; a failed journal handler keeps the entry from the listener's
 *       {@code onJournalEntry} and from the sink (its verdict is unknown); a failed sink stage
 *       leaves that event unwritten.</li>
 * </ul>
 *
 * <p>Not governed by this policy: the purely informational callbacks
 * ({@link ReplicationListener#onStateChange}, {@link ReplicationListener#onError},
 * {@link ReplicationListener#onReconnect}, {@link ReplicationListener#onBackpressure}), whose
 * exceptions are logged at WARN, counted in {@link ReplicationStats#notificationFailures()} and
 * otherwise ignored; and a sink failing with a {@link ConnectionException} (the sink lost its
 * target connection), which ends the session like a lost connection to Dragonfly does and is
 * retried with the reconnect back-off of {@link ReplicatorOptions}.
 */
public final class HandlerFailurePolicy {

    /** The three policies. */
    public enum Action {
        /** Stop the replicator (the default). */
        FAIL,
        /** Call the handler again with exponential back-off, then fail. */
        RETRY,
        /** Hand the failure to a dead-letter handler and go on. */
        SKIP
    }

    private static final HandlerFailurePolicy FAIL = new HandlerFailurePolicy(Action.FAIL, Duration.ZERO, Duration.ZERO,
            1, null);

    private final Action action;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final int maxAttempts;
    private final DeadLetterHandler deadLetters;

    private HandlerFailurePolicy(Action action, Duration initialBackoff, Duration maxBackoff, int maxAttempts,
                                 DeadLetterHandler deadLetters) {
        this.action = action;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.maxAttempts = maxAttempts;
        this.deadLetters = deadLetters;
    }

    /**
     * The default: the first failure stops the replicator in FAILED with a {@link HandlerException};
     * the failed entry is not acknowledged.
     *
     * @return the fail policy
     */
    public static HandlerFailurePolicy fail() {
        return FAIL;
    }

    /**
     * Calls a failing handler again for the same event, waiting {@code initialBackoff} before the
     * second call and twice as long before each further one, at most {@code maxBackoff}; fails as
     * {@link #fail()} once {@code maxAttempts} calls failed.
     *
     * @param initialBackoff the wait before the first retry (positive)
     * @param maxBackoff the longest wait (at least {@code initialBackoff})
     * @param maxAttempts calls in all, the first one included (at least 1; 1 = no retry)
     * @return the retry policy
     */
    public static HandlerFailurePolicy retry(Duration initialBackoff, Duration maxBackoff, int maxAttempts) {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initialBackoff must be positive: " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is shorter than initialBackoff "
                    + initialBackoff);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        return new HandlerFailurePolicy(Action.RETRY, initialBackoff, maxBackoff, maxAttempts, null);
    }

    /**
     * Hands each failure to {@code deadLetters} and goes on; the entry counts as applied. If the
     * dead-letter handler itself throws, the replicator stops as with {@link #fail()}.
     *
     * @param deadLetters receives every skipped failure, on the thread that ran the callback
     * @return the skip policy
     */
    public static HandlerFailurePolicy skip(DeadLetterHandler deadLetters) {
        return new HandlerFailurePolicy(Action.SKIP, Duration.ZERO, Duration.ZERO, 1,
                Objects.requireNonNull(deadLetters, "deadLetters"));
    }

    /** @return which of the three policies this is */
    public Action action() {
        return action;
    }

    /** @return the wait before the first retry ({@link Duration#ZERO} unless {@link Action#RETRY}) */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** @return the longest wait between retries ({@link Duration#ZERO} unless {@link Action#RETRY}) */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** @return calls in all before giving up, the first included (1 unless {@link Action#RETRY}) */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return the dead-letter handler of {@link Action#SKIP}, else null */
    public DeadLetterHandler deadLetterHandler() {
        return deadLetters;
    }

    /**
     * The wait after failed call number {@code failedAttempt} (1-based) before the next call:
     * {@code initialBackoff × 2^(failedAttempt-1)}, at most {@code maxBackoff}. Deterministic (no
     * jitter).
     *
     * @param failedAttempt how many calls failed so far (at least 1)
     * @return the back-off
     */
    public Duration backoff(int failedAttempt) {
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("attempt numbers start at 1: " + failedAttempt);
        }
        return exponential(initialBackoff, maxBackoff, failedAttempt);
    }

    static Duration exponential(Duration initial, Duration max, int n) {
        long ms = initial.toMillis();
        long cap = max.toMillis();
        for (int i = 1; i < n && ms < cap; i++) {
            ms = ms * 2;
        }
        return Duration.ofMillis(Math.min(ms, cap));
    }

    /** @return a description for logs (never a secret) */
    @Override
    public String toString() {
        switch (action) {
            case RETRY:
                return "retry(" + initialBackoff.toMillis() + " ms .. " + maxBackoff.toMillis() + " ms, "
                        + maxAttempts + " attempts)";
            case SKIP:
                return "skip(dead letters)";
            default:
                return "fail";
        }
    }
}
