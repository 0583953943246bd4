package io.df2redis.replica;

/**
 * Receives the failures that {@link HandlerFailurePolicy#skip(DeadLetterHandler)} skips: the event
 * (when there is one), the callback that failed and its exception. Called on the thread that ran
 * the failed callback (a flow's applier thread, or the supervisor thread for session callbacks),
 * before replication goes on; a slow handler slows that flow. If it throws, the replicator stops
 * as with {@link HandlerFailurePolicy#fail()}.
 */
@FunctionalInterface
public interface DeadLetterHandler {

    /**
     * Takes one skipped failure (store it, alert, replay it later…).
     *
     * @param failure what failed, where, and why
     */
    void onDeadLetter(HandlerFailure failure);
}
