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

    /**
     * Copies {@code elements} into an immutable list (no null elements).
     *
     * @param elements the elements
     */
    public ArrayReply {
        elements = List.copyOf(elements);
    }

    /**
     * An array of the given elements.
     *
     * @param elements the elements, none null
     * @return the array
     */
    public static ArrayReply of(RespReply... elements) {
        return new ArrayReply(List.of(elements));
    }

    /**
     * Number of elements.
     *
     * @return the element count
     */
    public int size() {
        return elements.size();
    }

    /**
     * The element at {@code index}.
     *
     * @param index from 0
     * @return the element
     * @throws IndexOutOfBoundsException when {@code index} is not below {@link #size()}
     */
    public RespReply get(int index) {
        return elements.get(index);
    }
}
