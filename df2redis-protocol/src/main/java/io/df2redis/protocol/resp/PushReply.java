package io.df2redis.protocol.resp;

import java.util.List;

/**
 * A RESP3 out-of-band push ({@code >3\r\n$7\r\nmessage\r\n...}), e.g. a pub/sub message or a
 * client-tracking invalidation.
 *
 * @param elements the elements in wire order (immutable); the first is normally the push kind
 */
public record PushReply(List<RespReply> elements) implements RespReply {

    /**
     * Copies {@code elements} into an immutable list (no null elements).
     *
     * @param elements the elements
     */
    public PushReply {
        elements = List.copyOf(elements);
    }

    /**
     * The push kind (first element as text, e.g. {@code "message"}), or empty when absent.
     *
     * @return the kind, or an empty string
     */
    public String kind() {
        if (elements.isEmpty()) {
            return "";
        }
        RespReply first = elements.get(0);
        if (first instanceof BulkString b) {
            return b.asString();
        }
        if (first instanceof SimpleString s) {
            return s.value();
        }
        return "";
    }
}
