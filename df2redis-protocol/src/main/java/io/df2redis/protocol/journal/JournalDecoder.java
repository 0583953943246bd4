package io.df2redis.protocol.journal;

import io.df2redis.protocol.LimitExceededException;
import io.df2redis.protocol.TruncatedInputException;
import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.internal.NeedMoreInput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Resumable decoder of Dragonfly's journal wire format (spec §5): feed it the bytes of a flow
 * in pieces split anywhere; complete entries go to the handler in order. Keeps the flow's
 * current db and, once {@link #nextLsn(long)} was set (from JOURNAL_OFFSET or the partial-sync
 * LSN), assigns every LSN-consuming entry its LSN and checks LSN records against it (§5.4).
 * Arguments stay bytes. Not thread-safe: one instance per flow.
 */
public final class JournalDecoder {
    /** Default cap of one entry's total argument bytes. */
    public static final long DEFAULT_MAX_ENTRY_BYTES = 1L << 30;
    /** Default cap of one entry's argument count. */
    public static final long DEFAULT_MAX_ARGS = 1L << 24;

    private final JournalHandler handler;
    private final long maxEntryBytes;
    private final long maxArgs;
    private long offset;
    private int db;
    private long nextLsn; // 0 = unknown
    private long lastAssignedLsn;

    /**
     * A decoder calling {@code handler}, with the default limits of an entry's size and argument count.
     *
     * @param handler receives every decoded entry
     */
    public JournalDecoder(JournalHandler handler) {
        this(handler, DEFAULT_MAX_ENTRY_BYTES, DEFAULT_MAX_ARGS);
    }

    /**
     * A decoder calling {@code handler}, refusing entries over {@code maxEntryBytes} bytes or {@code maxArgs} arguments.
     *
     * @param handler receives every decoded entry
     * @param maxEntryBytes the most argument bytes of one entry
     * @param maxArgs the most arguments of one entry
     */
    public JournalDecoder(JournalHandler handler, long maxEntryBytes, long maxArgs) {
        this.handler = handler;
        this.maxEntryBytes = maxEntryBytes;
        this.maxArgs = maxArgs;
    }

    /**
     * Sets the LSN the next LSN-consuming entry has (the replica's counter, spec §5.6).
     *
     * @param lsn the LSN of the next entry that consumes one
     */
    public void nextLsn(long lsn) {
        this.nextLsn = lsn;
        this.lastAssignedLsn = lsn - 1;
    }

    /**
     * The LSN the next LSN-consuming entry will get; 0 when unknown.
     *
     * @return the next LSN, or 0
     */
    public long nextLsn() {
        return nextLsn;
    }

    /**
     * The current db of this flow.
     *
     * @return the db of the last SELECT (0 before any)
     */
    public int db() {
        return db;
    }

    /**
     * Sets the current db of this flow (the db a resumed flow was in).
     *
     * @param db the db
     */
    public void db(int db) {
        this.db = db;
    }

    /**
     * Absolute offset of the next byte to decode.
     *
     * @return the offset in the flow's stream
     */
    public long offset() {
        return offset;
    }

    /**
     * Sets the absolute offset of the next byte (when the journal follows an RDB part).
     *
     * @param offset the offset of the next byte in the flow's stream
     */
    public void offset(long offset) {
        this.offset = offset;
    }

    /**
     * Decodes every complete entry readable from {@code in} and advances its reader index past
     * them; an incomplete trailing entry stays unread.
     *
     * @param in the bytes received; undecoded bytes stay readable
     * @throws JournalProtocolException on malformed input
     */
    public void decode(ByteBuf in) {
        while (in.isReadable()) {
            int mark = in.readerIndex();
            JournalEntry e;
            try {
                e = readEntry(in, true);
            } catch (NeedMoreInput need) {
                in.readerIndex(mark);
                return;
            }
            offset += in.readerIndex() - mark;
            handler.onJournalEntry(e);
        }
    }

    /**
     * Decodes a complete journal item (the content of a JOURNAL_BLOB, spec §4.6) holding
     * {@code count} entries (a leading SELECT is part of an entry). LSNs are not assigned.
     *
     * @param item the item's bytes
     * @param count the entries the item holds
     * @param baseOffset absolute offset of the item's bytes, for error messages
     * @throws JournalProtocolException when the item is malformed or holds another count of entries
     * @throws io.df2redis.protocol.TruncatedInputException when the item ends inside an entry
     */
    public void decodeItem(byte[] item, long count, long baseOffset) {
        ByteBuf in = Unpooled.wrappedBuffer(item);
        long saved = offset;
        offset = 0;
        long seen = 0;
        try {
            while (in.isReadable()) {
                int mark = in.readerIndex();
                JournalEntry e;
                try {
                    e = readEntry(in, false);
                } catch (NeedMoreInput need) {
                    throw new TruncatedInputException("journal item ends inside an entry", baseOffset + mark,
                            "JOURNAL_BLOB item of " + item.length + " bytes");
                } catch (JournalProtocolException ex) {
                    throw new JournalProtocolException(ex.getMessage(), baseOffset + mark, "JOURNAL_BLOB item");
                }
                offset += in.readerIndex() - mark;
                if (e.op() != JournalOp.SELECT) {
                    seen++;
                }
                handler.onJournalEntry(e);
            }
        } finally {
            offset = saved;
        }
        if (seen != count) {
            throw new JournalProtocolException("JOURNAL_BLOB declares " + count + " entries but holds " + seen,
                    baseOffset, "JOURNAL_BLOB item");
        }
    }

    /**
     * Signals the end of input: throws if bytes of an incomplete entry remain.
     *
     * @param remaining the bytes left undecoded, or null
     * @throws io.df2redis.protocol.TruncatedInputException when {@code remaining} has readable bytes
     */
    public void finish(ByteBuf remaining) {
        if (remaining != null && remaining.isReadable()) {
            throw new TruncatedInputException("journal stream ends inside an entry (" + remaining.readableBytes()
                    + " bytes left)", offset, "journal entry");
        }
    }

    private JournalEntry readEntry(ByteBuf in, boolean stream) {
        long entryOffset = offset;
        long code = packed(in, "opcode");
        JournalOp op = JournalOp.of(code);
        if (op == null) {
            throw new JournalProtocolException("unknown journal opcode " + code, entryOffset, "journal entry");
        }
        switch (op) {
            case SELECT: {
                long d = packed(in, "SELECT db");
                if (d > 65535) {
                    throw new JournalProtocolException("SELECT db " + d + " out of range", entryOffset, "SELECT");
                }
                db = (int) d;
                return new JournalEntry(op, entryOffset, db, 0, 0, Collections.emptyList(), 0, false);
            }
            case LSN: {
                long lsn = packed(in, "LSN");
                boolean matches = nextLsn == 0 || lsn == lastAssignedLsn;
                return new JournalEntry(op, entryOffset, db, 0, 0, Collections.emptyList(), lsn, matches);
            }
            case PING:
            case FIN:
            case NOOP:
                return new JournalEntry(op, entryOffset, db, 0, 0, Collections.emptyList(), assign(op, stream),
                        false);
            case EXEC: {
                long txid = packed(in, "txid");
                long shards = packed(in, "shard_cnt");
                return new JournalEntry(op, entryOffset, db, txid, shards, Collections.emptyList(),
                        assign(op, stream), false);
            }
            default: {
                long txid = packed(in, "txid");
                long shards = packed(in, "shard_cnt");
                List<byte[]> args = payload(in, entryOffset);
                return new JournalEntry(op, entryOffset, db, txid, shards, args, assign(op, stream), false);
            }
        }
    }

    private long assign(JournalOp op, boolean stream) {
        if (!stream || nextLsn == 0 || !op.consumesLsn()) {
            return 0;
        }
        lastAssignedLsn = nextLsn;
        return nextLsn++;
    }

    private List<byte[]> payload(ByteBuf in, long entryOffset) {
        long nargs = packed(in, "nargs");
        long totalLen = packed(in, "total_len");
        if (nargs == 0) {
            throw new JournalProtocolException("command with no arguments", entryOffset, "journal command");
        }
        if (nargs > maxArgs) {
            throw new LimitExceededException("journal command with " + nargs + " arguments exceeds the limit "
                    + maxArgs, entryOffset, "journal command");
        }
        if (totalLen > maxEntryBytes) {
            throw new LimitExceededException("journal command of " + totalLen + " bytes exceeds the limit "
                    + maxEntryBytes, entryOffset, "journal command");
        }
        // cheap completeness check before walking the arguments
        Bytes.need(in, totalLen + nargs);
        List<byte[]> args = new ArrayList<>((int) Math.min(nargs, 1024));
        long left = totalLen;
        for (long i = 0; i < nargs; i++) {
            long len = packed(in, "argument length");
            if (len > left) {
                throw new JournalProtocolException("argument " + i + " of " + len + " bytes exceeds the remaining "
                        + "total_len " + left, entryOffset, "journal command");
            }
            args.add(Bytes.bytes(in, (int) len));
            left -= len;
        }
        if (left != 0) {
            throw new JournalProtocolException("arguments sum to " + (totalLen - left) + " bytes, total_len says "
                    + totalLen, entryOffset, "journal command");
        }
        return args;
    }

    private long packed(ByteBuf in, String what) {
        Bytes.need(in, 1);
        int b0 = in.getUnsignedByte(in.readerIndex());
        if (Bytes.isBadLengthPrefix(b0)) {
            throw new JournalProtocolException("invalid packed integer prefix 0x" + Integer.toHexString(b0) + " for "
                    + what, offset, what);
        }
        long v = Bytes.readRdbLength(in);
        if ((v & Bytes.SPECIAL) != 0 && (b0 >> 6) == 3) {
            // the journal reader treats 11xxxxxx as a 6-bit value (spec §2.2)
            v = b0 & 0x3F;
        }
        if (v < 0) {
            throw new JournalProtocolException("packed integer out of range for " + what, offset, what);
        }
        return v;
    }
}
