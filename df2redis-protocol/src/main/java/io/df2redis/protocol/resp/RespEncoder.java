package io.df2redis.protocol.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Writes client commands as RESP arrays of bulk strings ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n})
 * straight into a Netty {@link ByteBuf}, with no intermediate message objects. Byte-array
 * arguments are copied as they are; {@link CharSequence} arguments are written as UTF-8 without
 * building a {@code String} or {@code byte[]} (unpaired surrogates become {@code '?'}, as in
 * {@link ByteBufUtil#writeUtf8}). Headers for lengths below 1024 come
 * from a pre-built table; longer lengths are formatted in place.
 *
 * <p>All methods are static and thread-safe. Methods that take a buffer advance its writer
 * index only.
 */
public final class RespEncoder {

    /** Lengths below this have their {@code $n\r\n} / {@code *n\r\n} headers cached. */
    static final int HEADER_CACHE_SIZE = 1024;

    /**
     * Commands that fit this size are encoded by {@link #encode(ByteBufAllocator, List)} in a
     * per-thread array ({@link #SCRATCH}, made on a thread's first command) and copied into an exact
     * buffer at once: an {@code MSET} of the sink's largest batch (64 KiB of keys and values) fits.
     */
    static final int SCRATCH_BYTES = 96 * 1024;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);
    private static final byte[][] BULK_HEADERS = buildHeaders('$');
    private static final byte[][] ARRAY_HEADERS = buildHeaders('*');
    private static final short CRLF = ('\r' << 8) | '\n';
    /** {@code "00"}, {@code "01"}, ... {@code "99"} as big-endian shorts. */
    private static final short[] DIGIT_PAIRS = new short[100];
    private static final byte[] LONG_MIN = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[i] = (short) ((('0' + i / 10) << 8) | ('0' + i % 10));
        }
    }

    private RespEncoder() {
    }

    private static byte[][] buildHeaders(char prefix) {
        byte[][] table = new byte[HEADER_CACHE_SIZE][];
        for (int i = 0; i < HEADER_CACHE_SIZE; i++) {
            table[i] = (prefix + Integer.toString(i) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
        return table;
    }

    // ------------------------------------------------------------------ whole commands

    /**
     * Writes {@code args} as one command (a RESP array of bulk strings).
     *
     * @param out the buffer written to (it grows as needed)
     * @param args the command name and its arguments, none null
     */
    public static void writeCommand(ByteBuf out, byte[]... args) {
        writeCommand(out, Arrays.asList(Objects.requireNonNull(args, "args")));
    }

    /**
     * Writes {@code args} as one command (a RESP array of bulk strings).
     *
     * @param out the buffer written to (it grows as needed)
     * @param args the command name and its arguments, none null
     */
    public static void writeCommand(ByteBuf out, List<byte[]> args) {
        out.ensureWritable(toIntSize(commandSize(args)));
        writeArrayHeader(out, args.size());
        for (byte[] arg : args) {
            writeBulkUnchecked(out, arg);
        }
    }

    /**
     * Writes {@code args} as one command, each argument encoded as UTF-8.
     *
     * @param out the buffer written to (it grows as needed)
     * @param args the command name and its arguments, none null
     */
    public static void writeCommand(ByteBuf out, CharSequence... args) {
        Objects.requireNonNull(args, "args");
        for (int i = 0; i < args.length; i++) {
            requireArg(args[i], i); // nothing is written for an invalid command
        }
        writeArrayHeader(out, args.length);
        for (CharSequence arg : args) {
            writeBulkString(out, arg);
        }
    }

    /**
     * Encodes {@code args} as one command into a new buffer from {@code alloc} (pooled when the
     * allocator is) whose initial capacity is exactly the encoded size, computed beforehand. The
     * caller owns (and must release) the buffer.
     *
     * @param alloc the allocator of the new buffer
     * @param args the command name and its arguments, none null
     * @return a new buffer holding the command; the caller releases it
     */
    public static ByteBuf encode(ByteBufAllocator alloc, byte[]... args) {
        return encode(alloc, Arrays.asList(Objects.requireNonNull(args, "args")));
    }

    /**
     * As {@link #encode(ByteBufAllocator, byte[]...)}, for a list of arguments.
     *
     * @param alloc the allocator of the new buffer
     * @param args the command name and its arguments, none null
     * @return a new buffer holding the command; the caller releases it
     */
    public static ByteBuf encode(ByteBufAllocator alloc, List<byte[]> args) {
        // small pieces into a plain array, then one copy: a buffer write per piece (three per
        // argument) cost more than the bytes themselves for the sink's MSETs of small values
        byte[] scratch = SCRATCH.get();
        int encoded = encodeInto(scratch, args);
        if (encoded >= 0) {
            return alloc.buffer(encoded).writeBytes(scratch, 0, encoded);
        }
        int size = toIntSize(commandSize(args));
        ByteBuf buf = alloc.buffer(size);
        try {
            writeArrayHeader(buf, args.size());
            for (byte[] arg : args) {
                writeBulkUnchecked(buf, arg);
            }
            return buf;
        } catch (RuntimeException | Error e) {
            buf.release();
            throw e;
        }
    }

    /**
     * As {@link #encode(ByteBufAllocator, byte[]...)}, each argument encoded as UTF-8.
     *
     * @param alloc the allocator of the new buffer
     * @param args the command name and its arguments, none null
     * @return a new buffer holding the command; the caller releases it
     */
    public static ByteBuf encode(ByteBufAllocator alloc, CharSequence... args) {
        int[] lengths = new int[args.length];
        long size = headerSize(args.length);
        for (int i = 0; i < args.length; i++) {
            lengths[i] = ByteBufUtil.utf8Bytes(requireArg(args[i], i));
            size += bulkStringSize(lengths[i]);
        }
        int exact = toIntSize(size);
        ByteBuf buf = alloc.buffer(exact);
        try {
            writeArrayHeader(buf, args.length);
            for (int i = 0; i < args.length; i++) {
                writeHeader(buf, (byte) '$', BULK_HEADERS, lengths[i]);
                ByteBufUtil.reserveAndWriteUtf8(buf, args[i], lengths[i]);
                buf.writeShort(CRLF);
            }
            return buf;
        } catch (RuntimeException | Error e) {
            buf.release();
            throw e;
        }
    }

    // ------------------------------------------------------------------ sizes

    /**
     * Exact number of bytes {@link #writeCommand(ByteBuf, byte[]...)} writes for {@code args}.
     *
     * @param args the command name and its arguments, none null
     * @return the size in bytes
     */
    public static long commandSize(byte[]... args) {
        return commandSize(Arrays.asList(Objects.requireNonNull(args, "args")));
    }

    /**
     * Exact number of bytes {@link #writeCommand(ByteBuf, List)} writes for {@code args}.
     *
     * @param args the command name and its arguments, none null
     * @return the size in bytes
     */
    public static long commandSize(List<byte[]> args) {
        long size = headerSize(args.size());
        int i = 0;
        for (byte[] arg : args) {
            size += bulkStringSize(requireArg(arg, i++).length);
        }
        return size;
    }

    /**
     * Exact number of bytes {@link #writeCommand(ByteBuf, CharSequence...)} writes for
     * {@code args}.
     *
     * @param args the command name and its arguments, none null
     * @return the size in bytes
     */
    public static long commandSize(CharSequence... args) {
        long size = headerSize(args.length);
        for (int i = 0; i < args.length; i++) {
            size += bulkStringSize(ByteBufUtil.utf8Bytes(requireArg(args[i], i)));
        }
        return size;
    }

    /**
     * Encoded size of a bulk string whose payload is {@code length} bytes: {@code $<n>\r\n<payload>\r\n}.
     *
     * @param length the payload length, not negative
     * @return the encoded size in bytes
     * @throws IllegalArgumentException when {@code length} is negative
     */
    public static long bulkStringSize(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length: " + length);
        }
        return 1L + decimalLength(length) + 2 + length + 2;
    }

    private static long headerSize(int count) {
        return 1L + decimalLength(count) + 2;
    }

    // ------------------------------------------------------------------ building blocks

    /**
     * Writes an array header {@code *<count>\r\n}; follow it with {@code count} bulk strings to
     * stream a command whose arguments are produced on the fly.
     *
     * @param out the buffer written to (it grows as needed)
     * @param count the element count, not negative
     * @throws IllegalArgumentException when {@code count} is negative
     */
    public static void writeArrayHeader(ByteBuf out, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("negative count: " + count);
        }
        writeHeader(out, (byte) '*', ARRAY_HEADERS, count);
    }

    /**
     * Writes {@code value} as a bulk string.
     *
     * @param out the buffer written to (it grows as needed)
     * @param value the payload
     */
    public static void writeBulkString(ByteBuf out, byte[] value) {
        Objects.requireNonNull(value, "value");
        out.ensureWritable(toIntSize(bulkStringSize(value.length)));
        writeBulkUnchecked(out, value);
    }

    /**
     * Writes the readable bytes of {@code value} as a bulk string, leaving its indexes untouched.
     *
     * @param out the buffer written to (it grows as needed)
     * @param value the payload
     */
    public static void writeBulkString(ByteBuf out, ByteBuf value) {
        int length = value.readableBytes();
        out.ensureWritable(toIntSize(bulkStringSize(length)));
        writeHeader(out, (byte) '$', BULK_HEADERS, length);
        out.writeBytes(value, value.readerIndex(), length);
        out.writeShort(CRLF);
    }

    /**
     * Writes {@code value} as a bulk string holding its UTF-8 encoding.
     *
     * @param out the buffer written to (it grows as needed)
     * @param value the text
     */
    public static void writeBulkString(ByteBuf out, CharSequence value) {
        Objects.requireNonNull(value, "value");
        int length = ByteBufUtil.utf8Bytes(value);
        writeHeader(out, (byte) '$', BULK_HEADERS, length);
        ByteBufUtil.reserveAndWriteUtf8(out, value, length + 2);
        out.writeShort(CRLF);
    }

    /**
     * Writes {@code value} as a bulk string holding its decimal text (e.g. the offset of
     * {@code REPLCONF ACK <offset>}), without allocating.
     *
     * @param out the buffer written to (it grows as needed)
     * @param value the number
     */
    public static void writeBulkString(ByteBuf out, long value) {
        int length = decimalLength(value);
        writeHeader(out, (byte) '$', BULK_HEADERS, length);
        out.ensureWritable(length + 2);
        writeDecimal(out, value, length);
        out.writeShort(CRLF);
    }

    private static void writeBulkUnchecked(ByteBuf out, byte[] value) {
        writeHeader(out, (byte) '$', BULK_HEADERS, value.length);
        out.writeBytes(value);
        out.writeShort(CRLF);
    }

    /** Room a header needs at most: prefix, 10 digits, CRLF. */
    private static final int MAX_HEADER = 13;

    /**
     * Writes the command into {@code s} from 0; returns its length, or -1 when it does not fit
     * (nothing else is changed). Checks every argument first, as {@link #commandSize} does.
     */
    private static int encodeInto(byte[] s, List<byte[]> args) {
        int n = args.size();
        if (n + 1 > s.length / MAX_HEADER) {
            return -1;
        }
        for (int i = 0; i < n; i++) {
            requireArg(args.get(i), i);
        }
        int p = putHeader(s, 0, (byte) '*', ARRAY_HEADERS, n);
        for (int i = 0; i < n; i++) {
            byte[] a = args.get(i);
            if (a.length > s.length - p - MAX_HEADER - 2) {
                return -1;
            }
            p = putHeader(s, p, (byte) '$', BULK_HEADERS, a.length);
            System.arraycopy(a, 0, s, p, a.length);
            p += a.length;
            s[p++] = '\r';
            s[p++] = '\n';
        }
        return p;
    }

    private static int putHeader(byte[] s, int p, byte prefix, byte[][] cache, int n) {
        if (n < HEADER_CACHE_SIZE) {
            byte[] h = cache[n];
            System.arraycopy(h, 0, s, p, h.length);
            return p + h.length;
        }
        s[p] = prefix;
        int end = p + 1 + decimalLength(n);
        int v = n;
        for (int i = end - 1; i > p; i--) {
            s[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        s[end] = '\r';
        s[end + 1] = '\n';
        return end + 2;
    }

    private static void writeHeader(ByteBuf out, byte prefix, byte[][] cache, int n) {
        if (n < HEADER_CACHE_SIZE) {
            out.writeBytes(cache[n]);
            return;
        }
        int digits = decimalLength(n);
        out.ensureWritable(digits + 3);
        out.writeByte(prefix);
        writeDecimal(out, n, digits);
        out.writeShort(CRLF);
    }

    /** Writes the {@code length}-character decimal form of {@code v}; room must be ensured. */
    private static void writeDecimal(ByteBuf out, long v, int length) {
        int start = out.writerIndex();
        if (v == Long.MIN_VALUE) {
            out.writeBytes(LONG_MIN);
            return;
        }
        if (v < 0) {
            out.setByte(start, '-');
            v = -v;
        }
        int i = start + length; // one past the last digit
        while (v >= 100) {
            int pair = (int) (v % 100);
            v /= 100;
            i -= 2;
            out.setShort(i, DIGIT_PAIRS[pair]);
        }
        if (v >= 10) {
            i -= 2;
            out.setShort(i, DIGIT_PAIRS[(int) v]);
        } else {
            out.setByte(i - 1, (int) ('0' + v));
        }
        out.writerIndex(start + length);
    }

    /** Number of characters in the decimal form of {@code v} (sign included). */
    static int decimalLength(long v) {
        if (v < 0) {
            return v == Long.MIN_VALUE ? 20 : 1 + decimalLength(-v);
        }
        long bound = 10;
        for (int digits = 1; digits < 19; digits++) {
            if (v < bound) {
                return digits;
            }
            bound *= 10;
        }
        return 19;
    }

    private static <T> T requireArg(T arg, int index) {
        if (arg == null) {
            throw new NullPointerException("args[" + index + "] is null");
        }
        return arg;
    }

    private static int toIntSize(long size) {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("command too large for one buffer: " + size + " bytes");
        }
        return (int) size;
    }
}
