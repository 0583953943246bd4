package io.df2redis.replica;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One failed call of host code (see {@link HandlerFailurePolicy}): which callback, for what, where
 * in the stream, why, and after how many calls. Given to a {@link DeadLetterHandler} and carried by
 * a {@link HandlerException}. {@link #toString()} names keys and commands but never prints values
 * or command arguments beyond the key.
 *
 * @param kind which kind of host code failed
 * @param callback the method, e.g. {@code ReplicationListener.onEntryStart},
 *     {@code JournalCommandHandler}, {@code ReplicationSink.apply}
 * @param flow the flow (master shard), or -1 for session callbacks (handshake, full-sync start…)
 * @param lsn the journal entry's LSN in stable sync, else 0
 * @param subject what was being processed, e.g. {@code journal entry LSN 42: SET 'k' (db 0)} or
 *     {@code snapshot key 'user:1' (db 0, HASH)}
 * @param event the event being processed, or null for callbacks without one (handshake, AUX)
 * @param cause what the host code threw (or the failed stage's exception)
 * @param attempts how many calls were made (more than 1 with {@link HandlerFailurePolicy#retry})
 */
public record HandlerFailure(Kind kind, String callback, int flow, long lsn, String subject, SinkEvent event,
                             Throwable cause, int attempts) {

    /** The kinds of host code the replicator calls. */
    public enum Kind {
        /** A {@link ReplicationListener} data or session callback. */
        LISTENER,
        /** A {@link JournalCommandHandler} or the selector it was registered with. */
        JOURNAL_HANDLER,
        /** The {@link ReplicationSink}: {@code open}, {@code apply}, or a stage it returned. */
        SINK
    }

    /**
     * A description of {@code event} for messages: kind, key or command and position, never values.
     *
     * @param event any sink event
     * @return the description
     */
    public static String describe(SinkEvent event) {
        if (event instanceof SinkEvent.EntryStart e) {
            return "start of snapshot key " + key(e.entry().key()) + " (db " + e.entry().db() + ", "
                    + e.entry().type() + ")";
        } else if (event instanceof SinkEvent.EntryBatch e) {
            return "value batch of snapshot key " + key(e.entry().key()) + " (db " + e.entry().db() + ", "
                    + e.batch().size() + " elements)";
        } else if (event instanceof SinkEvent.EntryEnd e) {
            return "end of snapshot key " + key(e.entry().key()) + " (db " + e.entry().db() + ")";
        } else if (event instanceof SinkEvent.Entry e) {
            return "snapshot key " + key(e.entry().key()) + " (db " + e.entry().db() + ", " + e.entry().type() + ")";
        } else if (event instanceof SinkEvent.Journal j) {
            return describe(j.event());
        } else if (event instanceof SinkEvent.GlobalCommand g) {
            return "global command " + describe(g.event());
        } else if (event instanceof SinkEvent.FullSyncStart) {
            return "full-sync start";
        } else if (event instanceof SinkEvent.FullSyncEnd f) {
            return "end of flow " + f.flow() + "'s snapshot";
        }
        return String.valueOf(event == null ? "no event" : event.getClass().getSimpleName());
    }

    /**
     * A description of a journal entry for messages: position, command name and first argument
     * (the key of most commands); never the other arguments.
     *
     * @param e a journal event
     * @return the description
     */
    public static String describe(JournalEvent e) {
        StringBuilder b = new StringBuilder();
        b.append(e.fullSync() ? "journal entry during full sync" : "journal entry LSN " + e.lsn());
        String cmd = e.command();
        b.append(": ").append(cmd.isEmpty() ? e.op().name() : cmd);
        List<byte[]> args = e.args();
        if (args.size() > 1 && !cmd.startsWith("AUTH") && !cmd.equals("ACL") && !cmd.equals("CONFIG")) {
            b.append(' ').append(key(args.get(1)));
            if (args.size() > 2) {
                b.append(" …");
            }
        }
        b.append(" (db ").append(e.db());
        if (e.txid() != 0) {
            b.append(", txid ").append(e.txid());
        }
        return b.append(')').toString();
    }

    /** A key for messages: quoted, non-printable bytes escaped, long keys cut. */
    static String key(byte[] k) {
        StringBuilder b = new StringBuilder("'");
        int n = Math.min(k.length, 80);
        String s = new String(k, 0, n, StandardCharsets.UTF_8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\uFFFD') {
                b.append(String.format("\\x%02x", (int) c & 0xff));
            } else {
                b.append(c);
            }
        }
        if (k.length > n) {
            b.append("…(").append(k.length).append(" bytes)");
        }
        return b.append('\'').toString();
    }

    /** Where: {@code flow 1, LSN 42} or {@code session}. */
    String where() {
        if (flow < 0) {
            return "session";
        }
        return lsn > 0 ? "flow " + flow + ", LSN " + lsn : "flow " + flow;
    }

    /** @return a description for logs (never a secret) */
    @Override
    public String toString() {
        return callback + " failed on " + where() + " for " + subject + " (" + attempts
                + (attempts == 1 ? " attempt" : " attempts") + "): " + cause;
    }
}
