package io.df2redis.protocol.resp;

import java.util.Objects;
import java.util.Optional;

/**
 * A RESP error ({@code -ERR unknown command\r\n}) or RESP3 blob error
 * ({@code !21\r\nSYNTAX invalid syntax\r\n}).
 *
 * @param message the full error text without the leading {@code -}, e.g.
 *     {@code "MOVED 3999 127.0.0.1:6381"}
 */
public record ErrorReply(String message) implements RespReply {

    /**
     * Rejects a null message.
     *
     * @param message the error text
     */
    public ErrorReply {
        Objects.requireNonNull(message, "message");
    }

    /**
     * The error code: the first word of the text ({@code "ERR"}, {@code "MOVED"}, ...).
     *
     * @return the code
     */
    public String code() {
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }

    /**
     * The text after the code and its separating space (empty when there is none).
     *
     * @return the detail, or an empty string
     */
    public String detail() {
        int space = message.indexOf(' ');
        return space < 0 ? "" : message.substring(space + 1);
    }

    /**
     * The class of this error, from {@link #code()}.
     *
     * @return the kind
     */
    public ErrorKind kind() {
        return ErrorKind.fromCode(code());
    }

    /**
     * The redirect target for a {@link ErrorKind#MOVED} / {@link ErrorKind#ASK} error; empty for
     * other errors and for malformed redirects.
     *
     * @return the redirect, or empty
     */
    public Optional<Redirect> redirect() {
        return kind().isRedirect() ? Redirect.parse(message) : Optional.empty();
    }
}
