package io.df2redis.protocol.journal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One decoded journal entry (spec §5.2).
 *
 * @param op the opcode
 * @param offset offset of the entry's first byte in its stream (in a JOURNAL_BLOB: in the blob's item)
 * @param db the db the entry applies to (the current SELECT of its flow)
 * @param txid master transaction id (0 for single-shard fast-path commands, expiry and PING)
 * @param shardCount the shard count field (constant 1 since v1.38)
 * @param args command name followed by its arguments, as bytes; empty when the opcode has no command
 * @param lsn for {@link JournalOp#LSN} records the LSN they announce; for entries that consume an
 *            LSN the LSN assigned to them when the decoder knows the flow's position, else 0
 * @param lsnMatches for LSN records: whether it equals the LSN of the entry before it
 */
public record JournalEntry(JournalOp op, long offset, int db, long txid, long shardCount, List<byte[]> args,
                           long lsn, boolean lsnMatches) {

    /**
     * The command name upper-cased, or "" when the entry carries no command.
     *
     * @return the name, or an empty string
     */
    public String commandName() {
        return args.isEmpty() ? "" : io.df2redis.protocol.internal.CommandNames.upper(args.get(0));
    }

    /**
     * Whether this is FLUSHALL, FLUSHDB or DFLYCLUSTER FLUSHSLOTS, which run once after every flow reached them (spec §5.7).
     *
     * @return true for a global command
     */
    public boolean isGlobalCommand() {
        if (!op.hasCommand() || args.isEmpty()) {
            return false;
        }
        String name = commandName();
        if (name.equals("FLUSHALL") || name.equals("FLUSHDB")) {
            return true;
        }
        return name.equals("DFLYCLUSTER") && args.size() > 1
                && new String(args.get(1), StandardCharsets.UTF_8).equalsIgnoreCase("FLUSHSLOTS");
    }

    /**
     * Arguments as text (invalid UTF-8 replaced), for logs.
     *
     * @return a new list of the arguments decoded as UTF-8
     */
    public List<String> argsAsStrings() {
        List<String> out = new ArrayList<>(args.size());
        for (byte[] a : args) {
            out.add(new String(a, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof JournalEntry e) || op != e.op || offset != e.offset || db != e.db || txid != e.txid
                || shardCount != e.shardCount || lsn != e.lsn || lsnMatches != e.lsnMatches
                || args.size() != e.args.size()) {
            return false;
        }
        for (int i = 0; i < args.size(); i++) {
            if (!Arrays.equals(args.get(i), e.args.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = op.hashCode() * 31 + db;
        for (byte[] a : args) {
            h = h * 31 + Arrays.hashCode(a);
        }
        return h;
    }

    @Override
    public String toString() {
        return "JournalEntry[" + op + " db=" + db + " txid=" + txid + " lsn=" + lsn + " " + argsAsStrings() + "]";
    }
}
