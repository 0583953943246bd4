package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.LimitExceededException;
import io.df2redis.protocol.TruncatedInputException;
import io.df2redis.protocol.internal.BlobCodec;
import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.internal.NeedMoreInput;
import io.df2redis.protocol.rdb.Compression;
import io.df2redis.protocol.rdb.ModuleIds;
import io.df2redis.protocol.rdb.RdbDecoderOptions;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.RdbOpcodes;
import io.df2redis.protocol.rdb.RdbProtocolException;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.StringEncoding;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Reads the top-level records (spec §4.2) of the outer stream, or of one decompressed blob
 * ({@code nested}), one record per {@link #step}: metadata records go to the handler, the
 * expiry / flags prefix is held until its entry starts, an entry's value is handed to its
 * {@link ValueReader} one unit per step, compressed blobs are decompressed and read by a nested
 * reader, TAGGED_CHUNKs go to {@link TaggedChunks}. Stream-wide state (database, offsets, the
 * journal decoder) lives in the {@link RdbEngine} it reads for.
 *
 * <p>Like the engine, confined to the thread that feeds the decoder.
 */
final class RecordReader {
    private final RdbEngine engine;
    private final Io io;
    private final RdbHandler handler;
    private final RdbDecoderOptions options;
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
    /** Largest decompressed blob array kept for the next blob (Dragonfly's are up to a few hundred KiB). */
    static final int MAX_REUSED_BLOB = 1 << 20;
    /** The last blob's decompressed array, reused for the next one that fits (outer reader only). */
    private byte[] plainBuffer;
    /** The state of this reader's entries, which follow each other: one, reset per entry. */
    private EntryState state;
    /** The reader of this reader's string values, reset per string (the most common type). */
    private StringReader strings;

    RecordReader(RdbEngine engine, boolean nested) {
        this.engine = engine;
        this.io = engine.io;
        this.handler = engine.handler;
        this.options = engine.options;
        this.nested = nested;
    }

    long off(ByteBuf in) {
        return bufBase + in.readerIndex();
    }

    void errorContext(long recOff) {
        if (nested) {
            io.unitOffset = blobOffset;
            io.contextInBlob(recOff, blobKind);
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
            case RdbOpcodes.AUX: {
                byte[] k = io.string(in);
                byte[] v = io.string(in);
                engine.recordOffset = recOff;
                handler.onAux(k, v);
                return;
            }
            case RdbOpcodes.SELECTDB: {
                long d = io.length(in, "SELECTDB index");
                if (d > 65535) {
                    throw io.error("SELECTDB index " + d + " out of range");
                }
                engine.db = (int) d;
                engine.recordOffset = recOff;
                handler.onSelectDb(engine.db);
                return;
            }
            case RdbOpcodes.RESIZEDB: {
                long a = io.length(in, "RESIZEDB db size");
                long b = io.length(in, "RESIZEDB expires size");
                engine.recordOffset = recOff;
                handler.onResizeDb(a, b);
                return;
            }
            case RdbOpcodes.EXPIRETIME_MS: {
                long t = Bytes.i64le(in);
                prefix(recOff);
                pendingExpire = t;
                return;
            }
            case RdbOpcodes.EXPIRETIME: {
                long t = Bytes.i32le(in);
                prefix(recOff);
                pendingExpire = t * 1000L;
                return;
            }
            case RdbOpcodes.IDLE: {
                long idle = io.length(in, "IDLE");
                prefix(recOff);
                pendingIdle = idle;
                return;
            }
            case RdbOpcodes.FREQ: {
                int f = Bytes.u8(in);
                prefix(recOff);
                pendingFreq = f;
                return;
            }
            case RdbOpcodes.DF_MASK: {
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
            case RdbOpcodes.SLOT_INFO: {
                long slot = io.length(in, "SLOT_INFO slot");
                long size = io.length(in, "SLOT_INFO size");
                long exp = io.length(in, "SLOT_INFO expires size");
                engine.recordOffset = recOff;
                handler.onSlotInfo(slot, size, exp);
                return;
            }
            case RdbOpcodes.FUNCTION2: {
                byte[] code = io.string(in);
                engine.recordOffset = recOff;
                handler.onFunction(code);
                return;
            }
            case RdbOpcodes.FUNCTION_PRE_GA:
                throw io.error("pre-release (Redis 7.0 RC) function format is not supported");
            case RdbOpcodes.MODULE_AUX:
                moduleAux(in, recOff);
                return;
            case RdbOpcodes.FULLSYNC_END: {
                long padding = Bytes.i64le(in);
                engine.recordOffset = recOff;
                handler.onFullSyncEnd(padding == 0);
                return;
            }
            case RdbOpcodes.JOURNAL_OFFSET: {
                long lsn = Bytes.i64le(in);
                engine.journalOffset = lsn;
                engine.recordOffset = recOff;
                handler.onJournalOffset(lsn);
                return;
            }
            case RdbOpcodes.JOURNAL_BLOB:
                journalBlob(in, recOff);
                return;
            case RdbOpcodes.ZSTD_BLOB:
            case RdbOpcodes.LZ4_BLOB:
                compressedBlob(in, recOff, op == RdbOpcodes.LZ4_BLOB ? Compression.LZ4 : Compression.ZSTD);
                return;
            case RdbOpcodes.BLOB_END:
                throw io.error("COMPRESSED_BLOB_END (0xCB) is never sent on the wire");
            case RdbOpcodes.TAGGED_CHUNK:
                engine.tagged.read(in, recOff);
                errorContext(recOff);
                return;
            case RdbOpcodes.VECTOR_INDEX:
            case RdbOpcodes.SHARD_DOC_INDEX:
                indexRecord(in, op, recOff);
                return;
            case RdbOpcodes.EOF:
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
        RdbType type = RdbType.of(typeByte, engine.rdbVersion());
        if (type == null) {
            throw io.error("unknown opcode or value type 0x" + Integer.toHexString(typeByte));
        }
        byte[] key = io.string(in);
        StringEncoding keyEnc = io.lastEncoding;
        long start = pendingStart >= 0 ? pendingStart : recOff;
        RdbEntry entry = new RdbEntry(start, engine.db, key, type, pendingExpire, pendingMask, pendingMcFlags,
                pendingIdle, pendingFreq, keyEnc, 0);
        clearPrefix();
        EntryState st = state == null ? (state = new EntryState(entry, handler)) : state.reset(entry);
        io.context(st, 0);
        ValueReader r;
        if (type == RdbType.STRING) {
            r = strings == null ? (strings = new StringReader(st, io)) : strings.reset();
        } else {
            r = ValueReaders.create(type, st, io);
        }
        engine.recordOffset = start;
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
        if (whenOp != RdbOpcodes.MODULE_UINT) {
            throw io.error("MODULE_AUX when-opcode " + whenOp + ", expected 2");
        }
        while (ModuleFields.skipField(in, io, "MODULE_AUX")) {
            // every field up to the module EOF opcode
        }
        engine.recordOffset = recOff;
        handler.onModuleAux(id, ModuleIds.moduleName(id), (int) whenOp, when);
    }

    private void journalBlob(ByteBuf in, long recOff) {
        long count = io.length(in, "JOURNAL_BLOB count");
        byte[] item = io.string(in);
        engine.recordOffset = recOff;
        handler.onJournalBlobStart(count);
        long abs = nested ? blobOffset : recOff;
        engine.journal.decodeItem(item, count, abs);
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
        BlobCodec.Decompressed plain;
        try {
            plain = kind == Compression.LZ4 ? BlobCodec.decompressLz4Into(c, options.maxBlobBytes(), plainBuffer)
                    : whole(BlobCodec.decompressZstd(c, options.maxBlobBytes()));
        } catch (BlobCodec.BadBlobException e) {
            if (e.isLimit()) {
                throw new LimitExceededException(e.getMessage(), recOff, kind + " blob");
            }
            throw new RdbProtocolException(e.getMessage(), recOff, kind + " blob");
        }
        engine.recordOffset = recOff;
        handler.onCompressedBlobStart(kind, c.length, plain.length());
        RecordReader inner = new RecordReader(engine, true);
        inner.blobOffset = recOff;
        inner.blobKind = kind;
        inner.bufBase = 0;
        // the whole (reused) array with the writer index at the content's end, never a slice: one
        // buffer class for every blob keeps the decoder's ByteBuf calls bimorphic (with the socket's)
        ByteBuf buf = Unpooled.wrappedBuffer(plain.bytes()).setIndex(0, plain.length());
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
        engine.recordOffset = recOff;
        handler.onCompressedBlobEnd(kind);
        errorContext(recOff);
        // every entry of the blob ended inside it and handlers got copies: its array may take the next blob
        if (plain.bytes() != plainBuffer && plain.bytes().length <= MAX_REUSED_BLOB) {
            plainBuffer = plain.bytes();
        }
    }

    private void indexRecord(ByteBuf in, int op, long recOff) {
        if (op == RdbOpcodes.SHARD_DOC_INDEX) {
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
        engine.recordOffset = recOff;
        handler.onIndexRecord(op);
    }

    private void eof(ByteBuf in, long recOff) {
        if (nested) {
            throw io.error("EOF inside a compressed blob");
        }
        long checksum = 0;
        if (engine.rdbVersion() >= 5) {
            checksum = Bytes.i64le(in);
        }
        if (pendingStart >= 0) {
            throw io.error("EOF after an expiry/flags prefix without entry");
        }
        if (engine.tagged.openCount() > 0) {
            throw io.error(engine.tagged.openCount() + " tagged entries still open at EOF (ids "
                    + engine.tagged.openIds() + ")");
        }
        engine.endOfRdb(checksum, recOff);
    }

    private static BlobCodec.Decompressed whole(byte[] b) {
        return new BlobCodec.Decompressed(b, b.length);
    }
}
