package io.df2redis.protocol.resp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An aggregate being filled by {@link RespDecoder}: one entry of its explicit stack, reused across
 * replies. Owned by the decoder's thread, like the decoder.
 */
final class RespFrame {
    byte type;
    /** Values to receive (twice the declared count for maps and attributes). */
    int expected;
    int declared;
    int count;
    boolean discard;
    RespReply[] items;

    /** Starts filling this frame for an aggregate of {@code type} with {@code elements} values to receive. */
    void open(byte type, int elements, int declared, int readableAfterHeader, boolean parentDiscards) {
        this.type = type;
        expected = elements;
        this.declared = declared;
        count = 0;
        discard = parentDiscards || type == '|';
        if (discard) {
            items = null;
        } else {
            // every element takes at least 3 bytes: size the storage by what has been received
            int capacity = Math.min(elements, Math.max(4, readableAfterHeader / 3 + 1));
            items = new RespReply[capacity];
        }
    }

    /** Adds the next value (dropped, but counted, when this frame discards). */
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

    /** The reply of an aggregate declared with no elements ({@code null} for an attribute). */
    static RespReply emptyAggregate(byte type) {
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

    /** {@code what}, followed by where it sits in the open aggregates {@code stack[0, depth)} (innermost first). */
    static String path(RespFrame[] stack, int depth, String what) {
        StringBuilder sb = new StringBuilder(what);
        for (int i = depth - 1; i >= 0; i--) {
            RespFrame f = stack[i];
            sb.append(i == depth - 1 ? " at " : ", in ");
            if (f.type == '%' || f.type == '|') {
                sb.append(f.count % 2 == 0 ? "key " : "value ").append(f.count / 2);
            } else {
                sb.append("element ").append(f.count);
            }
            sb.append(" of ").append(RespTypes.typeName(f.type)).append('[').append(f.declared).append(']');
        }
        return sb.toString();
    }
}
