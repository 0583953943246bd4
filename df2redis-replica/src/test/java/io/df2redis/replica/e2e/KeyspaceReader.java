package io.df2redis.replica.e2e;

import io.df2redis.protocol.internal.CompactReader;
import io.df2redis.protocol.inspect.JsonShapes;
import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.resp.SimpleString;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a live server's keyspace (a real Dragonfly, or Redis) with type-aware commands into the
 * vectors' expected.json shape: SCAN per db, TYPE, then GET / LRANGE / SMEMBERS / HGETALL /
 * ZRANGE WITHSCORES, and PTTL for the expiry (absolute, so approximate).
 */
public final class KeyspaceReader {
    private KeyspaceReader() {
    }

    /** Reads every key of dbs 0–15. */
    public static Map<String, Object> read(TestRespClient c) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int db = 0; db < 16; db++) {
            c.ok("SELECT", Integer.toString(db));
            Map<String, Object> keys = new TreeMap<>();
            String cursor = "0";
            do {
                ArrayReply scan = (ArrayReply) c.ok("SCAN", cursor, "COUNT", "1000");
                cursor = text(scan.get(0));
                for (RespReply k : ((ArrayReply) scan.get(1)).elements()) {
                    byte[] key = ((BulkString) k).value();
                    Map<String, Object> v = readKey(c, key);
                    if (v != null) {
                        keys.put(JsonShapes.key(key), v);
                    }
                }
            } while (!cursor.equals("0"));
            if (!keys.isEmpty()) {
                out.put(Integer.toString(db), keys);
            }
        }
        c.ok("SELECT", "0");
        return out;
    }

    private static Map<String, Object> readKey(TestRespClient c, byte[] key) throws IOException {
        String type = text(c.ok("TYPE", key));
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("type", type);
        switch (type) {
            case "none":
                return null;
            case "string":
                k.put("value", JsonShapes.bytes(((BulkString) c.ok("GET", key)).value()));
                break;
            case "list":
                k.put("value", bytesList(c.ok("LRANGE", key, "0", "-1"), false));
                break;
            case "set":
                k.put("value", bytesList(c.ok("SMEMBERS", key), true));
                break;
            case "hash": {
                Map<String, Object> h = new TreeMap<>();
                List<RespReply> l = ((ArrayReply) c.ok("HGETALL", key)).elements();
                for (int i = 0; i + 1 < l.size(); i += 2) {
                    h.put(JsonShapes.key(((BulkString) l.get(i)).value()),
                            JsonShapes.bytes(((BulkString) l.get(i + 1)).value()));
                }
                k.put("value", h);
                break;
            }
            case "zset": {
                List<Object> z = new ArrayList<>();
                List<RespReply> l = ((ArrayReply) c.ok("ZRANGE", key, "0", "-1", "WITHSCORES")).elements();
                for (int i = 0; i + 1 < l.size(); i += 2) {
                    byte[] s = text(l.get(i + 1)).getBytes(StandardCharsets.US_ASCII);
                    z.add(List.of(JsonShapes.bytes(((BulkString) l.get(i)).value()),
                            JsonShapes.score(CompactReader.parseDouble(s, 0, s.length))));
                }
                k.put("value", z);
                break;
            }
            default:
                k.put("value", "unsupported type " + type);
        }
        long pttl = ((IntegerReply) c.ok("PTTL", key)).value();
        k.put("expire_at_ms", pttl < 0 ? null : System.currentTimeMillis() + pttl);
        return k;
    }

    private static List<Object> bytesList(RespReply r, boolean sort) {
        List<byte[]> l = new ArrayList<>();
        for (RespReply e : ((ArrayReply) r).elements()) {
            l.add(((BulkString) e).value());
        }
        if (sort) {
            l.sort(Arrays::compareUnsigned);
        }
        List<Object> out = new ArrayList<>();
        for (byte[] b : l) {
            out.add(JsonShapes.bytes(b));
        }
        return out;
    }

    private static String text(RespReply r) {
        if (r instanceof BulkString b) {
            return b.asString();
        }
        if (r instanceof SimpleString s) {
            return s.value();
        }
        return String.valueOf(r);
    }
}
