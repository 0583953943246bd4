package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.LimitExceededException;
import io.df2redis.protocol.ProtocolException;
import io.df2redis.protocol.TruncatedInputException;
import io.df2redis.protocol.internal.BlobCodec;
import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.internal.CorruptValueException;
import io.df2redis.protocol.internal.Crc64;
import io.df2redis.protocol.internal.NeedMoreInput;
import io.df2redis.protocol.journal.JournalDecoder;
import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.rdb.Compression;
import io.df2redis.protocol.rdb.RdbDecoderOptions;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.RdbProtocolException;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.StringEncoding;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The resumable RDB decoding engine behind {@code RdbDecoder} (spec §4): top-level records,
 * compressed blobs, journal blobs, tagged chunks and the per-type value readers. Input is
 * consumed in units (a record header, one container element, one encoded blob…); a unit that
 * is not complete in the buffer is retried once more bytes arrived, so the stream may be
 * split anywhere and memory holds at most one unit.
 */
public final class RdbEngine {
    /** Where the engine is in its input. */
    public enum Phase { MAGIC, RECORDS, TOKEN, JOURNAL, DONE }

    private static final int OP_FULLSYNC_END = 0xC8;
    private static final int OP_ZSTD_BLOB = 0xC9;
    private static final int OP_LZ4_BLOB = 0xCA;
    private static final int OP_BLOB_END = 0xCB;
    private static final int OP_JOURNAL_BLOB = 0xD2;
    private static final int OP_JOURNAL_OFFSET = 0xD3;
    private static final int OP_DF_MASK = 0xDC;
    private static final int OP_VECTOR_INDEX = 0xDE;
    private static final int OP_SHARD_DOC_INDEX = 0xDF;
    private static final int OP_TAGGED_CHUNK = 0xE0;
    private static final int OP_SLOT_INFO = 0xF4;
    private static final int OP_FUNCTION2 = 0xF5;
    private static final int OP_FUNCTION_PRE_GA = 0xF6;
    private static final int OP_MODULE_AUX = 0xF7;
    private static final int OP_IDLE = 0xF8;
    private static final int OP_FREQ = 0xF9;
    private static final int OP_AUX = 0xFA;
    private static final int OP_RESIZEDB = 0xFB;
    private static final int OP_EXPIRETIME_MS = 0xFC;
    private static final int OP_EXPIRETIME = 0xFD;
    private static final int OP_SELECTDB = 0xFE;
    private static final int OP_EOF = 0xFF;
    private static final int TOKEN_LENGTH = 40;

    private final RdbHandler handler;
    private final RdbDecoderOptions options;
    private final boolean flow;
    private final Io io;
    private final JournalDecoder journal;
    private final Map<Integer, Tagged> tagged = new HashMap<>();
    private final RecordReader outer;
    private Phase phase = Phase.MAGIC;
    private int rdbVersion;
    private int db;
    private long streamOffset;
    private long crc;
    private boolean crcOn;
    private long recordOffset;
    private long journalOffset = -1;
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
        this.outer = new RecordReader(false);
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
        return tagged.size();
    }

    /**
     * Decodes as much of {@code in} as forms complete units; the rest stays readable for the
     * next call (the caller appends more bytes to it).
     */
    public void decode(ByteBuf in) {
        if (failure != null) {
            throw failure;
        }
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
                int consumed = in.readerIndex() - mark;
                if (crcOn) {
                    crc = Crc64.update(crc, in, mark, consumed);
                }
                streamOffset += consumed;
                if (phase == Phase.JOURNAL) {
                    journal.offset(streamOffset);
                }
            }
        } catch (HandlerFailure e) {
            failure = e.getCause() instanceof RuntimeException r ? r : e;
            throw failure;
        } catch (ProtocolException e) {
            failure = e;
            throw e;
        } catch (CorruptValueException e) {
            failure = new RdbProtocolException(e.getMessage(), io.unitOffset, io.context());
            throw failure;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            failure = new RdbProtocolException("decoder failure: " + e, io.unitOffset, io.context(), e);
            throw failure;
        }
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
        Bytes.need(in, TOKEN_LENGTH);
        byte[] t = new byte[TOKEN_LENGTH];
        in.readBytes(t);
        recordOffset = streamOffset;
        phase = Phase.JOURNAL;
        if (journalOffset < 0) {
            throw new RdbProtocolException("flow ended its RDB part without JOURNAL_OFFSET", streamOffset,
                    "eof token");
        }
        journal.nextLsn(journalOffset);
        journal.offset(streamOffset + TOKEN_LENGTH);
        handler.onEofToken(t);
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 32 && c < 127 ? c : '?');
        }
        return sb.toString();
    }

    /** A tagged entry waiting for its next chunk. */
    private static final class Tagged {
        ValueReader reader;
        EntryState state;
        byte[] leftover = new byte[0];
        int chunks;
    }

    /** Reads top-level records from the outer stream or from one decompressed blob. */
    private final class RecordReader {
        final boolean nested;
        long bufBase;
        long blobOffset;
        Compression blobKind;
        private long pendingExpire = -1;
        private int pendingMask;
        private long pendingMcFlags;
        private long pendingIdle = -1;
        private int pendingFreq = -1;
        private long pendingStart = -1;
        ValueReader current;

        RecordReader(boolean nested) {
            this.nested = nested;
        }

        long off(ByteBuf in) {
            return bufBase + in.readerIndex();
        }

        void errorContext(long recOff) {
            if (nested) {
                io.unitOffset = blobOffset;
                io.context("record at offset " + recOff + " inside the " + blobKind + " blob");
            } else {
                io.unitOffset = recOff;
                io.context("record");
            }
        }

        void step(ByteBuf in) {
            if (current != null) {
                io.context(current.state, 0);
                if (current.step(in)) {
                    EntryState st = current.state;
                    current = null;
                    handler.onEntryEnd(st.entry, st.summary());
                }
                return;
            }
            long recOff = off(in);
            errorContext(recOff);
            int op = Bytes.u8(in);
            switch (op) {
                case OP_AUX: {
                    byte[] k = io.string(in);
                    byte[] v = io.string(in);
                    recordOffset = recOff;
                    handler.onAux(k, v);
                    return;
                }
                case OP_SELECTDB: {
                    long d = io.length(in, "SELECTDB index");
                    if (d > 65535) {
                        throw io.error("SELECTDB index " + d + " out of range");
                    }
                    db = (int) d;
                    recordOffset = recOff;
                    handler.onSelectDb(db);
                    return;
                }
                case OP_RESIZEDB: {
                    long a = io.length(in, "RESIZEDB db size");
                    long b = io.length(in, "RESIZEDB expires size");
                    recordOffset = recOff;
                    handler.onResizeDb(a, b);
                    return;
                }
                case OP_EXPIRETIME_MS: {
                    long t = Bytes.i64le(in);
                    prefix(recOff);
                    pendingExpire = t;
                    return;
                }
                case OP_EXPIRETIME: {
                    long t = Bytes.i32le(in);
                    prefix(recOff);
                    pendingExpire = t * 1000L;
                    return;
                }
                case OP_IDLE: {
                    long idle = io.length(in, "IDLE");
                    prefix(recOff);
                    pendingIdle = idle;
                    return;
                }
                case OP_FREQ: {
                    int f = Bytes.u8(in);
                    prefix(recOff);
                    pendingFreq = f;
                    return;
                }
                case OP_DF_MASK: {
                    long mask = Bytes.u32le(in);
                    long mc = 0;
                    if ((mask & RdbEntry.DF_MASK_MC_FLAGS) != 0) {
                        mc = Bytes.u32le(in);
                    }
                    prefix(recOff);
                    pendingMask = (int) mask;
                    pendingMcFlags = mc;
                    return;
                }
                case OP_SLOT_INFO: {
                    long slot = io.length(in, "SLOT_INFO slot");
                    long size = io.length(in, "SLOT_INFO size");
                    long exp = io.length(in, "SLOT_INFO expires size");
                    recordOffset = recOff;
                    handler.onSlotInfo(slot, size, exp);
                    return;
                }
                case OP_FUNCTION2: {
                    byte[] code = io.string(in);
                    recordOffset = recOff;
                    handler.onFunction(code);
                    return;
                }
                case OP_FUNCTION_PRE_GA:
                    throw io.error("pre-release (Redis 7.0 RC) function format is not supported");
                case OP_MODULE_AUX:
                    moduleAux(in, recOff);
                    return;
                case OP_FULLSYNC_END: {
                    long padding = Bytes.i64le(in);
                    recordOffset = recOff;
                    handler.onFullSyncEnd(padding == 0);
                    return;
                }
                case OP_JOURNAL_OFFSET: {
                    long lsn = Bytes.i64le(in);
                    journalOffset = lsn;
                    recordOffset = recOff;
                    handler.onJournalOffset(lsn);
                    return;
                }
                case OP_JOURNAL_BLOB:
                    journalBlob(in, recOff);
                    return;
                case OP_ZSTD_BLOB:
                case OP_LZ4_BLOB:
                    compressedBlob(in, recOff, op == OP_LZ4_BLOB ? Compression.LZ4 : Compression.ZSTD);
                    return;
                case OP_BLOB_END:
                    throw io.error("COMPRESSED_BLOB_END (0xCB) is never sent on the wire");
                case OP_TAGGED_CHUNK:
                    taggedChunk(in, recOff);
                    return;
                case OP_VECTOR_INDEX:
                case OP_SHARD_DOC_INDEX:
                    indexRecord(in, op, recOff);
                    return;
                case OP_EOF:
                    eof(in, recOff);
                    return;
                default:
                    startEntry(in, op, recOff);
            }
        }

        private void prefix(long recOff) {
            if (pendingStart < 0) {
                pendingStart = recOff;
            }
        }

        private void startEntry(ByteBuf in, int typeByte, long recOff) {
            RdbType type = RdbType.of(typeByte, rdbVersion);
            if (type == null) {
                throw io.error("unknown opcode or value type 0x" + Integer.toHexString(typeByte));
            }
            byte[] key = io.string(in);
            StringEncoding keyEnc = io.lastEncoding;
            long start = pendingStart >= 0 ? pendingStart : recOff;
            RdbEntry entry = new RdbEntry(start, db, key, type, pendingExpire, pendingMask, pendingMcFlags,
                    pendingIdle, pendingFreq, keyEnc, 0);
            clearPrefix();
            EntryState st = new EntryState(entry, handler);
            io.context(st, 0);
            ValueReader r = ValueReaders.create(type, st, io);
            recordOffset = start;
            handler.onEntryStart(entry);
            current = r;
        }

        private void clearPrefix() {
            pendingExpire = -1;
            pendingMask = 0;
            pendingMcFlags = 0;
            pendingIdle = -1;
            pendingFreq = -1;
            pendingStart = -1;
        }

        private void moduleAux(ByteBuf in, long recOff) {
            long id = io.u64(in, "module id");
            long whenOp = io.length(in, "MODULE_AUX when opcode");
            long when = io.length(in, "MODULE_AUX when");
            if (whenOp != 2) {
                throw io.error("MODULE_AUX when-opcode " + whenOp + ", expected 2");
            }
            while (true) {
                long op = io.length(in, "module opcode");
                if (op == 0) {
                    break;
                }
                switch ((int) op) {
                    case 1:
                    case 2:
                        io.u64(in, "module integer");
                        break;
                    case 3:
                        Bytes.skip(in, 4);
                        break;
                    case 4:
                        Bytes.skip(in, 8);
                        break;
                    case 5:
                        io.string(in);
                        break;
                    default:
                        throw io.error("unknown module opcode " + op + " in MODULE_AUX: cannot be skipped");
                }
            }
            recordOffset = recOff;
            handler.onModuleAux(id, ValueReaders.ModuleReader.moduleName(id), (int) whenOp, when);
        }

        private void journalBlob(ByteBuf in, long recOff) {
            long count = io.length(in, "JOURNAL_BLOB count");
            byte[] item = io.string(in);
            recordOffset = recOff;
            handler.onJournalBlobStart(count);
            long abs = nested ? blobOffset : recOff;
            journal.decodeItem(item, count, abs);
            handler.onJournalBlobEnd();
        }

        private void compressedBlob(ByteBuf in, long recOff, Compression kind) {
            if (nested) {
                throw io.error("compressed blob nested inside a compressed blob");
            }
            long clen = io.length(in, "compressed blob length");
            if (clen > options.maxBlobBytes()) {
                throw new LimitExceededException("compressed blob of " + clen + " bytes exceeds the limit "
                        + options.maxBlobBytes(), recOff, "compressed blob");
            }
            Bytes.need(in, clen);
            byte[] c = new byte[(int) clen];
            in.readBytes(c);
            byte[] plain;
            try {
                plain = kind == Compression.LZ4 ? BlobCodec.decompressLz4(c, options.maxBlobBytes())
                        : BlobCodec.decompressZstd(c, options.maxBlobBytes());
            } catch (BlobCodec.BadBlobException e) {
                if (e.isLimit()) {
                    throw new LimitExceededException(e.getMessage(), recOff, kind + " blob");
                }
                throw new RdbProtocolException(e.getMessage(), recOff, kind + " blob");
            }
            recordOffset = recOff;
            handler.onCompressedBlobStart(kind, c.length, plain.length);
            RecordReader inner = new RecordReader(true);
            inner.blobOffset = recOff;
            inner.blobKind = kind;
            inner.bufBase = 0;
            ByteBuf buf = Unpooled.wrappedBuffer(plain);
            while (buf.isReadable()) {
                int mark = buf.readerIndex();
                try {
                    inner.step(buf);
                } catch (NeedMoreInput e) {
                    throw new TruncatedInputException("record truncated at the end of the " + kind + " blob ("
                            + (buf.writerIndex() - mark) + " bytes left)", recOff, "record at offset " + mark
                            + " inside the " + kind + " blob");
                }
            }
            if (inner.current != null) {
                throw new RdbProtocolException("entry not complete at the end of the " + kind + " blob", recOff,
                        inner.current.state.describe());
            }
            if (inner.pendingStart >= 0) {
                throw new RdbProtocolException("expiry/flags prefix without entry at the end of the " + kind
                        + " blob", recOff, "compressed blob");
            }
            recordOffset = recOff;
            handler.onCompressedBlobEnd(kind);
            errorContext(recOff);
        }

        private void taggedChunk(ByteBuf in, long recOff) {
            long id = Bytes.u32le(in);
            long len = Bytes.u32le(in);
            if (id == 0) {
                throw io.error("TAGGED_CHUNK with stream id 0");
            }
            if (len == 0) {
                throw io.error("TAGGED_CHUNK with empty payload");
            }
            if (len > options.maxBlobBytes()) {
                throw new LimitExceededException("TAGGED_CHUNK of " + len + " bytes exceeds the limit "
                        + options.maxBlobBytes(), io.unitOffset, "TAGGED_CHUNK");
            }
            Bytes.need(in, len);
            byte[] payload = new byte[(int) len];
            in.readBytes(payload);
            int key = (int) id;
            Tagged t = tagged.get(key);
            boolean first = t == null;
            if (first) {
                t = new Tagged();
                tagged.put(key, t);
            }
            t.chunks++;
            recordOffset = recOff;
            handler.onTaggedChunkStart(key, (int) len, first);
            byte[] data = payload;
            if (t.leftover.length > 0) {
                data = new byte[t.leftover.length + payload.length];
                System.arraycopy(t.leftover, 0, data, 0, t.leftover.length);
                System.arraycopy(payload, 0, data, t.leftover.length, payload.length);
            }
            ByteBuf buf = Unpooled.wrappedBuffer(data);
            boolean complete = false;
            while (buf.isReadable()) {
                int mark = buf.readerIndex();
                try {
                    if (t.reader == null) {
                        taggedHeader(buf, t, key, recOff);
                    } else {
                        if (t.state != null) {
                            io.context(t.state, key);
                        }
                        if (t.reader.step(buf)) {
                            complete = true;
                            if (buf.isReadable()) {
                                throw io.error("TAGGED_CHUNK " + key + " holds " + buf.readableBytes()
                                        + " bytes after its entry completed");
                            }
                        }
                    }
                } catch (NeedMoreInput e) {
                    buf.readerIndex(mark);
                    break;
                }
            }
            byte[] rest = new byte[buf.readableBytes()];
            buf.readBytes(rest);
            t.leftover = rest;
            if (t.state != null) {
                t.state.chunks = t.chunks;
            }
            recordOffset = recOff;
            handler.onTaggedChunkEnd(key, t.state == null ? null : t.state.entry, complete);
            if (complete) {
                tagged.remove(key);
                handler.onEntryEnd(t.state.entry, t.state.summary());
            }
            errorContext(recOff);
        }

        private void taggedHeader(ByteBuf buf, Tagged t, int id, long recOff) {
            long expire = -1;
            int mask = 0;
            long mc = 0;
            int op = Bytes.u8(buf);
            while (op == OP_EXPIRETIME_MS || op == OP_DF_MASK || op == OP_EXPIRETIME) {
                if (op == OP_EXPIRETIME_MS) {
                    expire = Bytes.i64le(buf);
                } else if (op == OP_EXPIRETIME) {
                    expire = Bytes.i32le(buf) * 1000L;
                } else {
                    mask = (int) Bytes.u32le(buf);
                    if ((mask & RdbEntry.DF_MASK_MC_FLAGS) != 0) {
                        mc = Bytes.u32le(buf);
                    }
                }
                op = Bytes.u8(buf);
            }
            RdbType type = RdbType.of(op, rdbVersion);
            if (type == null) {
                throw io.error("TAGGED_CHUNK " + id + " does not start with an entry (byte 0x"
                        + Integer.toHexString(op) + ")");
            }
            byte[] key = io.string(buf);
            RdbEntry entry = new RdbEntry(recOff, db, key, type, expire, mask, mc, -1, -1, io.lastEncoding, id);
            EntryState st = new EntryState(entry, handler);
            io.context(st, id);
            ValueReader r = ValueReaders.create(type, st, io);
            t.state = st;
            t.reader = r;
            handler.onEntryStart(entry);
        }

        private void indexRecord(ByteBuf in, int op, long recOff) {
            if (op == OP_SHARD_DOC_INDEX) {
                io.length(in, "shard id");
                io.string(in);
                long n = io.length(in, "doc mapping count");
                for (long i = 0; i < n; i++) {
                    io.string(in);
                    io.length(in, "doc id");
                }
            } else {
                io.string(in);
                io.length(in, "enterpoint node");
                long nodes = io.length(in, "node count");
                for (long i = 0; i < nodes; i++) {
                    Bytes.skip(in, 4 + 8);
                    long level = Bytes.u32le(in);
                    for (long l = 0; l <= level; l++) {
                        long links = Bytes.u32le(in);
                        Bytes.need(in, links * 4);
                        in.skipBytes((int) (links * 4));
                    }
                }
            }
            recordOffset = recOff;
            handler.onIndexRecord(op);
        }

        private void eof(ByteBuf in, long recOff) {
            if (nested) {
                throw io.error("EOF inside a compressed blob");
            }
            long checksum = 0;
            if (rdbVersion >= 5) {
                checksum = Bytes.i64le(in);
            }
            if (pendingStart >= 0) {
                throw io.error("EOF after an expiry/flags prefix without entry");
            }
            if (!tagged.isEmpty()) {
                throw io.error(tagged.size() + " tagged entries still open at EOF (ids " + tagged.keySet() + ")");
            }
            if (crcOn) {
                long computed = Crc64.update(crc, new byte[] {(byte) OP_EOF}, 0, 1);
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
    }

    /** Marks an exception thrown by the host's handler so it is not mistaken for a decoding error. */
    static final class HandlerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HandlerFailure(Throwable cause) {
            super(cause);
        }
    }

    /** Wraps the host's handler: whatever it throws propagates unchanged, not as a protocol error. */
    private static final class GuardedHandler implements RdbHandler {
        private final RdbHandler h;

        GuardedHandler(RdbHandler h) {
            this.h = h;
        }

        private static HandlerFailure wrap(RuntimeException e) {
            return e instanceof HandlerFailure f ? f : new HandlerFailure(e);
        }

        @Override
        public void onJournalEntry(JournalEntry entry) {
            try {
                h.onJournalEntry(entry);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onHeader(int rdbVersion) {
            try {
                h.onHeader(rdbVersion);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onAux(byte[] key, byte[] value) {
            try {
                h.onAux(key, value);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onSelectDb(int db) {
            try {
                h.onSelectDb(db);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onResizeDb(long dbSize, long expiresSize) {
            try {
                h.onResizeDb(dbSize, expiresSize);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onSlotInfo(long slot, long slotSize, long expiresSlotSize) {
            try {
                h.onSlotInfo(slot, slotSize, expiresSlotSize);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onFunction(byte[] code) {
            try {
                h.onFunction(code);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onModuleAux(long moduleId, String moduleName, int whenOpcode, long when) {
            try {
                h.onModuleAux(moduleId, moduleName, whenOpcode, when);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onEntryStart(RdbEntry entry) {
            try {
                h.onEntryStart(entry);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onValueBatch(RdbEntry entry, io.df2redis.protocol.rdb.ValueBatch batch) {
            try {
                h.onValueBatch(entry, batch);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onEntryEnd(RdbEntry entry, io.df2redis.protocol.rdb.EntrySummary summary) {
            try {
                h.onEntryEnd(entry, summary);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onFullSyncEnd(boolean paddingZero) {
            try {
                h.onFullSyncEnd(paddingZero);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onJournalOffset(long nextLsn) {
            try {
                h.onJournalOffset(nextLsn);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onCompressedBlobStart(Compression compression, int compressedLength, int uncompressedLength) {
            try {
                h.onCompressedBlobStart(compression, compressedLength, uncompressedLength);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onCompressedBlobEnd(Compression compression) {
            try {
                h.onCompressedBlobEnd(compression);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onJournalBlobStart(long count) {
            try {
                h.onJournalBlobStart(count);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onJournalBlobEnd() {
            try {
                h.onJournalBlobEnd();
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onTaggedChunkStart(int id, int length, boolean first) {
            try {
                h.onTaggedChunkStart(id, length, first);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onTaggedChunkEnd(int id, RdbEntry entry, boolean completesEntry) {
            try {
                h.onTaggedChunkEnd(id, entry, completesEntry);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onEof(long checksum) {
            try {
                h.onEof(checksum);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onEofToken(byte[] token) {
            try {
                h.onEofToken(token);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }

        @Override
        public void onIndexRecord(int opcode) {
            try {
                h.onIndexRecord(opcode);
            } catch (RuntimeException e) {
                throw wrap(e);
            }
        }
    }
}
