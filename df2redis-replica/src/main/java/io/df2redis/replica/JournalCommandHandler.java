package io.df2redis.replica;

/**
 * Host code run for selected journal commands (registered by command name or predicate with
 * {@link Replicator.Builder#onCommand} / {@link Replicator.Builder#onJournal}). Runs on the
 * flow's applier thread, in flow order, before the listener and the sink see the entry. An
 * exception is handled by the replicator's {@link HandlerFailurePolicy} (default: the replicator
 * stops in FAILED and the entry is not acknowledged to Dragonfly).
 */
@FunctionalInterface
public interface JournalCommandHandler {
    /**
     * Handles one journal entry.
     *
     * @param event the entry
     * @return {@link JournalDecision#APPLY} to pass the entry on, {@link JournalDecision#SKIP} to
     *     filter it out (an explicit choice: the entry is then acknowledged without being applied);
     *     null is treated as an error of the handler
     */
    JournalDecision handle(JournalEvent event);
}
