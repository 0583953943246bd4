package io.df2redis.protocol.resp;

import java.util.Objects;

/**
 * A RESP simple string ({@code +OK\r\n}), decoded as UTF-8.
 *
 * @param value the text after the {@code +}, without the trailing CRLF
 */
public record SimpleString(String value) implements RespReply {

    /** The ubiquitous {@code +OK}. */
    public static final SimpleString OK = new SimpleString("OK");

    /**
     * Rejects a null value.
     *
     * @param value the text
     */
    public SimpleString {
        Objects.requireNonNull(value, "value");
    }
}
