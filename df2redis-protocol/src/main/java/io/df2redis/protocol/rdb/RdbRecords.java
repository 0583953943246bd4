package io.df2redis.protocol.rdb;

import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.internal.CompactWriter;
import io.df2redis.protocol.internal.Lzf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * The writes of RDB and replication-flow bytes that need no encoder settings: the primitives
 * (packed lengths, plain and int-encoded strings, doubles) and the fixed-layout records
 * (SELECTDB, RESIZEDB, EXPIRETIME(_MS), DF_MASK, IDLE, FREQ, SLOT_INFO, MODULE_AUX,
 * FULLSYNC_END, JOURNAL_OFFSET, TAGGED_CHUNK, the eof token). The writes that depend on the
 * settings (string compression, RDB version, value layouts) are {@link RdbEncoder}'s. The byte
 * values come from {@link RdbOpcodes}. Stateless and thread-safe; the ByteBufs are the caller's.
 */
public final class RdbRecords {
    private RdbRecords() {
    }

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

    /** Writes {@code s} as an LZF string when that is smaller (and, with {@code dragonflyRule}, pays as Dragonfly requires). */
    static boolean writeLzfIfSmaller(ByteBuf out, byte[] s, boolean dragonflyRule) {
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

    /** The 40-byte eof token that follows a flow's EOF and checksum. */
    public static void writeEofToken(ByteBuf out, byte[] token) {
        if (token.length != RdbOpcodes.EOF_TOKEN_LENGTH) {
            throw new IllegalArgumentException("eof token must have 40 bytes, got " + token.length);
        }
        out.writeBytes(token);
    }

    /** {@link #writeEofToken(ByteBuf, byte[])} of the ASCII bytes of {@code token}. */
    public static void writeEofToken(ByteBuf out, String token) {
        writeEofToken(out, token.getBytes(StandardCharsets.US_ASCII));
    }
}
