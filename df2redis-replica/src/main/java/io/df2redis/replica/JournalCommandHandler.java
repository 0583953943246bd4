package io.df2redis.replica;

/**
 * Host code run for selected journal commands (registered by command name or predicate with
 * {@link Replicator.Builder#onCommand}). Runs on the flow's applier thread, in flow order,
 * before the sink sees the entry.
 */
@FunctionalInterface
public interface JournalCommandHandler {
    /**
     * @return whether the entry should still go to the sink ({@code false} filters it out)
     */
    boolean handle(JournalEvent event);
}
