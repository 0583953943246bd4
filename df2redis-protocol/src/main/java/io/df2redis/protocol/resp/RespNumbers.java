package io.df2redis.protocol.resp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The number parsers of {@link RespDecoder}: lengths and integers, RESP3 booleans, doubles and big
 * numbers, read from a complete line in place. Errors go through the decoder
 * ({@link RespDecoder#malformed}) so they carry its stream offset and aggregate path. Stateless.
 */
final class RespNumbers {
    private RespNumbers() {
    }

    /** Parses a signed decimal long in {@code [from, to)}, rejecting overflow. */
    static long parseLong(RespDecoder d, ByteBuf in, int base, int from, int to, String what) {
        if (from == to) {
            throw d.malformed("empty number", base, from - 1, what);
        }
        int i = from;
        boolean negative = false;
        byte first = in.getByte(i);
        if (first == '-' || first == '+') {
            negative = first == '-';
            if (++i == to) {
                throw d.malformed("sign without digits", base, from - 1, what);
            }
        }
        // accumulate negatively: the negative range is the larger one
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long multMin = limit / 10;
        long result = 0;
        for (; i < to; i++) {
            int digit = in.getByte(i) - '0';
            if (digit < 0 || digit > 9) {
                throw d.malformed("non-numeric character " + RespTypes.describeByte(in.getByte(i)) + " in number",
                        base, i, what);
            }
            if (result < multMin) {
                throw d.malformed("number overflows 64 bits", base, from - 1, what);
            }
            result *= 10;
            if (result < limit + digit) {
                throw d.malformed("number overflows 64 bits", base, from - 1, what);
            }
            result -= digit;
        }
        return negative ? result : -result;
    }

    /** A RESP3 boolean line. */
    static BooleanReply parseBoolean(RespDecoder d, ByteBuf in, int base, int pos, int cr) {
        if (cr == pos + 2) {
            byte b = in.getByte(pos + 1);
            if (b == 't') {
                return BooleanReply.TRUE;
            }
            if (b == 'f') {
                return BooleanReply.FALSE;
            }
        }
        throw d.malformed("boolean must be 't' or 'f'", base, pos, "RESP3 boolean");
    }

    /** A RESP3 double line (inf, nan and decimal forms). */
    static DoubleReply parseDouble(RespDecoder d, ByteBuf in, int base, int pos, int cr) {
        String text = in.toString(pos + 1, cr - pos - 1, StandardCharsets.US_ASCII);
        switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity":
                return new DoubleReply(Double.POSITIVE_INFINITY);
            case "-inf", "-infinity":
                return new DoubleReply(Double.NEGATIVE_INFINITY);
            case "nan", "+nan", "-nan":
                return new DoubleReply(Double.NaN);
            default:
                break;
        }
        boolean digit = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
                digit = false;
                break;
            }
        }
        if (digit) {
            try {
                return new DoubleReply(Double.parseDouble(text));
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw d.malformed("invalid double", base, pos, "RESP3 double");
    }

    /** A RESP3 big number line. */
    static BigNumberReply parseBigNumber(RespDecoder d, ByteBuf in, int base, int pos, int cr) {
        int i = pos + 1;
        if (i < cr && (in.getByte(i) == '-' || in.getByte(i) == '+')) {
            i++;
        }
        if (i == cr) {
            throw d.malformed("big number without digits", base, pos, "RESP3 big number");
        }
        for (int j = i; j < cr; j++) {
            byte b = in.getByte(j);
            if (b < '0' || b > '9') {
                throw d.malformed("non-numeric character " + RespTypes.describeByte(b) + " in big number", base, j,
                        "RESP3 big number");
            }
        }
        return new BigNumberReply(in.toString(pos + 1, cr - pos - 1, StandardCharsets.US_ASCII));
    }
}
