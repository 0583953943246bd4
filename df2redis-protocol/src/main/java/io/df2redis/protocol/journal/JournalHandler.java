package io.df2redis.protocol.journal;

/** Receives decoded journal entries in stream order. */
public interface JournalHandler {
    /** A journal entry: SELECT, a command, PING, LSN record, …. */
    default void onJournalEntry(JournalEntry entry) {
    }
}
