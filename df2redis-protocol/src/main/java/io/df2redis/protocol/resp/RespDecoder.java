package io.df2redis.protocol.resp;

import io.df2redis.protocol.LimitExceededException;
import io.df2redis.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Incremental, resumable decoder of server replies in RESP2 and RESP3.
 *
 * <p>{@link #decode(ByteBuf)} returns the next complete reply and advances the buffer's reader
 * index past it, or returns {@code null} and leaves the reader index untouched when the reply is
 * not complete yet. In the latter case the decoder remembers how far it got (an explicit stack of
 * partially filled aggregates, the bulk string or line being read, and the position of the
 * current element relative to the reader index), so the next call, made once more bytes have been
 * appended, resumes there instead of re-parsing: decoding a reply costs time linear in its size
 * however it is split. Between calls the caller must keep the unread bytes unchanged (appending is
 * fine, and so is moving them, e.g. {@link ByteBuf#discardReadBytes()}); use {@link #reset()}
 * before decoding a different stream.
 *
 * <p>Defences against hostile or corrupt input: every declared length is checked against
 * {@link Limits} before anything is reserved for it ({@link LimitExceededException}); bulk
 * payloads are copied only once they are entirely readable; aggregate element storage grows with
 * the elements actually received, never with the declared count; a line (simple string, error,
 * integer, header) is scanned once and rejected as soon as it exceeds the line limit. Malformed
 * input raises {@link RespProtocolException}. Both carry the absolute stream offset, counted over
 * all bytes consumed by this decoder. After either exception the decoder refuses further input
 * ({@link IllegalStateException}) until {@link #reset()}.
 *
 * <p>RESP3 mapping: {@code _} → {@link NullReply}, {@code ,} → {@link DoubleReply}, {@code #} →
 * {@link BooleanReply}, {@code (} → {@link BigNumberReply}, {@code =} → {@link BulkString}
 * (format prefix such as {@code txt:} stripped), {@code !} → {@link ErrorReply}, {@code %} →
 * {@link MapReply}, {@code ~} → {@link ArrayReply}, {@code >} → {@link PushReply}; {@code |}
 * attributes are decoded and dropped (the reply they annotate is returned). Streamed RESP3
 * strings and aggregates ({@code $?}, {@code *?}) are not supported.
 *
 * <p>Not thread-safe: use one instance per connection. In a Netty pipeline use
 * {@link io.df2redis.protocol.client.RespReplyDecoder}, which owns one and emits the replies.
 *
 * <p><b>Why one class.</b> The decoder is a single resumable state machine: the line scan, the
 * number parsers, the bulk payload and the aggregate stack all read and advance the same
 * position fields, and every error reports the same offset and aggregate path, so splitting it
 * would mean passing that state between classes on the hot path. Its nested {@link Limits} is
 * public API ({@code RespDecoder.Limits}) and stays here.
 */
public final class RespDecoder {

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final Limits limits;

    /** Absolute stream offset of the reader index at the start of the current top-level reply. */
    private long consumed;
    /** Bytes after the reader index already absorbed into the partial state below. */
    private int pending;
    /** Where the CR search of the current line resumes (relative to the reader index), or -1. */
    private int scanFrom = -1;
    /** Payload length of the bulk string whose header has been read, or -1. */
    private int bulkLength = -1;
    private byte bulkType;
    /** Open aggregates, innermost last. */
    private Frame[] stack = new Frame[8];
    private int depth;
    private boolean failed;

    /** A decoder with {@link Limits#DEFAULT} limits. */
    public RespDecoder() {
        this(Limits.DEFAULT);
    }

    /** A decoder enforcing {@code limits}. */
    public RespDecoder(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** The limits this decoder enforces. */
    public Limits limits() {
        return limits;
    }

    /**
     * Total bytes consumed by the replies returned so far: the absolute stream offset of the next
     * reply.
     */
    public long bytesConsumed() {
        return consumed;
    }

    /** Whether part of a reply has been parsed but the reply is not complete yet. */
    public boolean isMidReply() {
        return pending > 0 || depth > 0 || bulkLength >= 0 || scanFrom >= 0;
    }

    /**
     * Forgets any partially decoded reply and a previous failure, so the decoder can start on a
     * fresh stream (or a position the caller knows to be a reply boundary). {@link #bytesConsumed()}
     * is kept.
     */
    public void reset() {
        pending = 0;
        scanFrom = -1;
        bulkLength = -1;
        for (int i = 0; i < depth; i++) {
            stack[i].items = null;
        }
        depth = 0;
        failed = false;
    }

    /**
     * Decodes the next reply from {@code in}.
     *
     * @return the reply, with the reader index advanced past it; or {@code null} when the buffer
     *     does not hold a whole reply yet, with the reader index unchanged
     * @throws RespProtocolException the bytes are not valid RESP
     * @throws LimitExceededException a declared length or the nesting depth exceeds the limits
     * @throws IllegalStateException a previous call failed, or the buffer holds fewer unread
     *     bytes than a previous call already parsed
     */
    public RespReply decode(ByteBuf in) {
        if (failed) {
            throw new IllegalStateException("decoder failed on malformed input; call reset() first");
        }
        final int base = in.readerIndex();
        final int end = in.writerIndex();
        if (end - base < pending) {
            throw new IllegalStateException("buffer holds " + (end - base) + " unread bytes but "
                    + pending + " were already parsed; unread bytes must not be consumed between calls");
        }
        int pos = base + pending;
        try {
            for (;;) {
                RespReply value;
                if (bulkLength >= 0) {
                    if (end - pos < bulkLength + 2L) {
                        pending = pos - base;
                        return null;
                    }
                    value = bulkPayload(in, base, pos);
                    pos += bulkLength + 2;
                    bulkLength = -1;
                } else {
                    if (pos >= end) {
                        pending = pos - base;
                        return null;
                    }
                    byte type = in.getByte(pos);
                    if (!isTypeByte(type)) {
                        throw malformed("unknown RESP type byte " + describeByte(type), base, pos, "reply type");
                    }
                    int cr = findLineEnd(in, base, pos, end);
                    if (cr < 0) {
                        pending = pos - base;
                        return null;
                    }
                    int from = pos + 1;
                    int next = cr + 2;
                    switch (type) {
                        case '+':
                            value = new SimpleString(in.toString(from, cr - from, StandardCharsets.UTF_8));
                            break;
                        case '-':
                            value = new ErrorReply(in.toString(from, cr - from, StandardCharsets.UTF_8));
                            break;
                        case ':':
                            value = new IntegerReply(parseLong(in, base, from, cr, "integer reply"));
                            break;
                        case '_':
                            if (cr != from) {
                                throw malformed("null reply with content", base, pos, "RESP3 null");
                            }
                            value = NullReply.INSTANCE;
                            break;
                        case '#':
                            value = parseBoolean(in, base, pos, cr);
                            break;
                        case ',':
                            value = parseDouble(in, base, pos, cr);
                            break;
                        case '(':
                            value = parseBigNumber(in, base, pos, cr);
                            break;
                        case '$':
                        case '=':
                        case '!': {
                            long n = parseLong(in, base, from, cr, typeName(type) + " length");
                            if (n == -1 && type == '$') {
                                value = NullReply.INSTANCE;
                                break;
                            }
                            if (n < 0) {
                                throw malformed("invalid " + typeName(type) + " length " + n, base, pos, typeName(type));
                            }
                            if (n > limits.maxBulkLength) {
                                throw new LimitExceededException(typeName(type) + " length " + n
                                        + " exceeds the limit of " + limits.maxBulkLength,
                                        offset(base, pos), context(typeName(type)));
                            }
                            bulkLength = (int) n;
                            bulkType = type;
                            pos = next;
                            continue;
                        }
                        default: { // aggregates: * ~ > % |
                            long n = parseLong(in, base, from, cr, typeName(type) + " length");
                            if (n == -1 && type == '*') {
                                value = NullReply.INSTANCE;
                                break;
                            }
                            if (n < 0) {
                                throw malformed("invalid " + typeName(type) + " length " + n, base, pos, typeName(type));
                            }
                            if (n > limits.maxAggregateElements) {
                                throw new LimitExceededException(typeName(type) + " of " + n
                                        + " elements exceeds the limit of " + limits.maxAggregateElements,
                                        offset(base, pos), context(typeName(type)));
                            }
                            if (n == 0) {
                                value = emptyAggregate(type);
                                break;
                            }
                            if (depth >= limits.maxNestingDepth) {
                                throw new LimitExceededException("aggregates nested deeper than "
                                        + limits.maxNestingDepth, offset(base, pos), context(typeName(type)));
                            }
                            int elements = (int) n * (type == '%' || type == '|' ? 2 : 1);
                            pushFrame(type, elements, (int) n, end - next);
                            pos = next;
                            continue;
                        }
                    }
                    pos = next;
                }
                // Hand the value to its parent; complete every aggregate it fills.
                for (;;) {
                    if (value == null) { // a dropped attribute: go on with the reply it annotates
                        break;
                    }
                    if (depth == 0) {
                        in.readerIndex(pos);
                        consumed += pos - base;
                        pending = 0;
                        return value;
                    }
                    Frame top = stack[depth - 1];
                    top.add(value);
                    if (top.count < top.expected) {
                        break;
                    }
                    depth--;
                    value = top.build();
                }
            }
        } catch (ProtocolException e) {
            failed = true;
            throw e;
        }
    }

    // ------------------------------------------------------------------ lines

    /**
     * Index of the CR ending the line whose type byte is at {@code pos}, or -1 when the line is not
     * complete yet (the scan resumes where it stopped on the next call).
     */
    private int findLineEnd(ByteBuf in, int base, int pos, int end) {
        int contentStart = pos + 1;
        int from = scanFrom >= 0 ? base + scanFrom : contentStart;
        // the CR may sit at most maxLineLength bytes after the content start
        int searchEnd = (int) Math.min(end, (long) contentStart + limits.maxLineLength + 1);
        int cr = from < searchEnd ? in.indexOf(from, searchEnd, CR) : -1;
        if (cr < 0) {
            if (searchEnd < end || end - contentStart > limits.maxLineLength) {
                throw malformed("line longer than " + limits.maxLineLength + " bytes", base, pos,
                        typeName(in.getByte(pos)));
            }
            scanFrom = Math.max(from, searchEnd) - base;
            return -1;
        }
        if (cr + 1 >= end) {
            scanFrom = cr - base;
            return -1;
        }
        if (in.getByte(cr + 1) != LF) {
            throw malformed("expected LF after CR, found " + describeByte(in.getByte(cr + 1)), base, cr + 1,
                    typeName(in.getByte(pos)));
        }
        scanFrom = -1;
        return cr;
    }

    /** Parses a signed decimal long in {@code [from, to)}, rejecting overflow. */
    private long parseLong(ByteBuf in, int base, int from, int to, String what) {
        if (from == to) {
            throw malformed("empty number", base, from - 1, what);
        }
        int i = from;
        boolean negative = false;
        byte first = in.getByte(i);
        if (first == '-' || first == '+') {
            negative = first == '-';
            if (++i == to) {
                throw malformed("sign without digits", base, from - 1, what);
            }
        }
        // accumulate negatively: the negative range is the larger one
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long multMin = limit / 10;
        long result = 0;
        for (; i < to; i++) {
            int digit = in.getByte(i) - '0';
            if (digit < 0 || digit > 9) {
                throw malformed("non-numeric character " + describeByte(in.getByte(i)) + " in number",
                        base, i, what);
            }
            if (result < multMin) {
                throw malformed("number overflows 64 bits", base, from - 1, what);
            }
            result *= 10;
            if (result < limit + digit) {
                throw malformed("number overflows 64 bits", base, from - 1, what);
            }
            result -= digit;
        }
        return negative ? result : -result;
    }

    private BooleanReply parseBoolean(ByteBuf in, int base, int pos, int cr) {
        if (cr == pos + 2) {
            byte b = in.getByte(pos + 1);
            if (b == 't') {
                return BooleanReply.TRUE;
            }
            if (b == 'f') {
                return BooleanReply.FALSE;
            }
        }
        throw malformed("boolean must be 't' or 'f'", base, pos, "RESP3 boolean");
    }

    private DoubleReply parseDouble(ByteBuf in, int base, int pos, int cr) {
        String text = in.toString(pos + 1, cr - pos - 1, StandardCharsets.US_ASCII);
        switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity":
                return new DoubleReply(Double.POSITIVE_INFINITY);
            case "-inf", "-infinity":
                return new DoubleReply(Double.NEGATIVE_INFINITY);
            case "nan", "+nan", "-nan":
                return new DoubleReply(Double.NaN);
            default:
                break;
        }
        boolean digit = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
                digit = false;
                break;
            }
        }
        if (digit) {
            try {
                return new DoubleReply(Double.parseDouble(text));
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw malformed("invalid double", base, pos, "RESP3 double");
    }

    private BigNumberReply parseBigNumber(ByteBuf in, int base, int pos, int cr) {
        int i = pos + 1;
        if (i < cr && (in.getByte(i) == '-' || in.getByte(i) == '+')) {
            i++;
        }
        if (i == cr) {
            throw malformed("big number without digits", base, pos, "RESP3 big number");
        }
        for (int j = i; j < cr; j++) {
            byte b = in.getByte(j);
            if (b < '0' || b > '9') {
                throw malformed("non-numeric character " + describeByte(b) + " in big number", base, j,
                        "RESP3 big number");
            }
        }
        return new BigNumberReply(in.toString(pos + 1, cr - pos - 1, StandardCharsets.US_ASCII));
    }

    // ------------------------------------------------------------------ bulk payloads

    /** Builds the bulk reply whose payload (of {@link #bulkLength} bytes) starts at {@code pos}. */
    private RespReply bulkPayload(ByteBuf in, int base, int pos) {
        int len = bulkLength;
        int crlf = pos + len;
        if (in.getByte(crlf) != CR || in.getByte(crlf + 1) != LF) {
            throw malformed("missing CRLF after " + len + "-byte payload", base, crlf, typeName(bulkType));
        }
        if (depth > 0 && stack[depth - 1].discard) {
            return NullReply.INSTANCE; // inside an attribute: the value is dropped anyway
        }
        switch (bulkType) {
            case '!':
                return new ErrorReply(in.toString(pos, len, StandardCharsets.UTF_8));
            case '=': {
                if (len < 4 || in.getByte(pos + 3) != ':') {
                    throw malformed("verbatim string without its 3-character format prefix", base, pos,
                            typeName(bulkType));
                }
                byte[] bytes = new byte[len - 4];
                in.getBytes(pos + 4, bytes);
                return new BulkString(bytes);
            }
            default: {
                byte[] bytes = new byte[len];
                in.getBytes(pos, bytes);
                return new BulkString(bytes);
            }
        }
    }

    // ------------------------------------------------------------------ aggregates

    private void pushFrame(byte type, int elements, int declared, int readableAfterHeader) {
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, stack.length * 2);
        }
        Frame frame = stack[depth];
        if (frame == null) {
            frame = stack[depth] = new Frame();
        }
        boolean parentDiscards = depth > 0 && stack[depth - 1].discard;
        frame.type = type;
        frame.expected = elements;
        frame.declared = declared;
        frame.count = 0;
        frame.discard = parentDiscards || type == '|';
        if (frame.discard) {
            frame.items = null;
        } else {
            // every element takes at least 3 bytes: size the storage by what has been received
            int capacity = Math.min(elements, Math.max(4, readableAfterHeader / 3 + 1));
            frame.items = new RespReply[capacity];
        }
        depth++;
    }

    private static RespReply emptyAggregate(byte type) {
        switch (type) {
            case '%':
                return new MapReply(List.of());
            case '>':
                return new PushReply(List.of());
            case '|':
                return null;
            default:
                return ArrayReply.EMPTY;
        }
    }

    /** An aggregate being filled. */
    private static final class Frame {
        byte type;
        /** Values to receive (twice the declared count for maps and attributes). */
        int expected;
        int declared;
        int count;
        boolean discard;
        RespReply[] items;

        void add(RespReply value) {
            if (!discard) {
                if (count == items.length) {
                    items = Arrays.copyOf(items, (int) Math.min(expected, items.length * 2L));
                }
                items[count] = value;
            }
            count++;
        }

        /**
         * The finished reply: {@code null} for an attribute (it does not count as an element),
         * a placeholder for an aggregate inside an attribute (it is dropped with it).
         */
        RespReply build() {
            RespReply[] values = items;
            items = null;
            if (type == '|') {
                return null;
            }
            if (discard) {
                return NullReply.INSTANCE;
            }
            if (values.length != count) {
                values = Arrays.copyOf(values, count);
            }
            switch (type) {
                case '%': {
                    List<Map.Entry<RespReply, RespReply>> entries = new ArrayList<>(count / 2);
                    for (int i = 0; i < count; i += 2) {
                        entries.add(Map.entry(values[i], values[i + 1]));
                    }
                    return new MapReply(entries);
                }
                case '>':
                    return new PushReply(Arrays.asList(values));
                default:
                    return new ArrayReply(Arrays.asList(values));
            }
        }
    }

    // ------------------------------------------------------------------ errors

    private long offset(int base, int index) {
        return consumed + (index - base);
    }

    private RespProtocolException malformed(String message, int base, int index, String what) {
        return new RespProtocolException(message, offset(base, index), context(what));
    }

    /** {@code what}, followed by where it sits in the open aggregates (innermost first). */
    private String context(String what) {
        StringBuilder sb = new StringBuilder(what);
        for (int i = depth - 1; i >= 0; i--) {
            Frame f = stack[i];
            sb.append(i == depth - 1 ? " at " : ", in ");
            if (f.type == '%' || f.type == '|') {
                sb.append(f.count % 2 == 0 ? "key " : "value ").append(f.count / 2);
            } else {
                sb.append("element ").append(f.count);
            }
            sb.append(" of ").append(typeName(f.type)).append('[').append(f.declared).append(']');
        }
        return sb.toString();
    }

    private static boolean isTypeByte(byte b) {
        switch (b) {
            case '+': case '-': case ':': case '$': case '*':
            case '_': case ',': case '#': case '(': case '=': case '!':
            case '%': case '|': case '~': case '>':
                return true;
            default:
                return false;
        }
    }

    private static String typeName(byte type) {
        switch (type) {
            case '+': return "simple string";
            case '-': return "error";
            case ':': return "integer";
            case '$': return "bulk string";
            case '*': return "array";
            case '_': return "RESP3 null";
            case ',': return "RESP3 double";
            case '#': return "RESP3 boolean";
            case '(': return "RESP3 big number";
            case '=': return "RESP3 verbatim string";
            case '!': return "RESP3 blob error";
            case '%': return "RESP3 map";
            case '|': return "RESP3 attribute";
            case '~': return "RESP3 set";
            case '>': return "RESP3 push";
            default: return "reply";
        }
    }

    private static String describeByte(byte b) {
        int v = b & 0xFF;
        String hex = String.format("0x%02x", v);
        return v >= 0x20 && v < 0x7F ? "'" + (char) v + "' (" + hex + ")" : hex;
    }

    // ------------------------------------------------------------------ limits

    /**
     * Immutable safety limits for {@link RespDecoder}. Build with {@link #builder()}; start from
     * {@link #DEFAULT}.
     */
    public static final class Limits {

        /** Largest bulk string payload a {@link ByteBuf} can carry with its CRLF. */
        public static final int MAX_BULK_LENGTH_CEILING = Integer.MAX_VALUE - 2;
        /** Largest allowed element count (maps need twice as many slots). */
        public static final int MAX_AGGREGATE_ELEMENTS_CEILING = Integer.MAX_VALUE / 2;

        /** 512 MiB bulk strings, 16 Mi aggregate elements, depth 64, 64 KiB lines. */
        public static final Limits DEFAULT = new Builder().build();

        private final int maxBulkLength;
        private final int maxAggregateElements;
        private final int maxNestingDepth;
        private final int maxLineLength;

        private Limits(Builder b) {
            this.maxBulkLength = b.maxBulkLength;
            this.maxAggregateElements = b.maxAggregateElements;
            this.maxNestingDepth = b.maxNestingDepth;
            this.maxLineLength = b.maxLineLength;
        }

        /** A builder initialised with the defaults. */
        public static Builder builder() {
            return new Builder();
        }

        /** A builder initialised with these limits. */
        public Builder toBuilder() {
            return new Builder()
                    .maxBulkLength(maxBulkLength)
                    .maxAggregateElements(maxAggregateElements)
                    .maxNestingDepth(maxNestingDepth)
                    .maxLineLength(maxLineLength);
        }

        /** Largest accepted bulk / verbatim string / blob error payload, in bytes. */
        public int maxBulkLength() {
            return maxBulkLength;
        }

        /** Largest accepted element count of an array, set, push, map or attribute. */
        public int maxAggregateElements() {
            return maxAggregateElements;
        }

        /** Largest number of aggregates open at once (a flat array has depth 1). */
        public int maxNestingDepth() {
            return maxNestingDepth;
        }

        /** Largest accepted content of a line (simple string, error, number, header), in bytes. */
        public int maxLineLength() {
            return maxLineLength;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Limits l
                    && l.maxBulkLength == maxBulkLength
                    && l.maxAggregateElements == maxAggregateElements
                    && l.maxNestingDepth == maxNestingDepth
                    && l.maxLineLength == maxLineLength;
        }

        @Override
        public int hashCode() {
            return Objects.hash(maxBulkLength, maxAggregateElements, maxNestingDepth, maxLineLength);
        }

        @Override
        public String toString() {
            return "Limits[maxBulkLength=" + maxBulkLength + ", maxAggregateElements=" + maxAggregateElements
                    + ", maxNestingDepth=" + maxNestingDepth + ", maxLineLength=" + maxLineLength + "]";
        }

        /** Mutable builder of {@link Limits}. */
        public static final class Builder {
            private int maxBulkLength = 512 * 1024 * 1024;
            private int maxAggregateElements = 16 * 1024 * 1024;
            private int maxNestingDepth = 64;
            private int maxLineLength = 64 * 1024;

            private Builder() {
            }

            /** Largest bulk payload, 0..{@link #MAX_BULK_LENGTH_CEILING} bytes (default 512 MiB). */
            public Builder maxBulkLength(int bytes) {
                this.maxBulkLength = check(bytes, 0, MAX_BULK_LENGTH_CEILING, "maxBulkLength");
                return this;
            }

            /** Largest aggregate, 0..{@link #MAX_AGGREGATE_ELEMENTS_CEILING} elements (default 16 Mi). */
            public Builder maxAggregateElements(int elements) {
                this.maxAggregateElements = check(elements, 0, MAX_AGGREGATE_ELEMENTS_CEILING,
                        "maxAggregateElements");
                return this;
            }

            /** Deepest nesting of aggregates, at least 1 (default 64). */
            public Builder maxNestingDepth(int depth) {
                this.maxNestingDepth = check(depth, 1, 100_000, "maxNestingDepth");
                return this;
            }

            /** Longest line content, at least 22 bytes so any 64-bit number fits (default 64 KiB). */
            public Builder maxLineLength(int bytes) {
                this.maxLineLength = check(bytes, 22, Integer.MAX_VALUE - 16, "maxLineLength");
                return this;
            }

            /** The limits. */
            public Limits build() {
                return new Limits(this);
            }

            private static int check(int value, int min, int max, String name) {
                if (value < min || value > max) {
                    throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
                }
                return value;
            }
        }
    }
}
