package io.df2redis.replica;

/**
 * Host code run for selected journal commands (registered by command name or predicate with
 * {@link Replicator.Builder#onCommand}). Runs on the flow's applier thread, in flow order,
 * before the sink sees the entry. An exception is handled by the replicator's
 * {@link HandlerFailurePolicy} (default: the replicator stops in FAILED and the entry is not
 * acknowledged to Dragonfly).
 */
@FunctionalInterface
public interface JournalCommandHandler {
    /**
     * @return whether the entry should still go to the sink ({@code false} filters it out)
     */
    boolean handle(JournalEvent event);
}
