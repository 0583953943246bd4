package io.df2redis.protocol.journal;

import io.df2redis.protocol.internal.Bytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes Dragonfly's journal wire format (spec §5.2): every integer a packed uint, every string
 * a packed length plus raw bytes (never int- or LZF-encoded). {@link #item} gives the bytes of
 * one journal item as the master stores it (SELECT + entry, or a bare PING), which is also the
 * content of a JOURNAL_BLOB.
 */
public final class JournalEncoder {
    private JournalEncoder() {
    }

    /**
     * SELECT: the db of the following entries (0..65535).
     *
     * @param out the buffer written to
     * @param db the db
     * @throws IllegalArgumentException when {@code db} is outside 0..65535
     */
    public static void writeSelect(ByteBuf out, int db) {
        if (db < 0 || db > 65535) {
            throw new IllegalArgumentException("db out of range: " + db);
        }
        Bytes.writeRdbLength(out, JournalOp.SELECT.code());
        Bytes.writeRdbLength(out, db);
    }

    /**
     * A COMMAND, EXPIRED or MULTI_COMMAND entry: opcode, txid, shard count, then the payload
     * {@code nargs, total_len, nargs × (len, bytes)}.
     *
     * @param out the buffer written to
     * @param op COMMAND, EXPIRED or MULTI_COMMAND
     * @param txid the transaction id (0 for a single-shard command)
     * @param shardCount the shards the transaction spans
     * @param args the command name followed by its arguments; at least one
     * @throws IllegalArgumentException for another op or no argument
     */
    public static void writeCommand(ByteBuf out, JournalOp op, long txid, long shardCount, List<byte[]> args) {
        if (!op.hasCommand()) {
            throw new IllegalArgumentException(op + " carries no command");
        }
        if (args.isEmpty()) {
            throw new IllegalArgumentException("a journal command needs at least its name");
        }
        Bytes.writeRdbLength(out, op.code());
        Bytes.writeRdbLength(out, txid);
        Bytes.writeRdbLength(out, shardCount);
        long total = 0;
        for (byte[] a : args) {
            total += a.length;
        }
        Bytes.writeRdbLength(out, args.size());
        Bytes.writeRdbLength(out, total);
        for (byte[] a : args) {
            Bytes.writeRdbLength(out, a.length);
            out.writeBytes(a);
        }
    }

    /**
     * EXEC (v1.20): end of a multi transaction on this shard; no payload.
     *
     * @param out the buffer written to
     * @param txid the transaction id
     * @param shardCount the shards the transaction spans
     */
    public static void writeExec(ByteBuf out, long txid, long shardCount) {
        Bytes.writeRdbLength(out, JournalOp.EXEC.code());
        Bytes.writeRdbLength(out, txid);
        Bytes.writeRdbLength(out, shardCount);
    }

    /**
     * PING: the master asks for an immediate ACK.
     *
     * @param out the buffer written to
     */
    public static void writePing(ByteBuf out) {
        Bytes.writeRdbLength(out, JournalOp.PING.code());
    }

    /**
     * LSN record: the LSN of the last entry sent (consumes no LSN).
     *
     * @param out the buffer written to
     * @param lsn the LSN
     */
    public static void writeLsn(ByteBuf out, long lsn) {
        Bytes.writeRdbLength(out, JournalOp.LSN.code());
        Bytes.writeRdbLength(out, lsn);
    }

    /**
     * FIN (cluster slot migration only).
     *
     * @param out the buffer written to
     */
    public static void writeFin(ByteBuf out) {
        Bytes.writeRdbLength(out, JournalOp.FIN.code());
    }

    /**
     * Writes one entry of {@code op}: commands via {@link #writeCommand}, EXEC with txid and
     * shard count, PING/FIN/NOOP bare. SELECT and LSN have their own writers.
     *
     * @param out the buffer written to
     * @param op the entry's op
     * @param txid the transaction id
     * @param shardCount the shards the transaction spans
     * @param args the command and its arguments (commands only)
     * @throws IllegalArgumentException for SELECT and LSN
     */
    public static void writeEntry(ByteBuf out, JournalOp op, long txid, long shardCount, List<byte[]> args) {
        switch (op) {
            case COMMAND:
            case EXPIRED:
            case MULTI_COMMAND:
                writeCommand(out, op, txid, shardCount, args);
                break;
            case EXEC:
                writeExec(out, txid, shardCount);
                break;
            case PING:
                writePing(out);
                break;
            case FIN:
                writeFin(out);
                break;
            case NOOP:
                Bytes.writeRdbLength(out, JournalOp.NOOP.code());
                break;
            default:
                throw new IllegalArgumentException("use writeSelect / writeLsn for " + op);
        }
    }

    /**
     * The bytes of one journal item as Dragonfly stores it (spec §5.1): {@code SELECT db} followed
     * by the entry, or a bare entry for PING, FIN and NOOP (written without SELECT).
     *
     * @param db the db of the SELECT
     * @param op the entry's op
     * @param txid the transaction id
     * @param shardCount the shards the transaction spans
     * @param args the command and its arguments (commands only)
     * @return the item's bytes
     */
    public static byte[] item(int db, JournalOp op, long txid, long shardCount, List<byte[]> args) {
        ByteBuf b = Unpooled.buffer(64);
        if (op != JournalOp.PING && op != JournalOp.FIN && op != JournalOp.NOOP) {
            writeSelect(b, db);
        }
        writeEntry(b, op, txid, shardCount, args);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    /**
     * A COMMAND item with txid 0 and shard count 1 (a single-shard command since v1.38).
     *
     * @param db the db
     * @param args the command and its arguments
     * @return the item's bytes
     */
    public static byte[] commandItem(int db, String... args) {
        return item(db, JournalOp.COMMAND, 0, 1, args(args));
    }

    /**
     * Arguments as UTF-8 bytes.
     *
     * @param args the arguments as text
     * @return their UTF-8 bytes, in order
     */
    public static List<byte[]> args(String... args) {
        List<byte[]> out = new ArrayList<>(args.length);
        for (String a : args) {
            out.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }
}
