package io.df2redis.tools.inspect;

import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.RespReplies;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.tools.SyncRespClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a live server's keyspace (Redis, or a Dragonfly master) with type-aware read commands
 * into the shape of the vectors' {@code expected.json}: db → key → {@code {type, value,
 * expire_at_ms}}. Strings, lists, sets, hashes and sorted sets are read in full; other types
 * (streams, modules) are recorded by type and length only. Expiries come from {@code PTTL}, so
 * they are approximate. Memory grows with the dataset: meant for verification, not for huge sets.
 */
public final class KeyspaceReader {
    private KeyspaceReader() {
    }

    /**
     * Reads dbs {@code 0 … dbs-1} of the server at {@code host:port}.
     *
     * @param host the server's host name or address
     * @param port its port
     * @param user the ACL user, or null for the default user
     * @param password the password, or null to send no {@code AUTH}
     * @param dbs how many dbs to read, from db 0 (fewer when the server refuses a {@code SELECT})
     * @return db (as decimal text) → key → {@code {type, value, expire_at_ms}}, empty dbs left out
     * @throws IOException declared for callers written against the former socket client; the
     *     reads fail with a {@link io.df2redis.protocol.client.RespClientException} instead
     */
    public static Map<String, Object> read(String host, int port, String user, String password, int dbs)
            throws IOException {
        try (SyncRespClient c = SyncRespClient.connect(host, port, user, password)) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (int db = 0; db < dbs; db++) {
                if (c.call("SELECT", Integer.toString(db)) instanceof ErrorReply) {
                    break; // fewer dbs than asked (e.g. a cluster node)
                }
                Map<String, Object> keys = new TreeMap<>();
                String cursor = "0";
                do {
                    ArrayReply scan = (ArrayReply) c.ok("SCAN", cursor, "COUNT", "1000");
                    cursor = RespReplies.text(scan.get(0));
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
            return out;
        }
    }

    private static Map<String, Object> readKey(SyncRespClient c, byte[] key) throws IOException {
        String type = RespReplies.text(c.ok("TYPE", key));
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("type", type);
        switch (type) {
            case "none":
                return null;
            case "string":
                RespReply v = c.ok("GET", key);
                if (!(v instanceof BulkString b)) {
                    return null; // expired between TYPE and GET
                }
                k.put("value", JsonShapes.bytes(b.value()));
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
                    String s = RespReplies.text(l.get(i + 1));
                    double d = s.equalsIgnoreCase("inf") || s.equals("+inf") ? Double.POSITIVE_INFINITY
                            : s.equalsIgnoreCase("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(s);
                    z.add(List.of(JsonShapes.bytes(((BulkString) l.get(i)).value()), JsonShapes.score(d)));
                }
                k.put("value", z);
                break;
            }
            case "stream":
                k.put("length", ((IntegerReply) c.ok("XLEN", key)).value());
                break;
            default:
                break;
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
        List<Object> out = new ArrayList<>(l.size());
        for (byte[] b : l) {
            out.add(JsonShapes.bytes(b));
        }
        return out;
    }
}
