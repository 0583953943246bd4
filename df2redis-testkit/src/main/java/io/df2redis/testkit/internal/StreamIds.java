package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.StreamId;

import java.nio.charset.StandardCharsets;

/**
 * Stream ids as the stream commands read them: {@code ms-seq}, {@code ms} (the sequence
 * defaulting per bound), {@code -} / {@code +}, the exclusive {@code (} prefix, and the next and
 * previous id. Stateless.
 */
final class StreamIds {
    /** The largest id, {@code 18446744073709551615-18446744073709551615}. */
    static final StreamId MAX = new StreamId(-1L, -1L);
    /** The error of an unparsable id. */
    static final String BAD_ID = "ERR Invalid stream ID specified as stream command argument";

    private StreamIds() {
    }

    /** An interval bound: {@code -}, {@code +}, an id (missing seq filled in), or {@code (id} exclusive. */
    static StreamId interval(byte[] arg, long missingSeq, boolean start) {
        String t = new String(arg, StandardCharsets.US_ASCII);
        if (t.length() > 1 && t.charAt(0) == '(') {
            String inner = t.substring(1);
            if (inner.equals("-") || inner.equals("+")) {
                throw new IllegalArgumentException(BAD_ID);
            }
            StreamId id = id(inner, missingSeq);
            StreamId moved = start ? increment(id) : decrement(id);
            if (moved == null) {
                throw new IllegalArgumentException("ERR invalid " + (start ? "start" : "end") + " ID for the interval");
            }
            return moved;
        }
        return id(t, missingSeq);
    }

    /** Parses {@code -}, {@code +}, {@code ms} or {@code ms-seq} (unsigned). */
    static StreamId id(String t, long missingSeq) {
        if (t.equals("-")) {
            return StreamId.ZERO;
        }
        if (t.equals("+")) {
            return MAX;
        }
        try {
            if (t.length() > 127 || t.isEmpty() || !Character.isDigit(t.charAt(0))) {
                throw new NumberFormatException(t);
            }
            int dash = t.indexOf('-');
            if (dash < 0) {
                return new StreamId(Long.parseUnsignedLong(t), missingSeq);
            }
            String seq = t.substring(dash + 1);
            if (seq.isEmpty() || !Character.isDigit(seq.charAt(0))) {
                throw new NumberFormatException(t);
            }
            return new StreamId(Long.parseUnsignedLong(t.substring(0, dash)), Long.parseUnsignedLong(seq));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(BAD_ID);
        }
    }

    static StreamId increment(StreamId id) {
        if (id.seq() == -1L) {
            return id.ms() == -1L ? null : new StreamId(id.ms() + 1, 0);
        }
        return new StreamId(id.ms(), id.seq() + 1);
    }

    static StreamId decrement(StreamId id) {
        if (id.seq() == 0) {
            return id.ms() == 0 ? null : new StreamId(id.ms() - 1, -1L);
        }
        return new StreamId(id.ms(), id.seq() - 1);
    }
}
