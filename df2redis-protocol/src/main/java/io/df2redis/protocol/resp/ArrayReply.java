package io.df2redis.protocol.resp;

import java.util.List;

/**
 * A RESP array ({@code *2\r\n...}) or RESP3 set ({@code ~2\r\n...}).
 *
 * @param elements the elements in wire order (immutable, never {@code null}; a null element is
 *     {@link NullReply#INSTANCE})
 */
public record ArrayReply(List<RespReply> elements) implements RespReply {

    /** The empty array. */
    public static final ArrayReply EMPTY = new ArrayReply(List.of());

    /** Copies {@code elements} into an immutable list (no null elements). */
    public ArrayReply {
        elements = List.copyOf(elements);
    }

    /** An array of the given elements. */
    public static ArrayReply of(RespReply... elements) {
        return new ArrayReply(List.of(elements));
    }

    /** Number of elements. */
    public int size() {
        return elements.size();
    }

    /** The element at {@code index}. */
    public RespReply get(int index) {
        return elements.get(index);
    }
}
