package io.df2redis.replica;

/**
 * What a {@link JournalCommandHandler} decided about a journal entry.
 */
public enum JournalDecision {
    /** The entry goes on: to the next handler, then to the listener and the sink. */
    APPLY,
    /**
     * The entry is filtered out on purpose: neither later handlers, the listener nor the sink see
     * it; its LSN still counts as done (it is acknowledged to Dragonfly).
     */
    SKIP
}
