package io.df2redis.protocol.rdb;

import static io.df2redis.protocol.rdb.RdbRecords.writeDfMask;
import static io.df2redis.protocol.rdb.RdbRecords.writeExpireTimeMs;
import static io.df2redis.protocol.rdb.RdbRecords.writeIntEncoded;
import static io.df2redis.protocol.rdb.RdbRecords.writeLength;
import static io.df2redis.protocol.rdb.RdbRecords.writeLzfIfSmaller;
import static io.df2redis.protocol.rdb.RdbRecords.writeRawString;
import static io.df2redis.protocol.rdb.RdbRecords.writeTaggedChunk;

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
 * int32 decimal text, LZF when {@link RdbEncoderBuilder#lzfStrings} is on and it pays.
 *
 * <p>Big entries can be produced piecewise: {@link #entryWriter} writes one element-boundary unit
 * at a time (for streaming values bigger than memory), {@link #entryPieces} cuts an entry into
 * payloads of bounded size that a caller wraps as TAGGED_CHUNKs ({@link RdbRecords#writeTaggedChunk(io.netty.buffer.ByteBuf, int, byte[])}) or
 * writes back to back. Instances are immutable and thread-safe; the ByteBufs are the caller's.
 *
 * <pre>{@code
 * RdbEncoder enc = RdbEncoder.dragonfly();
 * ByteBuf out = Unpooled.buffer();
 * enc.writeHeader(out);
 * enc.writeAux(out, "redis-ver", "6.2.11");
 * RdbRecords.writeSelectDb(out, 0);
 * enc.writeEntry(out, RdbKeyValue.of("k", RdbValue.string("v")));
 * RdbRecords.writeFullSyncEnd(out);
 * RdbRecords.writeJournalOffset(out, 1);
 * enc.writeEof(out);
 * RdbRecords.writeEofToken(out, token);
 * }</pre>
 *
 * <p>This class holds the writes that depend on the encoder's settings (string compression, RDB
 * version, value layouts) and its {@link RdbEncoderBuilder}; the setting-free primitives and fixed-layout
 * records are {@link RdbRecords}', the byte values {@link RdbOpcodes}', the per-type value layouts
 * {@code ValueEncoders}', {@code QuicklistUnits}', {@code StreamUnits}' and {@code FilterUnits}',
 * unit-wise writing {@link EntryWriter}'s and piece cutting {@code EntryPieceIterator}'s.
 *
 * <p><b>Why one class:</b> what remains (a little over 400 lines) is the settings and every write
 * that reads them; splitting it would pass the settings around instead of keeping them here.
 */
public final class RdbEncoder {
    /** Length of the eof token after a flow's EOF ({@link RdbOpcodes#EOF_TOKEN_LENGTH}). */
    public static final int EOF_TOKEN_LENGTH = RdbOpcodes.EOF_TOKEN_LENGTH;

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

    RdbEncoder(RdbEncoderBuilder b) {
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
    public static RdbEncoderBuilder builder() {
        return new RdbEncoderBuilder();
    }

    /** A builder initialised with this encoder's settings. */
    public RdbEncoderBuilder toBuilder() {
        RdbEncoderBuilder b = new RdbEncoderBuilder();
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

    /**
     * Writes {@code s} LZF-compressed ({@code C3 clen ulen data}) whenever the compressed form is
     * smaller, as Dragonfly does for already-compressed quicklist nodes; plain otherwise.
     */
    public void writeLzfString(ByteBuf out, byte[] s) {
        if (!writeLzfIfSmaller(out, s, false)) {
            writeRawString(out, s);
        }
    }

    /** "LongLongAsString" (spec §2.3): int-encoded if it fits int32, else decimal text. */
    public void writeLongLongAsString(ByteBuf out, long v) {
        byte[] s = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
        if (!writeIntEncoded(out, s)) {
            writeRawString(out, s);
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

    /** FUNCTION2: a function library's code. */
    public void writeFunction(ByteBuf out, byte[] code) {
        out.writeByte(RdbOpcodes.FUNCTION2);
        writeString(out, code);
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
     * streamed as {@link RdbRecords#writeLength} of its size followed by its bytes: [EXPIRETIME_MS]
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
        return new EntryWriter(this, kv, ValueEncoders.create(this, kv.type(), kv.value()));
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
}
