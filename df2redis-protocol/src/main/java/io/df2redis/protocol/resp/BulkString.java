package io.df2redis.protocol.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A RESP bulk string ({@code $5\r\nhello\r\n}) or RESP3 verbatim string (whose 4-byte format
 * prefix such as {@code txt:} has been stripped). Binary safe.
 *
 * <p>The array is not copied, neither on construction nor by {@link #value()}: treat it as
 * read-only. {@link #equals}, {@link #hashCode} and {@link #toString} use its content.
 *
 * @param value the payload
 */
public record BulkString(byte[] value) implements RespReply {

    /**
     * Wraps {@code value} without copying it.
     *
     * @param value the payload, not null
     */
    public BulkString {
        Objects.requireNonNull(value, "value");
    }

    /**
     * A bulk string holding the UTF-8 encoding of {@code text}.
     *
     * @param text the text
     * @return the bulk string
     */
    public static BulkString of(String text) {
        return new BulkString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The payload decoded as UTF-8 (malformed sequences are replaced).
     *
     * @return the text
     */
    public String asString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /**
     * Payload length in bytes.
     *
     * @return the length
     */
    public int length() {
        return value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BulkString other && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    /** The payload, escaped for printing; very long payloads are abbreviated (see {@link RespReplies#describe}). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(Math.min(value.length, RespReplies.DESCRIBE_BULK_BYTES) + 24);
        sb.append("BulkString[");
        RespReplies.quote(value, sb);
        return sb.append(']').toString();
    }
}
