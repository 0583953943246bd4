package io.df2redis.protocol.resp;

/** The RESP type bytes, named for error messages. Stateless. */
final class RespTypes {
    private RespTypes() {
    }

    /** Whether {@code b} starts a RESP2 or RESP3 reply. */
    static boolean isTypeByte(byte b) {
        switch (b) {
            case '+': case '-': case ':': case '$': case '*':
            case '_': case ',': case '#': case '(': case '=': case '!':
            case '%': case '|': case '~': case '>':
                return true;
            default:
                return false;
        }
    }

    /** The name of the reply type {@code type}, for errors. */
    static String typeName(byte type) {
        switch (type) {
            case '+': return "simple string";
            case '-': return "error";
            case ':': return "integer";
            case '$': return "bulk string";
            case '*': return "array";
            case '_': return "RESP3 null";
            case ',': return "RESP3 double";
            case '#': return "RESP3 boolean";
            case '(': return "RESP3 big number";
            case '=': return "RESP3 verbatim string";
            case '!': return "RESP3 blob error";
            case '%': return "RESP3 map";
            case '|': return "RESP3 attribute";
            case '~': return "RESP3 set";
            case '>': return "RESP3 push";
            default: return "reply";
        }
    }

    /** {@code b} as a character and hex, for errors. */
    static String describeByte(byte b) {
        int v = b & 0xFF;
        String hex = String.format("0x%02x", v);
        return v >= 0x20 && v < 0x7F ? "'" + (char) v + "' (" + hex + ")" : hex;
    }
}
