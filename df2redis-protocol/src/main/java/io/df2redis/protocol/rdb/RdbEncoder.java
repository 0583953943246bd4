package io.df2redis.protocol.rdb;

import io.df2redis.protocol.internal.BlobCodec;
import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.internal.CompactWriter;
import io.df2redis.protocol.internal.Crc64;
import io.df2redis.protocol.internal.Lzf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Writes Dragonfly replication streams (spec §4) and Redis RDB files into Netty
 * {@link ByteBuf}s: the magic, every top-level record the decoder understands (AUX, SELECTDB,
 * RESIZEDB, EXPIRETIME_MS, DF_MASK, FULLSYNC_END, JOURNAL_BLOB, JOURNAL_OFFSET, compressed
 * blobs, TAGGED_CHUNK, EOF with zero or CRC64 checksum, the eof token, plus the rarer Redis
 * opcodes) and key/value entries of every RDB type, described by {@link RdbKeyValue} /
 * {@link RdbValue}. RDB strings follow Dragonfly's rules (spec §2.3): int-encoded when canonical
 * int32 decimal text, LZF when {@link Builder#lzfStrings} is on and it pays.
 *
 * <p>Big entries can be produced piecewise: {@link #entryWriter} writes one element-boundary unit
 * at a time (for streaming values bigger than memory), {@link #entryPieces} cuts an entry into
 * payloads of bounded size that a caller wraps as TAGGED_CHUNKs ({@link #writeTaggedChunk}) or
 * writes back to back. Instances are immutable and thread-safe; the ByteBufs are the caller's.
 *
 * <pre>{@code
 * RdbEncoder enc = RdbEncoder.dragonfly();
 * ByteBuf out = Unpooled.buffer();
 * enc.writeHeader(out);
 * enc.writeAux(out, "redis-ver", "6.2.11");
 * RdbEncoder.writeSelectDb(out, 0);
 * enc.writeEntry(out, RdbKeyValue.of("k", RdbValue.string("v")));
 * RdbEncoder.writeFullSyncEnd(out);
 * RdbEncoder.writeJournalOffset(out, 1);
 * enc.writeEof(out);
 * RdbEncoder.writeEofToken(out, token);
 * }</pre>
 *
 * <p><b>Why one class.</b> This is the writer's public surface: one method per RDB record and
 * primitive, the counterpart of {@link RdbHandler} on the decoding side, with its public nested
 * {@link Builder} and {@link EntryWriter}. Everything behind it lives elsewhere: the byte values
 * in {@link RdbOpcodes}, the per-type value layouts in {@code ValueEncoders},
 * {@code QuicklistUnits}, {@code StreamUnits} and {@code FilterUnits}, piece cutting in
 * {@code EntryPieceIterator}, compression and CRC in the internal codecs. What remains is the
 * record table itself, which a reader wants in one place.
 */
public final class RdbEncoder {
    /** Unix seconds of Dragonfly's member/field expiry base (2023-02-01T00:00:00Z). */
    public static final long MEMBER_EXPIRY_BASE = 1675209600L;
    /** Length of the eof token after a flow's EOF ({@link RdbOpcodes#EOF_TOKEN_LENGTH}). */
    public static final int EOF_TOKEN_LENGTH = RdbOpcodes.EOF_TOKEN_LENGTH;

    /** Alias of {@link RdbOpcodes#FULLSYNC_END}, kept for existing callers. */
    public static final int OP_FULLSYNC_END = RdbOpcodes.FULLSYNC_END;
    /** Alias of {@link RdbOpcodes#ZSTD_BLOB}, kept for existing callers. */
    public static final int OP_ZSTD_BLOB = RdbOpcodes.ZSTD_BLOB;
    /** Alias of {@link RdbOpcodes#LZ4_BLOB}, kept for existing callers. */
    public static final int OP_LZ4_BLOB = RdbOpcodes.LZ4_BLOB;
    /** Alias of {@link RdbOpcodes#JOURNAL_BLOB}, kept for existing callers. */
    public static final int OP_JOURNAL_BLOB = RdbOpcodes.JOURNAL_BLOB;
    /** Alias of {@link RdbOpcodes#JOURNAL_OFFSET}, kept for existing callers. */
    public static final int OP_JOURNAL_OFFSET = RdbOpcodes.JOURNAL_OFFSET;
    /** Alias of {@link RdbOpcodes#DF_MASK}, kept for existing callers. */
    public static final int OP_DF_MASK = RdbOpcodes.DF_MASK;
    /** Alias of {@link RdbOpcodes#TAGGED_CHUNK}, kept for existing callers. */
    public static final int OP_TAGGED_CHUNK = RdbOpcodes.TAGGED_CHUNK;
    /** Alias of {@link RdbOpcodes#SLOT_INFO}, kept for existing callers. */
    public static final int OP_SLOT_INFO = RdbOpcodes.SLOT_INFO;
    /** Alias of {@link RdbOpcodes#FUNCTION2}, kept for existing callers. */
    public static final int OP_FUNCTION2 = RdbOpcodes.FUNCTION2;
    /** Alias of {@link RdbOpcodes#MODULE_AUX}, kept for existing callers. */
    public static final int OP_MODULE_AUX = RdbOpcodes.MODULE_AUX;
    /** Alias of {@link RdbOpcodes#IDLE}, kept for existing callers. */
    public static final int OP_IDLE = RdbOpcodes.IDLE;
    /** Alias of {@link RdbOpcodes#FREQ}, kept for existing callers. */
    public static final int OP_FREQ = RdbOpcodes.FREQ;
    /** Alias of {@link RdbOpcodes#AUX}, kept for existing callers. */
    public static final int OP_AUX = RdbOpcodes.AUX;
    /** Alias of {@link RdbOpcodes#RESIZEDB}, kept for existing callers. */
    public static final int OP_RESIZEDB = RdbOpcodes.RESIZEDB;
    /** Alias of {@link RdbOpcodes#EXPIRETIME_MS}, kept for existing callers. */
    public static final int OP_EXPIRETIME_MS = RdbOpcodes.EXPIRETIME_MS;
    /** Alias of {@link RdbOpcodes#EXPIRETIME}, kept for existing callers. */
    public static final int OP_EXPIRETIME = RdbOpcodes.EXPIRETIME;
    /** Alias of {@link RdbOpcodes#SELECTDB}, kept for existing callers. */
    public static final int OP_SELECTDB = RdbOpcodes.SELECTDB;
    /** Alias of {@link RdbOpcodes#EOF}, kept for existing callers. */
    public static final int OP_EOF = RdbOpcodes.EOF;

    private static final RdbEncoder DRAGONFLY = builder().build();

    private final int rdbVersion;
    private final boolean lzfStrings;
    private final boolean lzfListNodes;
    private final int listNodeMaxElements;
    private final int listNodeMaxBytes;
    private final int listPlainThreshold;
    private final int streamNodeMaxEntries;
    private final int streamNodeMaxBytes;
    private final int filterChunkBytes;
    private final int intsetMinWidth;
    private final int zipmapFreeBytes;
    private final int zstdLevel;

    private RdbEncoder(Builder b) {
        this.rdbVersion = b.rdbVersion;
        this.lzfStrings = b.lzfStrings;
        this.lzfListNodes = b.lzfListNodes;
        this.listNodeMaxElements = b.listNodeMaxElements;
        this.listNodeMaxBytes = b.listNodeMaxBytes;
        this.listPlainThreshold = b.listPlainThreshold;
        this.streamNodeMaxEntries = b.streamNodeMaxEntries;
        this.streamNodeMaxBytes = b.streamNodeMaxBytes;
        this.filterChunkBytes = b.filterChunkBytes;
        this.intsetMinWidth = b.intsetMinWidth;
        this.zipmapFreeBytes = b.zipmapFreeBytes;
        this.zstdLevel = b.zstdLevel;
    }

    /** An encoder with Dragonfly's defaults: {@code REDIS0009}, no LZF strings. */
    public static RdbEncoder dragonfly() {
        return DRAGONFLY;
    }

    /** A builder with Dragonfly's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this encoder's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.rdbVersion = rdbVersion;
        b.lzfStrings = lzfStrings;
        b.lzfListNodes = lzfListNodes;
        b.listNodeMaxElements = listNodeMaxElements;
        b.listNodeMaxBytes = listNodeMaxBytes;
        b.listPlainThreshold = listPlainThreshold;
        b.streamNodeMaxEntries = streamNodeMaxEntries;
        b.streamNodeMaxBytes = streamNodeMaxBytes;
        b.filterChunkBytes = filterChunkBytes;
        b.intsetMinWidth = intsetMinWidth;
        b.zipmapFreeBytes = zipmapFreeBytes;
        b.zstdLevel = zstdLevel;
        return b;
    }

    /** RDB version of the magic. */
    public int rdbVersion() {
        return rdbVersion;
    }

    /** Whether RDB strings are LZF-compressed when that pays (Dragonfly's rule). */
    public boolean lzfStrings() {
        return lzfStrings;
    }

    /** Whether list nodes are LZF-compressed whenever that makes them smaller. */
    public boolean lzfListNodes() {
        return lzfListNodes;
    }

    /** Most elements in one quicklist node. */
    public int listNodeMaxElements() {
        return listNodeMaxElements;
    }

    /** Element bytes at which a quicklist node is closed. */
    public int listNodeMaxBytes() {
        return listNodeMaxBytes;
    }

    /** Element size from which LIST_QUICKLIST_2 writes a PLAIN node. */
    public int listPlainThreshold() {
        return listPlainThreshold;
    }

    /** Most entries in one stream node. */
    public int streamNodeMaxEntries() {
        return streamNodeMaxEntries;
    }

    /** Entry bytes at which a stream node is closed. */
    public int streamNodeMaxBytes() {
        return streamNodeMaxBytes;
    }

    /** Chunk size of SBF2 and Cuckoo filter bytes. */
    public int filterChunkBytes() {
        return filterChunkBytes;
    }

    /** Smallest intset width in bytes. */
    public int intsetMinWidth() {
        return intsetMinWidth;
    }

    /** Unused bytes written after each zipmap value. */
    public int zipmapFreeBytes() {
        return zipmapFreeBytes;
    }

    /** ZSTD level of compressed blobs. */
    public int zstdLevel() {
        return zstdLevel;
    }

    // ------------------------------------------------------------------ primitives

    /** A packed uint / RDB length in its shortest form (spec §2.2); {@code v} must be ≥ 0. */
    public static void writeLength(ByteBuf out, long v) {
        Bytes.writeRdbLength(out, v);
    }

    /** Like {@link #writeLength} but {@code v} is an unsigned 64-bit value (negative = ≥ 2^63, e.g. -1). */
    public static void writeLengthUnsigned(ByteBuf out, long v) {
        if (v >= 0) {
            Bytes.writeRdbLength(out, v);
        } else {
            out.writeByte(RdbOpcodes.LENGTH_64);
            out.writeLong(v);
        }
    }

    /** A plain RDB string: length and bytes, never int- or LZF-encoded. */
    public static void writeRawString(ByteBuf out, byte[] s) {
        writeLength(out, s.length);
        out.writeBytes(s);
    }

    /**
     * An RDB string as Dragonfly writes it: int8/16/32-encoded if {@code s} is the canonical
     * decimal form of an int32 (≤ 11 chars), else LZF when enabled, longer than 20 bytes, and
     * compressing by ≥ 8 bytes to &lt; 85 %, else plain.
     */
    public void writeString(ByteBuf out, byte[] s) {
        if (writeIntEncoded(out, s)) {
            return;
        }
        if (lzfStrings && s.length > 20 && writeLzfIfSmaller(out, s, true)) {
            return;
        }
        writeRawString(out, s);
    }

    /** {@link #writeString(ByteBuf, byte[])} of the UTF-8 bytes of {@code s}. */
    public void writeString(ByteBuf out, String s) {
        writeString(out, s.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code s} int-encoded if it is a canonical int32 (spec §2.3); false (nothing written) otherwise. */
    public static boolean writeIntEncoded(ByteBuf out, byte[] s) {
        if (s.length > 11) {
            return false;
        }
        Long v = CompactWriter.canonicalLong(s);
        if (v == null) {
            return false;
        }
        long x = v;
        if (x >= Byte.MIN_VALUE && x <= Byte.MAX_VALUE) {
            out.writeByte(RdbOpcodes.STRING_INT8);
            out.writeByte((int) x);
        } else if (x >= Short.MIN_VALUE && x <= Short.MAX_VALUE) {
            out.writeByte(RdbOpcodes.STRING_INT16);
            out.writeShortLE((int) x);
        } else if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) {
            out.writeByte(RdbOpcodes.STRING_INT32);
            out.writeIntLE((int) x);
        } else {
            return false;
        }
        return true;
    }

    /**
     * Writes {@code s} LZF-compressed ({@code C3 clen ulen data}) whenever the compressed form is
     * smaller, as Dragonfly does for already-compressed quicklist nodes; plain otherwise.
     */
    public void writeLzfString(ByteBuf out, byte[] s) {
        if (!writeLzfIfSmaller(out, s, false)) {
            writeRawString(out, s);
        }
    }

    private static boolean writeLzfIfSmaller(ByteBuf out, byte[] s, boolean dragonflyRule) {
        byte[] c = Lzf.compress(s);
        if (c == null) {
            return false;
        }
        if (dragonflyRule && (s.length - c.length < 8 || c.length * 100L >= s.length * 85L)) {
            return false;
        }
        out.writeByte(RdbOpcodes.STRING_LZF);
        writeLength(out, c.length);
        writeLength(out, s.length);
        out.writeBytes(c);
        return true;
    }

    /** "LongLongAsString" (spec §2.3): int-encoded if it fits int32, else decimal text. */
    public void writeLongLongAsString(ByteBuf out, long v) {
        byte[] s = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
        if (!writeIntEncoded(out, s)) {
            writeRawString(out, s);
        }
    }

    /** A binary double: 8 bytes IEEE-754 LE. */
    public static void writeBinaryDouble(ByteBuf out, double d) {
        out.writeLongLE(Double.doubleToRawLongBits(d));
    }

    /** The text double of RDB type 3 zsets: 253 NaN, 254 +inf, 255 -inf, else a length byte and ASCII. */
    public static void writeTextDouble(ByteBuf out, double d) {
        if (Double.isNaN(d)) {
            out.writeByte(253);
        } else if (d == Double.POSITIVE_INFINITY) {
            out.writeByte(254);
        } else if (d == Double.NEGATIVE_INFINITY) {
            out.writeByte(255);
        } else {
            byte[] s = (d == 0 ? (Double.doubleToRawLongBits(d) < 0 ? "-0" : "0") : ScoreText.shortestDouble(d))
                    .getBytes(StandardCharsets.US_ASCII);
            out.writeByte(s.length);
            out.writeBytes(s);
        }
    }

    /** Continues a CRC-64 (Redis' Jones polynomial) over {@code buf[index, index+length)}. */
    public static long crc64(long crc, ByteBuf buf, int index, int length) {
        return Crc64.update(crc, buf, index, length);
    }

    // ------------------------------------------------------------------ records

    /** The 9-byte magic {@code REDIS<version>}. */
    public void writeHeader(ByteBuf out) {
        out.writeBytes(String.format("REDIS%04d", rdbVersion).getBytes(StandardCharsets.US_ASCII));
    }

    /** AUX: a metadata key/value pair. */
    public void writeAux(ByteBuf out, byte[] key, byte[] value) {
        out.writeByte(RdbOpcodes.AUX);
        writeString(out, key);
        writeString(out, value);
    }

    /** AUX with UTF-8 key and value. */
    public void writeAux(ByteBuf out, String key, String value) {
        writeAux(out, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    /** SELECTDB: the database of the following entries. */
    public static void writeSelectDb(ByteBuf out, int db) {
        out.writeByte(RdbOpcodes.SELECTDB);
        writeLength(out, db);
    }

    /** RESIZEDB: database size hints. */
    public static void writeResizeDb(ByteBuf out, long dbSize, long expiresSize) {
        out.writeByte(RdbOpcodes.RESIZEDB);
        writeLength(out, dbSize);
        writeLength(out, expiresSize);
    }

    /** EXPIRETIME_MS: the next entry's absolute expiry in Unix milliseconds. */
    public static void writeExpireTimeMs(ByteBuf out, long unixMs) {
        out.writeByte(RdbOpcodes.EXPIRETIME_MS);
        out.writeLongLE(unixMs);
    }

    /** EXPIRETIME (old Redis, seconds as int32 LE). */
    public static void writeExpireTimeSeconds(ByteBuf out, int unixSeconds) {
        out.writeByte(RdbOpcodes.EXPIRETIME);
        out.writeIntLE(unixSeconds);
    }

    /** DF_MASK: flags, and the memcached flags when {@code mask} has {@link RdbEntry#DF_MASK_MC_FLAGS}. */
    public static void writeDfMask(ByteBuf out, int mask, long mcFlags) {
        out.writeByte(RdbOpcodes.DF_MASK);
        out.writeIntLE(mask);
        if ((mask & RdbEntry.DF_MASK_MC_FLAGS) != 0) {
            out.writeIntLE((int) mcFlags);
        }
    }

    /** IDLE: the next entry's LRU idle time in seconds. */
    public static void writeIdle(ByteBuf out, long idleSeconds) {
        out.writeByte(RdbOpcodes.IDLE);
        writeLength(out, idleSeconds);
    }

    /** FREQ: the next entry's LFU frequency (one byte). */
    public static void writeFreq(ByteBuf out, int lfuFrequency) {
        out.writeByte(RdbOpcodes.FREQ);
        out.writeByte(lfuFrequency);
    }

    /** SLOT_INFO: a cluster slot and its sizes. */
    public static void writeSlotInfo(ByteBuf out, long slot, long slotSize, long expiresSlotSize) {
        out.writeByte(RdbOpcodes.SLOT_INFO);
        writeLength(out, slot);
        writeLength(out, slotSize);
        writeLength(out, expiresSlotSize);
    }

    /** FUNCTION2: a function library's code. */
    public void writeFunction(ByteBuf out, byte[] code) {
        out.writeByte(RdbOpcodes.FUNCTION2);
        writeString(out, code);
    }

    /**
     * MODULE_AUX: module id, when-opcode UINT, {@code when}, the module's opcode stream
     * ({@link RdbValue.ModuleValue#opcodes()}) and the EOF opcode.
     */
    public static void writeModuleAux(ByteBuf out, long moduleId, long when, byte[] opcodeStream) {
        out.writeByte(RdbOpcodes.MODULE_AUX);
        writeLengthUnsigned(out, moduleId);
        writeLength(out, RdbOpcodes.MODULE_UINT);
        writeLength(out, when);
        out.writeBytes(opcodeStream);
        out.writeByte(RdbOpcodes.MODULE_EOF);
    }

    /** FULLSYNC_END and its 8 zero bytes. */
    public static void writeFullSyncEnd(ByteBuf out) {
        out.writeByte(RdbOpcodes.FULLSYNC_END);
        out.writeLongLE(0);
    }

    /** JOURNAL_OFFSET: the next LSN of the flow's journal, 8 bytes LE. */
    public static void writeJournalOffset(ByteBuf out, long nextLsn) {
        out.writeByte(RdbOpcodes.JOURNAL_OFFSET);
        out.writeLongLE(nextLsn);
    }

    /** A JOURNAL_BLOB with count 1 holding one journal item (see {@code JournalEncoder.item}). */
    public void writeJournalBlob(ByteBuf out, byte[] item) {
        writeJournalBlob(out, 1, item);
    }

    /** A JOURNAL_BLOB holding {@code count} journal entries (a leading SELECT belongs to its entry). */
    public void writeJournalBlob(ByteBuf out, long count, byte[] items) {
        out.writeByte(RdbOpcodes.JOURNAL_BLOB);
        writeLength(out, count);
        writeString(out, items);
    }

    /** A compressed blob (0xCA LZ4 in Dragonfly's frame format, 0xC9 ZSTD) wrapping already-encoded records. */
    public void writeCompressedBlob(ByteBuf out, Compression compression, byte[] records) {
        byte[] c = compress(compression, records);
        out.writeByte(compression == Compression.LZ4 ? RdbOpcodes.LZ4_BLOB : RdbOpcodes.ZSTD_BLOB);
        writeLength(out, c.length);
        out.writeBytes(c);
    }

    /**
     * Writes the records of one serializer flush as Dragonfly does (spec §4.5): compressed when
     * {@code compression} is not null, the blob is 256 B–1 MiB and compression saves ≥ 5 %,
     * otherwise as they are.
     *
     * @return whether a compressed blob was written
     */
    public boolean writeFlush(ByteBuf out, Compression compression, byte[] records) {
        if (compression != null && records.length >= 256 && records.length <= (1 << 20)) {
            byte[] c = compress(compression, records);
            if (c.length * 100L <= records.length * 95L) {
                out.writeByte(compression == Compression.LZ4 ? RdbOpcodes.LZ4_BLOB : RdbOpcodes.ZSTD_BLOB);
                writeLength(out, c.length);
                out.writeBytes(c);
                return true;
            }
        }
        out.writeBytes(records);
        return false;
    }

    private byte[] compress(Compression compression, byte[] records) {
        return compression == Compression.LZ4 ? BlobCodec.compressLz4(records)
                : BlobCodec.compressZstd(records, zstdLevel);
    }

    /** A TAGGED_CHUNK record: id (≠ 0), payload length (≠ 0), payload. */
    public static void writeTaggedChunk(ByteBuf out, int id, byte[] payload) {
        writeTaggedChunk(out, id, Unpooled.wrappedBuffer(payload));
    }

    /** A TAGGED_CHUNK record with the readable bytes of {@code payload} (its reader index is not moved). */
    public static void writeTaggedChunk(ByteBuf out, int id, ByteBuf payload) {
        if (id == 0) {
            throw new IllegalArgumentException("TAGGED_CHUNK id 0 is reserved");
        }
        if (!payload.isReadable()) {
            throw new IllegalArgumentException("TAGGED_CHUNK payload must not be empty");
        }
        out.writeByte(RdbOpcodes.TAGGED_CHUNK);
        out.writeIntLE(id);
        out.writeIntLE(payload.readableBytes());
        out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
    }

    /** EOF and, for RDB version ≥ 5, a zero checksum (what replication flows carry). */
    public void writeEof(ByteBuf out) {
        writeEof(out, 0);
    }

    /** EOF and, for RDB version ≥ 5, the given checksum (8 bytes LE). */
    public void writeEof(ByteBuf out, long checksum) {
        out.writeByte(RdbOpcodes.EOF);
        if (rdbVersion >= 5) {
            out.writeLongLE(checksum);
        }
    }

    /**
     * EOF of a file with its CRC-64 over everything from the magic through the EOF byte, where
     * the stream so far is {@code out[streamStart, writerIndex)}.
     *
     * @return the checksum written
     */
    public long writeFileEof(ByteBuf out, int streamStart) {
        long crc = Crc64.update(0L, out, streamStart, out.writerIndex() - streamStart);
        return writeFileEofContinuing(out, crc);
    }

    /**
     * EOF of a file whose preceding bytes (magic included) were written elsewhere and hash to
     * {@code crcOfPrecedingBytes} ({@link #crc64}).
     *
     * @return the checksum written
     */
    public long writeFileEofContinuing(ByteBuf out, long crcOfPrecedingBytes) {
        long crc = Crc64.update(crcOfPrecedingBytes, new byte[] {(byte) RdbOpcodes.EOF}, 0, 1);
        writeEof(out, crc);
        return crc;
    }

    /** The 40-byte eof token that follows a flow's EOF and checksum. */
    public static void writeEofToken(ByteBuf out, byte[] token) {
        if (token.length != EOF_TOKEN_LENGTH) {
            throw new IllegalArgumentException("eof token must have 40 bytes, got " + token.length);
        }
        out.writeBytes(token);
    }

    /** {@link #writeEofToken(ByteBuf, byte[])} of the ASCII bytes of {@code token}. */
    public static void writeEofToken(ByteBuf out, String token) {
        writeEofToken(out, token.getBytes(StandardCharsets.US_ASCII));
    }

    // ------------------------------------------------------------------ entries

    /** A whole key/value entry: [EXPIRETIME_MS] [DF_MASK] type key value. */
    public void writeEntry(ByteBuf out, RdbKeyValue kv) {
        EntryWriter w = entryWriter(kv);
        while (w.writeNext(out)) {
            // all units
        }
    }

    /** The bytes of {@link #writeEntry}. */
    public byte[] encodeEntry(RdbKeyValue kv) {
        ByteBuf b = Unpooled.buffer();
        writeEntry(b, kv);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    /**
     * The start of an entry whose value the caller writes itself, e.g. a string too big to hold,
     * streamed as {@link #writeLength} of its size followed by its bytes: [EXPIRETIME_MS]
     * [DF_MASK] type key.
     *
     * @param expireAtMs absolute expiry in Unix ms, or -1 for none
     * @param dfMask DF_MASK flags, 0 for no DF_MASK record
     */
    public void writeEntryHeader(ByteBuf out, byte[] key, RdbType type, long expireAtMs, int dfMask, long mcFlags) {
        if (expireAtMs >= 0) {
            writeExpireTimeMs(out, expireAtMs);
        }
        if (dfMask != 0) {
            writeDfMask(out, dfMask, mcFlags);
        }
        out.writeByte(type.code());
        writeString(out, key);
    }

    /** Only the value payload of {@code value} as {@code type} (what follows the key of an entry). */
    public void writeValue(ByteBuf out, RdbType type, RdbValue value) {
        checkType(type, value);
        ValueUnits u = ValueEncoders.create(this, type, value);
        while (u.next(out)) {
            // all units
        }
    }

    /** A writer that produces the entry one element-boundary unit at a time. */
    public EntryWriter entryWriter(RdbKeyValue kv) {
        checkType(kv.type(), kv.value());
        return new EntryWriter(kv, ValueEncoders.create(this, kv.type(), kv.value()));
    }

    /**
     * The entry cut at element boundaries (spec §4.4) into pieces of at most
     * {@code maxPieceBytes} bytes (a piece is bigger only when it holds a single element that
     * is). The first piece holds the prefix, type, key and value header; their concatenation
     * equals {@link #encodeEntry}. Values that Dragonfly never splits (strings, listpacks…) come
     * as one piece.
     */
    public List<byte[]> entryPieces(RdbKeyValue kv, int maxPieceBytes) {
        List<byte[]> out = new ArrayList<>();
        entryPieceIterator(kv, maxPieceBytes).forEachRemaining(out::add);
        return out;
    }

    /** {@link #entryPieces} computed lazily, for values too big to hold encoded. */
    public Iterator<byte[]> entryPieceIterator(RdbKeyValue kv, int maxPieceBytes) {
        if (maxPieceBytes <= 0) {
            throw new IllegalArgumentException("maxPieceBytes must be positive: " + maxPieceBytes);
        }
        return new EntryPieceIterator(entryWriter(kv), maxPieceBytes);
    }

    /**
     * Writes the entry entirely as TAGGED_CHUNK records with stream id {@code id}, one per
     * {@link #entryPieces piece} of at most {@code maxChunkBytes}.
     *
     * @return the number of chunks written
     */
    public int writeTaggedEntry(ByteBuf out, int id, RdbKeyValue kv, int maxChunkBytes) {
        int n = 0;
        Iterator<byte[]> it = entryPieceIterator(kv, maxChunkBytes);
        while (it.hasNext()) {
            writeTaggedChunk(out, id, it.next());
            n++;
        }
        return n;
    }

    private void checkType(RdbType type, RdbValue value) {
        if (!value.supports(type)) {
            throw new IllegalArgumentException(value.getClass().getSimpleName() + " cannot be written as " + type);
        }
        if (type == RdbType.JSON_OLD && rdbVersion >= 10) {
            throw new IllegalArgumentException("type byte 20 means JSON only in RDB versions below 10");
        }
        if (type == RdbType.SET_LISTPACK && rdbVersion < 10) {
            throw new IllegalArgumentException("SET_LISTPACK needs RDB version 10 or later (20 is JSON before)");
        }
    }

    /**
     * Produces one entry a unit at a time: the first call writes the EXPIRETIME_MS / DF_MASK
     * prefix, type byte, key and the value's header; each further call one element-boundary unit
     * (a list node, set member, hash field, stream node with its listpack, filter chunk…). Any
     * boundary between two calls is a point where Dragonfly may split the entry. Not thread-safe.
     */
    public final class EntryWriter {
        private final RdbKeyValue kv;
        private final ValueUnits units;
        private boolean started;
        private boolean done;

        private EntryWriter(RdbKeyValue kv, ValueUnits units) {
            this.kv = kv;
            this.units = units;
        }

        /** Writes the next unit into {@code out}; returns false (writing nothing) once the entry is complete. */
        public boolean writeNext(ByteBuf out) {
            if (done) {
                return false;
            }
            if (!started) {
                started = true;
                writeEntryHeader(out, kv.key(), kv.type(), kv.expireAtMs(), kv.dfMask(), kv.mcFlags());
                if (!units.next(out)) {
                    done = true;
                }
                return true;
            }
            if (!units.next(out)) {
                done = true;
                return false;
            }
            return true;
        }

        /** Whether every unit was written. */
        public boolean isDone() {
            return done;
        }

        /** The entry being written. */
        public RdbKeyValue entry() {
            return kv;
        }
    }

    /** Builder of {@link RdbEncoder}. */
    public static final class Builder {
        private int rdbVersion = 9;
        private boolean lzfStrings;
        private boolean lzfListNodes;
        private int listNodeMaxElements = 128;
        private int listNodeMaxBytes = 8 * 1024;
        private int listPlainThreshold = 16 * 1024;
        private int streamNodeMaxEntries = 100;
        private int streamNodeMaxBytes = 4096;
        private int filterChunkBytes = 64 << 20;
        private int intsetMinWidth = 2;
        private int zipmapFreeBytes;
        private int zstdLevel = 2;

        private Builder() {
        }

        /** RDB version of the magic (1–12; default 9 as Dragonfly); versions below 5 have no checksum. */
        public Builder rdbVersion(int v) {
            if (v < 1 || v > 9999) {
                throw new IllegalArgumentException("RDB version out of range: " + v);
            }
            this.rdbVersion = v;
            return this;
        }

        /** LZF for RDB strings as with Dragonfly's {@code --compression_mode=1} (default off). */
        public Builder lzfStrings(boolean on) {
            this.lzfStrings = on;
            return this;
        }

        /** Write list nodes LZF-compressed (as Dragonfly does for nodes compressed in memory; default off). */
        public Builder lzfListNodes(boolean on) {
            this.lzfListNodes = on;
            return this;
        }

        /** Most elements in one quicklist node (default 128). */
        public Builder listNodeMaxElements(int n) {
            this.listNodeMaxElements = positive(n, "listNodeMaxElements");
            return this;
        }

        /** A quicklist node is closed before its element bytes would exceed this (default 8 KiB). */
        public Builder listNodeMaxBytes(int n) {
            this.listNodeMaxBytes = positive(n, "listNodeMaxBytes");
            return this;
        }

        /** LIST_QUICKLIST_2 elements of at least this many bytes become PLAIN nodes (default 16 KiB). */
        public Builder listPlainThreshold(int n) {
            this.listPlainThreshold = positive(n, "listPlainThreshold");
            return this;
        }

        /** Most entries in one stream node (default 100, Redis' stream-node-max-entries). */
        public Builder streamNodeMaxEntries(int n) {
            this.streamNodeMaxEntries = positive(n, "streamNodeMaxEntries");
            return this;
        }

        /** A stream node is closed once its entries reach about this many bytes (default 4096). */
        public Builder streamNodeMaxBytes(int n) {
            this.streamNodeMaxBytes = positive(n, "streamNodeMaxBytes");
            return this;
        }

        /** Chunk size of SBF2 and Cuckoo filter bytes (default 64 MiB, as Dragonfly). */
        public Builder filterChunkBytes(int n) {
            this.filterChunkBytes = positive(n, "filterChunkBytes");
            return this;
        }

        /** Smallest intset width in bytes: 2 (default), 4 or 8; wider values widen it anyway. */
        public Builder intsetMinWidth(int w) {
            if (w != 2 && w != 4 && w != 8) {
                throw new IllegalArgumentException("intset width must be 2, 4 or 8: " + w);
            }
            this.intsetMinWidth = w;
            return this;
        }

        /** Unused bytes after each zipmap value (0–255, default 0). */
        public Builder zipmapFreeBytes(int n) {
            if (n < 0 || n > 255) {
                throw new IllegalArgumentException("zipmap free bytes must be 0..255: " + n);
            }
            this.zipmapFreeBytes = n;
            return this;
        }

        /** ZSTD level of compressed blobs (default 2, as Dragonfly). */
        public Builder zstdLevel(int level) {
            this.zstdLevel = level;
            return this;
        }

        /** The encoder. */
        public RdbEncoder build() {
            return new RdbEncoder(this);
        }

        private static int positive(int n, String name) {
            if (n <= 0) {
                throw new IllegalArgumentException(name + " must be positive: " + n);
            }
            return n;
        }
    }
}
