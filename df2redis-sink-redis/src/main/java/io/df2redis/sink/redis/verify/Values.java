package io.df2redis.sink.redis.verify;

import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.DoubleReply;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.MapReply;
import io.df2redis.protocol.resp.NullReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.resp.SimpleString;
import io.df2redis.tools.inspect.JsonShapes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reply helpers of the verifier. A reply of an unexpected shape means the key changed while it was read. */
final class Values {
    private Values() {
    }

    /** The key changed (type, existence) between two reads: the caller re-checks it later. */
    static final class Changed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Changed(String what) {
            super(what, null, false, false);
        }
    }

    static String text(RespReply r) {
        return Side.text(r);
    }

    static long number(RespReply r) {
        if (r instanceof IntegerReply i) {
            return i.value();
        }
        if (r instanceof BulkString || r instanceof SimpleString) {
            try {
                return Long.parseLong(text(r));
            } catch (NumberFormatException e) {
                throw new Changed("not a number: " + text(r));
            }
        }
        throw new Changed(describe(r));
    }

    static byte[] bytes(RespReply r) {
        if (r instanceof BulkString b) {
            return b.value();
        }
        if (r instanceof SimpleString s) {
            return s.value().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        throw new Changed(describe(r));
    }

    /** A bulk string, or null for a null reply. */
    static byte[] bytesOrNull(RespReply r) {
        return r == NullReply.INSTANCE ? null : bytes(r);
    }

    static List<RespReply> array(RespReply r) {
        if (r instanceof ArrayReply a) {
            return a.elements();
        }
        if (r instanceof MapReply m) {
            List<RespReply> flat = new ArrayList<>(m.size() * 2);
            for (Map.Entry<RespReply, RespReply> e : m.entries()) {
                flat.add(e.getKey());
                flat.add(e.getValue());
            }
            return flat;
        }
        throw new Changed(describe(r));
    }

    static List<byte[]> byteList(RespReply r) {
        List<RespReply> a = array(r);
        List<byte[]> out = new ArrayList<>(a.size());
        for (RespReply e : a) {
            out.add(bytes(e));
        }
        return out;
    }

    /** A flat {@code [name, value, …]} (RESP2) or map (RESP3) reply as a map by name. */
    static Map<String, RespReply> fields(RespReply r) {
        List<RespReply> a = array(r);
        Map<String, RespReply> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < a.size(); i += 2) {
            m.put(text(a.get(i)), a.get(i + 1));
        }
        return m;
    }

    static double score(RespReply r) {
        if (r instanceof DoubleReply d) {
            return d.value();
        }
        String s = text(r);
        if (s.equalsIgnoreCase("inf") || s.equalsIgnoreCase("+inf")) {
            return Double.POSITIVE_INFINITY;
        }
        if (s.equalsIgnoreCase("-inf")) {
            return Double.NEGATIVE_INFINITY;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new Changed("not a score: " + s);
        }
    }

    /** The stream id following {@code id} ({@code ms-seq}), for range reads that continue after it. */
    static String nextId(String id) {
        int dash = id.indexOf('-');
        long ms = Long.parseUnsignedLong(id.substring(0, dash));
        long seq = Long.parseUnsignedLong(id.substring(dash + 1));
        if (seq == -1L) {
            return Long.toUnsignedString(ms + 1) + "-0";
        }
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq + 1);
    }

    static long[] parseId(String id) {
        int dash = id.indexOf('-');
        if (dash < 0) {
            return new long[] {Long.parseUnsignedLong(id), 0};
        }
        return new long[] {Long.parseUnsignedLong(id.substring(0, dash)), Long.parseUnsignedLong(id.substring(dash + 1))};
    }

    /** Bytes for a message: the text (or base64), abbreviated. */
    static String show(byte[] b) {
        if (b == null) {
            return "(none)";
        }
        String s = JsonShapes.key(b);
        return "'" + (s.length() > 60 ? s.substring(0, 57) + "..." : s) + "'";
    }

    static String describe(RespReply r) {
        if (r instanceof ErrorReply e) {
            return e.message();
        }
        String s = String.valueOf(r);
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    /** The command answering a core type's length (bytes for strings, entries for streams), or null. */
    static String lengthCommand(String type) {
        return switch (type) {
            case "string" -> "STRLEN";
            case "list" -> "LLEN";
            case "set" -> "SCARD";
            case "hash" -> "HLEN";
            case "zset" -> "ZCARD";
            case "stream" -> "XLEN";
            default -> null;
        };
    }

    /** The command reading a whole string, list, set, hash or sorted set in one reply. */
    static Object[] wholeCommand(String type, byte[] k) {
        return switch (type) {
            case "string" -> new Object[] {"GET", k};
            case "list" -> new Object[] {"LRANGE", k, "0", "-1"};
            case "set" -> new Object[] {"SMEMBERS", k};
            case "hash" -> new Object[] {"HGETALL", k};
            case "zset" -> new Object[] {"ZRANGE", k, "0", "-1", "WITHSCORES"};
            default -> throw new IllegalArgumentException(type);
        };
    }

    static boolean isError(RespReply r) {
        return r instanceof ErrorReply;
    }
}
