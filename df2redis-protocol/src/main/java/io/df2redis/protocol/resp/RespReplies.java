package io.df2redis.protocol.resp;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reading replies as text: the one place that says what the text of each {@link RespReply} kind
 * is ({@link #text}) and how a reply is shown in a log line or an exception message
 * ({@link #describe}).
 */
public final class RespReplies {
    /** Bulk string bytes shown by {@link #describe} before it abbreviates. */
    static final int DESCRIBE_BULK_BYTES = 256;
    /** Aggregate elements shown by {@link #describe} before it abbreviates. */
    static final int DESCRIBE_ELEMENTS = 16;
    /** Largest magnitude below which an integral double is written without a fraction. */
    private static final double EXACT_INTEGER_LIMIT = 9007199254740992.0; // 2^53

    private RespReplies() {
    }

    /**
     * The value of a scalar reply as text, the same whether the server spoke RESP2 or RESP3:
     * <table>
     * <caption>text per reply kind</caption>
     * <tr><th>reply</th><th>text</th></tr>
     * <tr><td>{@link SimpleString}</td><td>its value ({@code +OK} → {@code "OK"})</td></tr>
     * <tr><td>{@link BulkString} (and RESP3 verbatim strings)</td><td>the payload decoded as
     *     UTF-8, malformed sequences replaced by U+FFFD</td></tr>
     * <tr><td>{@link IntegerReply}</td><td>the decimal number ({@code :-7} → {@code "-7"})</td></tr>
     * <tr><td>{@link DoubleReply}</td><td>{@code "inf"}, {@code "-inf"}, {@code "nan"}; integral
     *     values below 2<sup>53</sup> without a fraction ({@code ,3.0} → {@code "3"}, as Redis
     *     writes scores in RESP2); others in Java's shortest round-trip form
     *     ({@link Double#toString(double)}, readable by {@link Double#parseDouble})</td></tr>
     * <tr><td>{@link BooleanReply}</td><td>{@code "1"} or {@code "0"}, what RESP2 sends for a
     *     boolean</td></tr>
     * <tr><td>{@link BigNumberReply}</td><td>its digits, as received</td></tr>
     * <tr><td>{@link NullReply}</td><td>{@code null}: there is no value</td></tr>
     * <tr><td>{@link ErrorReply}</td><td>{@code null}: an error is not a value (use
     *     {@link ErrorReply#message()} or {@link #describe})</td></tr>
     * <tr><td>{@link ArrayReply}, {@link MapReply}, {@link PushReply}</td><td>{@code null}: an
     *     aggregate has no single text (take its elements apart, or use {@link #describe})</td></tr>
     * </table>
     *
     * @param reply the reply
     * @return its text, or {@code null} for a null, error or aggregate reply
     * @throws NullPointerException when {@code reply} is null
     */
    public static String text(RespReply reply) {
        Objects.requireNonNull(reply, "reply");
        if (reply instanceof BulkString b) {
            return b.asString();
        }
        if (reply instanceof SimpleString s) {
            return s.value();
        }
        if (reply instanceof IntegerReply i) {
            return Long.toString(i.value());
        }
        if (reply instanceof DoubleReply d) {
            return doubleText(d.value());
        }
        if (reply instanceof BooleanReply b) {
            return b.value() ? "1" : "0";
        }
        if (reply instanceof BigNumberReply n) {
            return n.value();
        }
        return null; // NullReply, ErrorReply, ArrayReply, MapReply, PushReply
    }

    /**
     * The reply as one line for logs and exception messages, in the style of {@code redis-cli}:
     * a simple string as is ({@code OK}); a bulk string quoted and escaped ({@code "a\r\nb"},
     * non-printable bytes as {@code \xNN}, abbreviated after 256 bytes with its length);
     * {@code (integer) 42}, {@code (double) 1.5}, {@code (boolean) true},
     * {@code (big number) 123}; {@code (nil)}; {@code (error) ERR message}; an array or set as
     * {@code [e1, e2]}, a push as {@code >[e1, e2]} and a map as {@code {k: v}}, each abbreviated
     * after 16 elements with its size. Never null.
     *
     * <p>The text may contain data from the reply (keys, values): do not use it where a value
     * could be a secret.
     *
     * @param reply the reply
     * @return one line, never null
     * @throws NullPointerException when {@code reply} is null
     */
    public static String describe(RespReply reply) {
        Objects.requireNonNull(reply, "reply");
        StringBuilder sb = new StringBuilder();
        describe(reply, sb);
        return sb.toString();
    }

    private static void describe(RespReply reply, StringBuilder sb) {
        if (reply instanceof SimpleString s) {
            sb.append(s.value());
        } else if (reply instanceof BulkString b) {
            quote(b.value(), sb);
        } else if (reply instanceof IntegerReply i) {
            sb.append("(integer) ").append(i.value());
        } else if (reply instanceof DoubleReply d) {
            sb.append("(double) ").append(doubleText(d.value()));
        } else if (reply instanceof BooleanReply b) {
            sb.append("(boolean) ").append(b.value());
        } else if (reply instanceof BigNumberReply n) {
            sb.append("(big number) ").append(n.value());
        } else if (reply instanceof ErrorReply e) {
            sb.append("(error) ").append(e.message());
        } else if (reply instanceof ArrayReply a) {
            elements(a.elements(), "[", "]", sb);
        } else if (reply instanceof PushReply p) {
            elements(p.elements(), ">[", "]", sb);
        } else if (reply instanceof MapReply m) {
            sb.append('{');
            int shown = Math.min(m.size(), DESCRIBE_ELEMENTS);
            for (int i = 0; i < shown; i++) {
                Map.Entry<RespReply, RespReply> e = m.entries().get(i);
                if (i > 0) {
                    sb.append(", ");
                }
                describe(e.getKey(), sb);
                sb.append(": ");
                describe(e.getValue(), sb);
            }
            if (shown < m.size()) {
                sb.append(", ... (").append(m.size()).append(" entries)");
            }
            sb.append('}');
        } else {
            sb.append("(nil)");
        }
    }

    private static void elements(List<RespReply> elements, String open, String close, StringBuilder sb) {
        sb.append(open);
        int shown = Math.min(elements.size(), DESCRIBE_ELEMENTS);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            describe(elements.get(i), sb);
        }
        if (shown < elements.size()) {
            sb.append(", ... (").append(elements.size()).append(" elements)");
        }
        sb.append(close);
    }

    /**
     * Appends {@code value} quoted and escaped, abbreviated after {@link #DESCRIBE_BULK_BYTES}
     * bytes (also {@link BulkString#toString()}).
     */
    static void quote(byte[] value, StringBuilder sb) {
        int shown = Math.min(value.length, DESCRIBE_BULK_BYTES);
        sb.append('"');
        for (int i = 0; i < shown; i++) {
            int b = value[i] & 0xFF;
            switch (b) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (b >= 0x20 && b < 0x7F) {
                        sb.append((char) b);
                    } else {
                        sb.append("\\x").append(Character.forDigit(b >> 4, 16))
                                .append(Character.forDigit(b & 0xF, 16));
                    }
                }
            }
        }
        sb.append('"');
        if (shown < value.length) {
            sb.append("...(").append(value.length).append(" bytes)");
        }
    }

    private static String doubleText(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < EXACT_INTEGER_LIMIT) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }
}
