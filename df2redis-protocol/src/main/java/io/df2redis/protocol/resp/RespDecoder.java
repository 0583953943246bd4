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
 * <p><b>Why one class:</b> close to 500 lines, a quarter of them the nested {@link Limits} (public
 * API as {@code RespDecoder.Limits}); the rest is one resumable state machine (line scan, bulk
 * payloads, the aggregate stack) whose fields every step reads and writes, and whose main loop
 * stays one method so that the JIT keeps the per-byte path tight. The number parsers are
 * {@code RespNumbers}', an aggregate being filled is a {@code RespFrame}, type names
 * {@code RespTypes}'.
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
    private RespFrame[] stack = new RespFrame[8];
    private int depth;
    private boolean failed;

    /** A decoder with {@link Limits#DEFAULT} limits. */
    public RespDecoder() {
        this(Limits.DEFAULT);
    }

    /** @param limits the limits of lengths, counts, nesting and lines this decoder enforces */
    public RespDecoder(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** @return the limits this decoder enforces */
    public Limits limits() {
        return limits;
    }

    /** @return total bytes consumed by the replies returned so far: the stream offset of the next reply */
    public long bytesConsumed() {
        return consumed;
    }

    /** @return whether part of a reply has been parsed but the reply is not complete yet */
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
     * @param in the bytes received, from the start of a reply or where the previous call left off
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
                    if (!RespTypes.isTypeByte(type)) {
                        throw malformed("unknown RESP type byte " + RespTypes.describeByte(type), base, pos, "reply type");
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
                            value = new IntegerReply(RespNumbers.parseLong(this, in, base, from, cr, "integer reply"));
                            break;
                        case '_':
                            if (cr != from) {
                                throw malformed("null reply with content", base, pos, "RESP3 null");
                            }
                            value = NullReply.INSTANCE;
                            break;
                        case '#':
                            value = RespNumbers.parseBoolean(this, in, base, pos, cr);
                            break;
                        case ',':
                            value = RespNumbers.parseDouble(this, in, base, pos, cr);
                            break;
                        case '(':
                            value = RespNumbers.parseBigNumber(this, in, base, pos, cr);
                            break;
                        case '$':
                        case '=':
                        case '!': {
                            long n = length(in, base, pos, cr, type, (byte) '$', false);
                            if (n == -1) {
                                value = NullReply.INSTANCE;
                                break;
                            }
                            bulkLength = (int) n;
                            bulkType = type;
                            pos = next;
                            continue;
                        }
                        default: { // aggregates: * ~ > % |
                            long n = length(in, base, pos, cr, type, (byte) '*', true);
                            if (n == -1) {
                                value = NullReply.INSTANCE;
                                break;
                            }
                            if (n == 0) {
                                value = RespFrame.emptyAggregate(type);
                                break;
                            }
                            if (depth >= limits.maxNestingDepth) {
                                throw new LimitExceededException("aggregates nested deeper than "
                                        + limits.maxNestingDepth, offset(base, pos), RespFrame.path(stack, depth, RespTypes.typeName(type)));
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
                    RespFrame top = stack[depth - 1];
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
                        RespTypes.typeName(in.getByte(pos)));
            }
            scanFrom = Math.max(from, searchEnd) - base;
            return -1;
        }
        if (cr + 1 >= end) {
            scanFrom = cr - base;
            return -1;
        }
        if (in.getByte(cr + 1) != LF) {
            throw malformed("expected LF after CR, found " + RespTypes.describeByte(in.getByte(cr + 1)), base, cr + 1,
                    RespTypes.typeName(in.getByte(pos)));
        }
        scanFrom = -1;
        return cr;
    }

    /** Builds the bulk reply whose payload (of {@link #bulkLength} bytes) starts at {@code pos}. */
    private RespReply bulkPayload(ByteBuf in, int base, int pos) {
        int len = bulkLength;
        int crlf = pos + len;
        if (in.getByte(crlf) != CR || in.getByte(crlf + 1) != LF) {
            throw malformed("missing CRLF after " + len + "-byte payload", base, crlf, RespTypes.typeName(bulkType));
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
                            RespTypes.typeName(bulkType));
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

    /**
     * The bulk length or element count in the header line {@code pos} (type byte) .. {@code cr}; -1
     * only for the RESP2 null of {@code nullType}; other negative or over-limit lengths are refused.
     */
    private long length(ByteBuf in, int base, int pos, int cr, byte type, byte nullType, boolean aggregate) {
        String name = RespTypes.typeName(type);
        long n = RespNumbers.parseLong(this, in, base, pos + 1, cr, name + " length");
        if (n == -1 && type == nullType) {
            return -1;
        }
        if (n < 0) {
            throw malformed("invalid " + name + " length " + n, base, pos, name);
        }
        long limit = aggregate ? limits.maxAggregateElements : limits.maxBulkLength;
        if (n > limit) {
            throw new LimitExceededException((aggregate ? name + " of " + n + " elements" : name + " length " + n)
                    + " exceeds the limit of " + limit, offset(base, pos), RespFrame.path(stack, depth, name));
        }
        return n;
    }

    private void pushFrame(byte type, int elements, int declared, int readableAfterHeader) {
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, stack.length * 2);
        }
        RespFrame frame = stack[depth];
        if (frame == null) {
            frame = stack[depth] = new RespFrame();
        }
        frame.open(type, elements, declared, readableAfterHeader, depth > 0 && stack[depth - 1].discard);
        depth++;
    }

    private long offset(int base, int index) {
        return consumed + (index - base);
    }

    /** A malformed-input error at {@code index} (relative to {@code base}), with the aggregate path. */
    RespProtocolException malformed(String message, int base, int index, String what) {
        return new RespProtocolException(message, offset(base, index), RespFrame.path(stack, depth, what));
    }


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

        /** @return a new builder initialised with the defaults */
        public static Builder builder() {
            return new Builder();
        }

        /** @return a new builder initialised with these limits (which stay as they are) */
        public Builder toBuilder() {
            return new Builder()
                    .maxBulkLength(maxBulkLength)
                    .maxAggregateElements(maxAggregateElements)
                    .maxNestingDepth(maxNestingDepth)
                    .maxLineLength(maxLineLength);
        }

        /** @return the largest accepted bulk / verbatim string / blob error payload, in bytes */
        public int maxBulkLength() {
            return maxBulkLength;
        }

        /** @return the largest accepted element count of an array, set, push, map (entries) or attribute */
        public int maxAggregateElements() {
            return maxAggregateElements;
        }

        /** @return the largest number of aggregates open at once (a flat array has depth 1) */
        public int maxNestingDepth() {
            return maxNestingDepth;
        }

        /** @return the largest accepted content of a line (simple string, error, number, header), in bytes */
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

            /**
             * Largest bulk payload, 0..{@link #MAX_BULK_LENGTH_CEILING} bytes (default 512 MiB).
             * @param bytes the limit
             * @return this builder
             */
            public Builder maxBulkLength(int bytes) {
                this.maxBulkLength = check(bytes, 0, MAX_BULK_LENGTH_CEILING, "maxBulkLength");
                return this;
            }

            /**
             * Largest aggregate, 0..{@link #MAX_AGGREGATE_ELEMENTS_CEILING} elements (default 16 Mi).
             * @param elements the limit
             * @return this builder
             */
            public Builder maxAggregateElements(int elements) {
                this.maxAggregateElements = check(elements, 0, MAX_AGGREGATE_ELEMENTS_CEILING,
                        "maxAggregateElements");
                return this;
            }

            /**
             * Deepest nesting of aggregates, at least 1 (default 64).
             * @param depth the limit
             * @return this builder
             */
            public Builder maxNestingDepth(int depth) {
                this.maxNestingDepth = check(depth, 1, 100_000, "maxNestingDepth");
                return this;
            }

            /**
             * Longest line content, at least 22 bytes so any 64-bit number fits (default 64 KiB).
             * @param bytes the limit
             * @return this builder
             */
            public Builder maxLineLength(int bytes) {
                this.maxLineLength = check(bytes, 22, Integer.MAX_VALUE - 16, "maxLineLength");
                return this;
            }

            /** @return the immutable limits */
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
