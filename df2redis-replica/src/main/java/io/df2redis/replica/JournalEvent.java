package io.df2redis.replica;

import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.journal.JournalOp;

import java.util.List;

/**
 * A journal entry as delivered to listeners and sinks: a write command of one flow with its
 * position. Arguments stay bytes.
 *
 * @param flow the flow (master shard) it came from
 * @param lsn its LSN in that flow, or 0 for entries carried inside the snapshot (JOURNAL_BLOB)
 * @param fullSync whether it arrived during full sync (inside the snapshot stream)
 * @param entry the decoded entry (opcode, db, txid, arguments)
 */
public record JournalEvent(int flow, long lsn, boolean fullSync, JournalEntry entry) {
    public JournalOp op() {
        return entry.op();
    }

    public int db() {
        return entry.db();
    }

    public long txid() {
        return entry.txid();
    }

    /** Command name followed by its arguments (empty for PING). */
    public List<byte[]> args() {
        return entry.args();
    }

    /** Upper-case command name, or "" for entries without a command (PING). */
    public String command() {
        return entry.commandName();
    }

    public boolean isGlobalCommand() {
        return entry.isGlobalCommand();
    }
}
