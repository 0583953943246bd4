package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.ProtocolException;
import io.df2redis.protocol.TruncatedInputException;
import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.internal.CorruptValueException;
import io.df2redis.protocol.internal.Crc64;
import io.df2redis.protocol.internal.NeedMoreInput;
import io.df2redis.protocol.journal.JournalDecoder;
import io.df2redis.protocol.rdb.RdbDecoderOptions;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.RdbOpcodes;
import io.df2redis.protocol.rdb.RdbProtocolException;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The resumable RDB decoding engine behind {@code RdbDecoder} (spec §4): top-level records,
 * compressed blobs, journal blobs, tagged chunks and the per-type value readers. Input is
 * consumed in units (a record header, one container element, one encoded blob…); a unit that
 * is not complete in the buffer is retried once more bytes arrived, so the stream may be
 * split anywhere and memory holds at most one unit.
 *
 * <p>The engine owns the stream-wide state (phase, offsets, database, checksum, the journal
 * decoder) and the magic / eof-token / journal phases; the records are read by
 * {@link RecordReader}, tagged chunks reassembled by {@link TaggedChunks}, values decoded by the
 * {@link ValueReader}s of {@link ValueReaders}, and the host's handler is wrapped by
 * {@link GuardedHandler} so that its exceptions are not mistaken for decoding errors.
 *
 * <p>Not thread-safe: confined to the thread that feeds the decoder (for a network flow, its
 * channel's event loop). The package-private fields are shared with the record reader and the
 * tagged-chunk reassembly, which run on that same thread.
 */
public final class RdbEngine {
    /** Where the engine is in its input. */
    public enum Phase { MAGIC, RECORDS, TOKEN, JOURNAL, DONE }

    /** The host's handler, guarded. */
    final RdbHandler handler;
    final RdbDecoderOptions options;
    final Io io;
    /** Decodes JOURNAL_BLOBs and, in flows, the journal after the eof token. */
    final JournalDecoder journal;
    /** Entries arriving in TAGGED_CHUNKs that are not complete yet. */
    final TaggedChunks tagged;
    /** The database of the following entries (SELECTDB). */
    int db;
    /** Offset of the record whose events are being delivered. */
    long recordOffset;
    /** The JOURNAL_OFFSET seen, or -1. */
    long journalOffset = -1;
    private final boolean flow;
    private final RecordReader outer;
    private Phase phase = Phase.MAGIC;
    private int rdbVersion;
    private long streamOffset;
    private long crc;
    private boolean crcOn;
    /**
     * While {@link #decode} runs with the checksum on: its buffer, and where in it the bytes not yet
     * added to {@link #crc} start (the checksum is taken over whole runs of units, not per unit).
     */
    private ByteBuf crcBuf;
    private int crcFrom;
    /** Reader index at which the unit being decoded starts. */
    private int unitStart;
    private RuntimeException failure;

    /**
     * @param flow true for a Dragonfly replication flow (EOF is followed by the 40-byte token and
     *             the journal), false for an RDB / DFS file (EOF ends the input)
     */
    public RdbEngine(RdbHandler handler, RdbDecoderOptions options, boolean flow) {
        this.handler = new GuardedHandler(handler);
        this.options = options;
        this.flow = flow;
        this.io = new Io(options);
        this.journal = new JournalDecoder(this.handler, options.maxElementBytes(), 1L << 24);
        this.tagged = new TaggedChunks(this);
        this.outer = new RecordReader(this, false);
        this.crcOn = !flow && options.verifyChecksum();
    }

    public Phase phase() {
        return phase;
    }

    public int rdbVersion() {
        return rdbVersion;
    }

    /** Absolute offset of the next undecoded byte. */
    public long offset() {
        return phase == Phase.JOURNAL ? journal.offset() : streamOffset;
    }

    /** Offset of the record whose events are being delivered (blob-relative inside a compressed blob). */
    public long recordOffset() {
        return recordOffset;
    }

    /** The JOURNAL_OFFSET seen, or -1. */
    public long journalOffset() {
        return journalOffset;
    }

    /** The journal decoder used for JOURNAL_BLOBs and, in flows, the journal after the eof token. */
    public JournalDecoder journal() {
        return journal;
    }

    /** Tagged entries still open (waiting for more chunks). */
    public int openTaggedEntries() {
        return tagged.openCount();
    }

    /**
     * Decodes as much of {@code in} as forms complete units; the rest stays readable for the
     * next call (the caller appends more bytes to it).
     */
    public void decode(ByteBuf in) {
        if (failure != null) {
            throw failure;
        }
        crcBuf = in;
        crcFrom = in.readerIndex();
        try {
            while (in.isReadable()) {
                if (phase == Phase.JOURNAL) {
                    journal.decode(in);
                    return;
                }
                if (phase == Phase.DONE) {
                    throw new RdbProtocolException(in.readableBytes() + " unexpected bytes after EOF", streamOffset,
                            "end of RDB file");
                }
                int mark = in.readerIndex();
                unitStart = mark;
                outer.bufBase = streamOffset - mark;
                io.unitOffset = streamOffset;
                try {
                    switch (phase) {
                        case MAGIC:
                            magic(in);
                            break;
                        case RECORDS:
                            outer.step(in);
                            break;
                        default:
                            token(in);
                            break;
                    }
                } catch (NeedMoreInput e) {
                    in.readerIndex(mark);
                    return;
                }
                streamOffset += in.readerIndex() - mark;
                if (phase == Phase.JOURNAL) {
                    journal.offset(streamOffset);
                }
            }
        } catch (GuardedHandler.HandlerFailure e) {
            crcOn = false;
            failure = e.getCause() instanceof RuntimeException r ? r : e;
            throw failure;
        } catch (ProtocolException e) {
            crcOn = false;
            failure = e;
            throw e;
        } catch (CorruptValueException e) {
            crcOn = false;
            failure = new RdbProtocolException(e.getMessage(), io.unitOffset, io.context());
            throw failure;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            crcOn = false;
            failure = new RdbProtocolException("decoder failure: " + e, io.unitOffset, io.context(), e);
            throw failure;
        } finally {
            // the decoded units, up to the unit left for the next call
            checksumUpTo(in.readerIndex());
            crcBuf = null;
        }
    }

    /** Adds the bytes of {@link #crcBuf} from {@link #crcFrom} up to {@code index} to the checksum. */
    private void checksumUpTo(int index) {
        if (crcOn && index > crcFrom) {
            crc = Crc64.update(crc, crcBuf, crcFrom, index - crcFrom);
        }
        crcFrom = index;
    }

    /**
     * Signals the end of the input; {@code rest} holds the bytes that were not decoded.
     *
     * @throws TruncatedInputException if the input ended inside a record or before EOF
     */
    public void finish(ByteBuf rest) {
        if (failure != null) {
            throw failure;
        }
        int left = rest == null ? 0 : rest.readableBytes();
        if (phase == Phase.JOURNAL) {
            journal.finish(rest);
            return;
        }
        if (phase == Phase.DONE && left == 0) {
            return;
        }
        String where = outer.current != null ? outer.current.state.describe()
                : phase == Phase.TOKEN ? "the eof token" : "a record";
        failure = new TruncatedInputException("input ended before the end of the RDB stream (" + left
                + " undecoded bytes)", streamOffset, where);
        throw failure;
    }

    private void magic(ByteBuf in) {
        Bytes.need(in, 9);
        byte[] m = new byte[9];
        in.readBytes(m);
        String text = new String(m, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("REDIS")) {
            throw new RdbProtocolException("not an RDB stream: magic is '" + printable(text) + "'", streamOffset,
                    "RDB header");
        }
        int v;
        try {
            v = Integer.parseInt(text.substring(5));
        } catch (NumberFormatException e) {
            throw new RdbProtocolException("bad RDB version in magic '" + printable(text) + "'", streamOffset,
                    "RDB header");
        }
        if (v < 1 || v > 12) {
            throw new RdbProtocolException("unsupported RDB version " + v, streamOffset, "RDB header");
        }
        rdbVersion = v;
        phase = Phase.RECORDS;
        recordOffset = streamOffset;
        handler.onHeader(v);
    }

    private void token(ByteBuf in) {
        Bytes.need(in, RdbOpcodes.EOF_TOKEN_LENGTH);
        byte[] t = new byte[RdbOpcodes.EOF_TOKEN_LENGTH];
        in.readBytes(t);
        recordOffset = streamOffset;
        phase = Phase.JOURNAL;
        if (journalOffset < 0) {
            throw new RdbProtocolException("flow ended its RDB part without JOURNAL_OFFSET", streamOffset,
                    "eof token");
        }
        journal.nextLsn(journalOffset);
        journal.offset(streamOffset + RdbOpcodes.EOF_TOKEN_LENGTH);
        handler.onEofToken(t);
    }

    /**
     * The EOF record was read (called by the outer {@link RecordReader}): checks the file's
     * CRC-64 when verifying, and moves on to the eof token (flows) or the end of input (files).
     */
    void endOfRdb(long checksum, long recOff) {
        if (crcOn) {
            checksumUpTo(unitStart); // everything before the EOF record
            long computed = Crc64.update(crc, new byte[] {(byte) RdbOpcodes.EOF}, 0, 1);
            crcOn = false;
            if (checksum != 0 && checksum != computed) {
                throw new RdbProtocolException(String.format("RDB checksum mismatch: file says %016x, content "
                        + "hashes to %016x", checksum, computed), recOff, "EOF");
            }
        }
        recordOffset = recOff;
        phase = flow ? Phase.TOKEN : Phase.DONE;
        handler.onEof(checksum);
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 32 && c < 127 ? c : '?');
        }
        return sb.toString();
    }

}
