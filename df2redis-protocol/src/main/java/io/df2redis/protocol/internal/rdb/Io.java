package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.LimitExceededException;
import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.internal.Lzf;
import io.df2redis.protocol.rdb.RdbDecoderOptions;
import io.df2redis.protocol.rdb.RdbOpcodes;
import io.df2redis.protocol.rdb.RdbProtocolException;
import io.df2redis.protocol.rdb.StringEncoding;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * RDB-level reads used by the decoder's units: lengths, RDB strings (int-encoded, LZF, plain)
 * with size limits, and errors that carry the offset of the unit being decoded.
 */
final class Io {
    final RdbDecoderOptions options;
    /** Offset of the unit being decoded, for errors. */
    long unitOffset;
    /** What is being decoded, for errors (when no entry is being decoded). */
    String context = "";
    /** The entry being decoded, described lazily in errors (a per-unit string would cost real time). */
    EntryState contextEntry;
    /** TAGGED_CHUNK id the entry's bytes came from, or 0. */
    int contextTag;
    /** Offset of the record being decoded inside a compressed blob, or -1 (described lazily, as the entry). */
    long contextRecord = -1;
    /** The kind of that blob ({@code LZ4}, {@code ZSTD}). */
    Object contextBlob;
    /** Encoding of the last string read by {@link #string}. */
    StringEncoding lastEncoding = StringEncoding.RAW;

    /** The string read by {@link #stringView}: its array, offset and length (valid until the next read). */
    byte[] viewArray;
    int viewOffset;
    int viewLength;

    /** Largest LZF string {@link #stringView} decompresses into the reused buffer (larger ones get their own). */
    private static final int SCRATCH_MAX = 1 << 20;
    private byte[] scratch = new byte[0];

    Io(RdbDecoderOptions options) {
        this.options = options;
    }

    /** What is being decoded, as text. */
    String context() {
        if (contextEntry == null) {
            return contextRecord >= 0 ? "record at offset " + contextRecord + " inside the " + contextBlob + " blob"
                    : context;
        }
        return contextEntry.describe() + (contextTag != 0 ? " in TAGGED_CHUNK " + contextTag : "");
    }

    /** Sets a plain-text context (no entry). */
    void context(String text) {
        context = text;
        contextEntry = null;
        contextTag = 0;
        contextRecord = -1;
    }

    /** Sets a record inside a compressed blob as the context (its text is built only for an error). */
    void contextInBlob(long recordOffset, Object blobKind) {
        contextEntry = null;
        contextTag = 0;
        contextRecord = recordOffset;
        contextBlob = blobKind;
    }

    /** Sets the entry being decoded as the context. */
    void context(EntryState entry, int tag) {
        contextEntry = entry;
        contextTag = tag;
    }

    RdbProtocolException error(String message) {
        return new RdbProtocolException(message, unitOffset, context());
    }

    RdbProtocolException error(String message, Throwable cause) {
        return new RdbProtocolException(message, unitOffset, context(), cause);
    }

    LimitExceededException limit(String message) {
        return new LimitExceededException(message, unitOffset, context());
    }

    /** A plain (non-special) RDB length. */
    long length(ByteBuf in, String what) {
        Bytes.need(in, 1);
        int b0 = in.getUnsignedByte(in.readerIndex());
        if (Bytes.isBadLengthPrefix(b0)) {
            throw error("invalid length prefix 0x" + Integer.toHexString(b0) + " for " + what);
        }
        long v = Bytes.readRdbLength(in);
        if ((v & Bytes.SPECIAL) != 0 || v < 0) {
            throw error("expected a length for " + what + ", found encoding byte 0x" + Integer.toHexString(b0));
        }
        return v;
    }

    /** A length read as an unsigned 64-bit value (may come back negative for values >= 2^63, e.g. -1). */
    long u64(ByteBuf in, String what) {
        Bytes.need(in, 1);
        int b0 = in.getUnsignedByte(in.readerIndex());
        if (Bytes.isBadLengthPrefix(b0) || b0 >> 6 == 3) {
            throw error("invalid length prefix 0x" + Integer.toHexString(b0) + " for " + what);
        }
        return Bytes.readRdbLength(in);
    }

    /** A length that must fit an int and stay within {@code max}. */
    int boundedLength(ByteBuf in, String what, long max) {
        long v = length(in, what);
        if (v > max) {
            throw limit(what + " of " + v + " exceeds the limit " + max);
        }
        return (int) v;
    }

    /**
     * Reads the header of an RDB string. Returns the plain length, or -1 when the string is
     * special-encoded (int or LZF); in that case nothing is consumed.
     */
    long plainStringLength(ByteBuf in) {
        Bytes.need(in, 1);
        int b0 = in.getUnsignedByte(in.readerIndex());
        if (b0 >> 6 == 3) {
            return -1;
        }
        return length(in, "string length");
    }

    /** A whole RDB string; ints become decimal text, LZF is decompressed. */
    byte[] string(ByteBuf in) {
        long v = stringHeader(in);
        if (v >= 0) {
            return Bytes.bytes(in, (int) v);
        }
        return specialString(in, (int) -v, false);
    }

    /**
     * Reads a whole RDB string like {@link #string}, but leaves it in {@link #viewArray}
     * {@code [}{@link #viewOffset}{@code , +}{@link #viewLength}{@code )} instead of a new array:
     * a plain string stays in the input buffer's own array when it has one, an LZF string is
     * decompressed into a buffer this {@code Io} reuses. The view is valid until the next call
     * and only while {@code in} is not modified: callers must copy what they keep.
     */
    void stringView(ByteBuf in) {
        long v = stringHeader(in);
        if (v >= 0) {
            int n = (int) v;
            Bytes.need(in, n);
            if (in.hasArray()) {
                viewArray = in.array();
                viewOffset = in.arrayOffset() + in.readerIndex();
                in.skipBytes(n);
            } else {
                viewArray = Bytes.bytes(in, n);
                viewOffset = 0;
            }
            viewLength = n;
            return;
        }
        byte[] b = specialString(in, (int) -v, true);
        if (b != null) {
            viewArray = b;
            viewOffset = 0;
            viewLength = b.length;
        }
    }

    /**
     * Reads the length prefix of an RDB string: its plain length (the bytes are not read yet;
     * {@link #lastEncoding} is RAW), or minus the special-encoding prefix byte.
     */
    private long stringHeader(ByteBuf in) {
        Bytes.need(in, 1);
        int b0 = in.getUnsignedByte(in.readerIndex());
        if (Bytes.isBadLengthPrefix(b0)) {
            throw error("invalid string length prefix 0x" + Integer.toHexString(b0));
        }
        long v = Bytes.readRdbLength(in);
        if ((v & Bytes.SPECIAL) == 0) {
            if (v < 0 || v > options.maxElementBytes()) {
                throw limit("string of " + v + " bytes exceeds the element limit " + options.maxElementBytes());
            }
            lastEncoding = StringEncoding.RAW;
            return v;
        }
        return -(RdbOpcodes.STRING_INT8 | (int) (v & 0x3F));
    }

    /**
     * The rest of an int- or LZF-encoded string. With {@code toView}, an LZF string is
     * decompressed into the reused buffer and the view set (returns null).
     */
    private byte[] specialString(ByteBuf in, int prefix, boolean toView) {
        switch (prefix) {
            case RdbOpcodes.STRING_INT8:
                lastEncoding = StringEncoding.INT8;
                Bytes.need(in, 1);
                return ascii(in.readByte());
            case RdbOpcodes.STRING_INT16:
                lastEncoding = StringEncoding.INT16;
                Bytes.need(in, 2);
                return ascii(in.readShortLE());
            case RdbOpcodes.STRING_INT32:
                lastEncoding = StringEncoding.INT32;
                Bytes.need(in, 4);
                return ascii(in.readIntLE());
            case RdbOpcodes.STRING_LZF:
                return lzfString(in, toView);
            default:
                throw error("unknown string encoding 0x" + Integer.toHexString(prefix));
        }
    }

    private byte[] lzfString(ByteBuf in, boolean toView) {
        long clen = length(in, "LZF compressed length");
        long ulen = length(in, "LZF uncompressed length");
        if (clen > options.maxElementBytes() || ulen > options.maxElementBytes()) {
            throw limit("LZF string of " + clen + "/" + ulen + " bytes exceeds the element limit "
                    + options.maxElementBytes());
        }
        if (ulen == 0) {
            throw error("LZF string with zero uncompressed length");
        }
        Bytes.need(in, clen);
        int c = (int) clen;
        int u = (int) ulen;
        byte[] src;
        int srcOff;
        if (in.hasArray()) {
            src = in.array();
            srcOff = in.arrayOffset() + in.readerIndex();
        } else {
            src = new byte[c];
            srcOff = 0;
            in.getBytes(in.readerIndex(), src);
        }
        lastEncoding = StringEncoding.LZF;
        try {
            if (!toView) {
                byte[] out = Lzf.decompress(src, srcOff, c, u);
                in.skipBytes(c);
                return out;
            }
            byte[] out = u <= SCRATCH_MAX ? scratch(u) : new byte[u];
            Lzf.decompress(src, srcOff, c, out, 0, u);
            in.skipBytes(c);
            viewArray = out;
            viewOffset = 0;
            viewLength = u;
            return null;
        } catch (Lzf.CorruptLzfException e) {
            throw error("corrupt LZF string: " + e.getMessage());
        }
    }

    /** The reused decompression buffer, grown to at least {@code n} bytes. */
    private byte[] scratch(int n) {
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, Math.min(SCRATCH_MAX, scratch.length * 2))];
        }
        return scratch;
    }

    /** The decimal text of {@code v} as ASCII bytes, without an intermediate String. */
    static byte[] ascii(long v) {
        return Bytes.ascii(v);
    }

    /** A "LongLongAsString" (spec §2.3): an int-encoded or decimal RDB string. */
    long longLongAsString(ByteBuf in, String what) {
        byte[] s = string(in);
        try {
            return Long.parseLong(new String(s, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw error(what + " is not an integer");
        }
    }

    /** The text-encoded double of RDB type 3 zsets: a length byte (253 NaN, 254 +inf, 255 -inf) and ASCII. */
    double textDouble(ByteBuf in) {
        int len = Bytes.u8(in);
        switch (len) {
            case 253:
                return Double.NaN;
            case 254:
                return Double.POSITIVE_INFINITY;
            case 255:
                return Double.NEGATIVE_INFINITY;
            default: {
                byte[] b = Bytes.bytes(in, len);
                try {
                    return Double.parseDouble(new String(b, StandardCharsets.US_ASCII));
                } catch (NumberFormatException e) {
                    throw error("invalid zset score text");
                }
            }
        }
    }
}
