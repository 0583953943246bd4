package io.df2redis.replica;

import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.journal.JournalOp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A journal entry as delivered to listeners and sinks: a write command of one flow with its
 * position. Arguments stay bytes.
 *
 * @param flow the flow (master shard) it came from
 * @param lsn its LSN in that flow, or 0 for entries carried inside a full-sync snapshot (JOURNAL_BLOB);
 *            the entries an incremental partial sync replays as JOURNAL_BLOBs (v1.16–v1.20,
 *            v1.31–v1.34) carry their LSNs
 * @param fullSync whether it arrived during a full sync (inside the snapshot stream; false for the
 *            JOURNAL_BLOBs of an incremental partial sync, which continue the applied LSNs)
 * @param entry the decoded entry (opcode, db, txid, arguments)
 */
public record JournalEvent(int flow, long lsn, boolean fullSync, JournalEntry entry) {
    /** Commands none of whose arguments is a key. */
    private static final Set<String> NO_KEYS = Set.of("", "PING", "SELECT", "FLUSHALL", "FLUSHDB", "MULTI",
            "EXEC", "DISCARD", "SCRIPT", "FUNCTION", "PUBLISH", "SPUBLISH", "DFLYCLUSTER", "SWAPDB");
    /** Commands every argument of which is a key. */
    private static final Set<String> ALL_KEYS = Set.of("DEL", "UNLINK", "EXISTS", "TOUCH", "MGET", "WATCH",
            "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE", "PFMERGE");
    /** Commands whose first two arguments are keys. */
    private static final Set<String> TWO_KEYS = Set.of("RENAME", "RENAMENX", "COPY", "SMOVE", "LMOVE", "RPOPLPUSH",
            "BLMOVE", "BRPOPLPUSH");

    /**
     * A journal event.
     *
     * @param flow the flow (master shard) it came from
     * @param lsn its LSN in that flow, or 0 for entries carried inside a full-sync snapshot
     * @param fullSync whether it arrived during a full sync
     * @param entry the decoded entry
     */
    public JournalEvent {
        Objects.requireNonNull(entry, "entry");
    }

    /** @return the journal opcode */
    public JournalOp op() {
        return entry.op();
    }

    /** @return the db the entry applies to */
    public int db() {
        return entry.db();
    }

    /** @return the master's transaction id (0 for single-shard commands, expiry and PING) */
    public long txid() {
        return entry.txid();
    }

    /**
     * The command name followed by its arguments, as on the wire (empty for PING).
     *
     * @return the command line as bytes; not copied, do not change
     * @see #arguments()
     */
    public List<byte[]> args() {
        return entry.args();
    }

    /**
     * The arguments without the command name (empty for PING and commands without arguments).
     *
     * @return the arguments as bytes; a view, not copied, do not change
     */
    public List<byte[]> arguments() {
        List<byte[]> a = entry.args();
        return a.isEmpty() ? a : a.subList(1, a.size());
    }

    /**
     * The key the command writes first: its first key argument.
     *
     * @return the first key, or null when the command has none (PING, FLUSHALL, SELECT…)
     */
    public byte[] key() {
        List<byte[]> k = keys();
        return k.isEmpty() ? null : k.get(0);
    }

    /**
     * The keys the command names: every argument for multi-key commands such as DEL or MGET,
     * every other one for MSET/MSETNX, the first two for RENAME, COPY, SMOVE, LMOVE…, none for
     * commands without keys (PING, FLUSHALL, SELECT, MULTI, EXEC…), else the first argument.
     *
     * @return the keys as bytes, in command order; not copied, do not change
     */
    public List<byte[]> keys() {
        List<byte[]> a = arguments();
        String name = command();
        if (a.isEmpty() || NO_KEYS.contains(name)) {
            return List.of();
        }
        if (ALL_KEYS.contains(name)) {
            return a;
        }
        if (name.equals("MSET") || name.equals("MSETNX")) {
            List<byte[]> out = new ArrayList<>((a.size() + 1) / 2);
            for (int i = 0; i < a.size(); i += 2) {
                out.add(a.get(i));
            }
            return out;
        }
        if (TWO_KEYS.contains(name) && a.size() >= 2) {
            return a.subList(0, 2);
        }
        return a.subList(0, 1);
    }

    /** @return the upper-case command name, or "" for entries without a command (PING) */
    public String command() {
        return entry.commandName();
    }

    /** @return whether this is FLUSHALL, FLUSHDB or DFLYCLUSTER FLUSHSLOTS (applied once, after every flow reached it) */
    public boolean isGlobalCommand() {
        return entry.isGlobalCommand();
    }
}
