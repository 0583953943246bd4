package io.df2redis.replica;

/**
 * Host code called by the replicator (a listener callback, a journal handler or the sink) failed
 * and the {@link HandlerFailurePolicy} gave up on it: the replicator stopped in
 * {@link ReplicationState#FAILED}, without acknowledging the failed entry to Dragonfly. The
 * {@link #getCause() cause} is what the host code threw; {@link #failure()} says which callback,
 * flow, LSN and event.
 *
 * <p>{@link #isRetryable()} is false, except for the one case of the retry policy that needs a new
 * session: a sink stage that failed after later events were handed to the sink (see
 * {@link HandlerFailurePolicy#retry}); such an exception only reaches
 * {@link ReplicationListener#onError} and {@link ReplicationListener#onReconnect}, never
 * {@link Replicator#failure()}.
 */
public class HandlerException extends ReplicationException {
    private static final long serialVersionUID = 1L;
    private final transient HandlerFailure failure;
    private final boolean retryable;

    /**
     * A final handler failure (not retryable).
     *
     * @param failure what failed
     */
    public HandlerException(HandlerFailure failure) {
        this(failure, false);
    }

    /**
     * @param failure what failed
     * @param retryable whether a new session retries it (only the retry policy's restart of a
     *     session after an asynchronous sink failure)
     */
    public HandlerException(HandlerFailure failure, boolean retryable) {
        super(message(failure, retryable), failure.cause());
        this.failure = failure;
        this.retryable = retryable;
    }

    private static String message(HandlerFailure f, boolean retryable) {
        Throwable c = f.cause();
        String cause = c == null ? "?" : c.getClass().getName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
        return f.callback() + " failed on " + f.where() + " for " + f.subject() + " after " + f.attempts()
                + (f.attempts() == 1 ? " attempt" : " attempts") + ": " + cause
                + (retryable ? " (retry policy: the session restarts from the last applied entry)"
                : " (handler-failure policy: the replicator stops; the entry was not acknowledged to Dragonfly)");
    }

    /** @return which callback failed, where, for what, and how often it was called */
    public HandlerFailure failure() {
        return failure;
    }

    /** @return the flow of the failed event, or -1 for a session callback */
    public int flow() {
        return failure == null ? -1 : failure.flow();
    }

    /** @return the LSN of the failed journal entry in stable sync, else 0 */
    public long lsn() {
        return failure == null ? 0 : failure.lsn();
    }

    /** @return whether the policy may run the failed callback again in a new session */
    @Override
    public boolean isRetryable() {
        return retryable;
    }
}
