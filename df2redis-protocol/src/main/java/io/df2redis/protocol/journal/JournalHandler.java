package io.df2redis.protocol.journal;

/** Receives decoded journal entries in stream order. */
public interface JournalHandler {
    /**
     * A journal entry: SELECT, a command, PING, LSN record, ….
     *
     * @param entry the entry, with its op, db, txid, arguments and LSN
     */
    default void onJournalEntry(JournalEntry entry) {
    }
}
