package io.df2redis.replica;

import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.ValueBatch;
import io.df2redis.tools.inspect.JsonShapes;
import io.df2redis.tools.inspect.KeyspaceCollector;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Test model of the replicated keyspace: snapshot entries as upserts plus a small set of
 * journal commands applied in the order the listener receives them. Fails loudly on a command
 * it does not model, so a test cannot pass by ignoring data.
 */
class KeyspaceModel implements ReplicationListener {
    private KeyspaceCollector snapshot = new KeyspaceCollector(false, System.currentTimeMillis());
    final List<String> unsupported = new ArrayList<>();
    /** Global commands (FLUSHDB/FLUSHALL) as delivered, with their txid. */
    final List<String> globals = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Journal LSNs per flow, in delivery order. */
    final Map<Integer, List<Long>> lsns = new java.util.concurrent.ConcurrentHashMap<>();

    /** A new full sync starts: forget everything (a target would be flushed). */
    @Override
    public synchronized void onFullSyncStart(MasterInfo master) {
        snapshot = new KeyspaceCollector(false, System.currentTimeMillis());
    }

    Map<String, Object> keyspace() {
        synchronized (this) {
            return snapshot.keyspace();
        }
    }

    @Override
    public synchronized void onEntryStart(int flow, RdbEntry entry) {
        snapshot.onEntryStart(entry);
    }

    @Override
    public synchronized void onValueBatch(int flow, RdbEntry entry, ValueBatch batch) {
        snapshot.onValueBatch(entry, batch);
    }

    @Override
    public synchronized void onEntryEnd(int flow, RdbEntry entry, EntrySummary summary) {
        snapshot.onEntryEnd(entry, summary);
    }

    @Override
    public synchronized void onJournalEntry(JournalEvent e) {
        lsns.computeIfAbsent(e.flow(), f -> new ArrayList<>()).add(e.lsn());
        if (e.isGlobalCommand()) {
            globals.add(e.command());
        }
        if (!e.op().hasCommand()) {
            return;
        }
        List<byte[]> a = e.args();
        Map<String, Map<String, Object>> db = snapshot.db(e.db());
        String cmd = e.command();
        switch (cmd) {
            case "SET": {
                Map<String, Object> k = key("string", JsonShapes.bytes(a.get(2)));
                for (int i = 3; i + 1 < a.size(); i += 2) {
                    if (text(a.get(i)).equalsIgnoreCase("PXAT")) {
                        k.put("expire_at_ms", Long.parseLong(text(a.get(i + 1))));
                    }
                }
                db.put(JsonShapes.key(a.get(1)), k);
                break;
            }
            case "MSET":
                for (int i = 1; i + 1 < a.size(); i += 2) {
                    db.put(JsonShapes.key(a.get(i)), key("string", JsonShapes.bytes(a.get(i + 1))));
                }
                break;
            case "DEL":
            case "UNLINK":
                for (int i = 1; i < a.size(); i++) {
                    db.remove(JsonShapes.key(a.get(i)));
                }
                break;
            case "APPEND": { // UTF-8 test values only
                Map<String, Object> k = db.get(JsonShapes.key(a.get(1)));
                String v = (k == null ? "" : utf8(k.get("value"))) + new String(a.get(2), StandardCharsets.UTF_8);
                Map<String, Object> n = key("string", JsonShapes.bytes(v.getBytes(StandardCharsets.UTF_8)));
                if (k != null) {
                    n.put("expire_at_ms", k.get("expire_at_ms"));
                }
                db.put(JsonShapes.key(a.get(1)), n);
                break;
            }
            case "INCR":
            case "INCRBY": {
                Map<String, Object> k = db.get(JsonShapes.key(a.get(1)));
                long v = k == null ? 0 : Long.parseLong(utf8(k.get("value")));
                long by = a.size() > 2 ? Long.parseLong(new String(a.get(2), StandardCharsets.UTF_8)) : 1;
                Map<String, Object> n = key("string", JsonShapes.bytes(Long.toString(v + by).getBytes()));
                if (k != null) {
                    n.put("expire_at_ms", k.get("expire_at_ms"));
                }
                db.put(JsonShapes.key(a.get(1)), n);
                break;
            }
            case "LPUSH":
            case "RPUSH": {
                Map<String, Object> k = db.computeIfAbsent(JsonShapes.key(a.get(1)),
                        x -> key("list", new ArrayList<Object>()));
                @SuppressWarnings("unchecked")
                List<Object> l = (List<Object>) k.get("value");
                for (int i = 2; i < a.size(); i++) {
                    if (cmd.equals("LPUSH")) {
                        l.add(0, JsonShapes.bytes(a.get(i)));
                    } else {
                        l.add(JsonShapes.bytes(a.get(i)));
                    }
                }
                break;
            }
            case "HSET": {
                Map<String, Object> k = db.computeIfAbsent(JsonShapes.key(a.get(1)),
                        x -> key("hash", new LinkedHashMap<String, Object>()));
                @SuppressWarnings("unchecked")
                Map<String, Object> h = (Map<String, Object>) k.get("value");
                for (int i = 2; i + 1 < a.size(); i += 2) {
                    h.put(JsonShapes.key(a.get(i)), JsonShapes.bytes(a.get(i + 1)));
                }
                break;
            }
            case "SADD": {
                Map<String, Object> k = db.computeIfAbsent(JsonShapes.key(a.get(1)),
                        x -> key("set", new ArrayList<Object>()));
                @SuppressWarnings("unchecked")
                List<Object> l = (List<Object>) k.get("value");
                java.util.TreeMap<byte[], Object> sorted = new java.util.TreeMap<>(java.util.Arrays::compareUnsigned);
                for (Object o : l) {
                    sorted.put(bytesOf(o), o);
                }
                for (int i = 2; i < a.size(); i++) {
                    sorted.put(a.get(i), JsonShapes.bytes(a.get(i)));
                }
                k.put("value", new ArrayList<>(sorted.values()));
                break;
            }
            case "ZADD": {
                Map<String, Object> k = db.computeIfAbsent(JsonShapes.key(a.get(1)),
                        x -> key("zset", new ArrayList<Object>()));
                @SuppressWarnings("unchecked")
                List<Object> l = (List<Object>) k.get("value");
                java.util.Map<String, Object[]> members = new java.util.HashMap<>();
                for (Object o : l) {
                    List<?> pair = (List<?>) o;
                    members.put(String.valueOf(pair.get(0)), new Object[] {bytesOf(pair.get(0)), pair.get(1)});
                }
                for (int i = 2; i + 1 < a.size(); i += 2) {
                    double score = Double.parseDouble(new String(a.get(i), StandardCharsets.UTF_8));
                    Object member = JsonShapes.bytes(a.get(i + 1));
                    members.put(String.valueOf(member), new Object[] {a.get(i + 1), JsonShapes.score(score)});
                }
                List<Object[]> sorted = new ArrayList<>(members.values());
                sorted.sort((x, y) -> {
                    int c = Double.compare(num(x[1]), num(y[1]));
                    return c != 0 ? c : java.util.Arrays.compareUnsigned((byte[]) x[0], (byte[]) y[0]);
                });
                List<Object> out = new ArrayList<>();
                for (Object[] m : sorted) {
                    out.add(List.of(JsonShapes.bytes((byte[]) m[0]), m[1]));
                }
                k.put("value", out);
                break;
            }
            case "PEXPIREAT": {
                Map<String, Object> k = db.get(JsonShapes.key(a.get(1)));
                if (k != null) {
                    k.put("expire_at_ms", Long.parseLong(text(a.get(2))));
                }
                break;
            }
            case "FLUSHDB":
                db.clear();
                break;
            case "FLUSHALL":
                snapshot.clear();
                break;
            default:
                unsupported.add(String.join(" ", e.entry().argsAsStrings()));
        }
    }

    @SuppressWarnings("unchecked")
    private static byte[] bytesOf(Object s) {
        Map<String, Object> m = (Map<String, Object>) s;
        return m.containsKey("utf8") ? ((String) m.get("utf8")).getBytes(StandardCharsets.UTF_8)
                : java.util.Base64.getDecoder().decode((String) m.get("b64"));
    }

    private static double num(Object score) {
        if (score instanceof Number n) {
            return n.doubleValue();
        }
        return "inf".equals(score) ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    private static Map<String, Object> key(String type, Object value) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("type", type);
        k.put("value", value);
        k.put("expire_at_ms", null);
        return k;
    }

    @SuppressWarnings("unchecked")
    private static String utf8(Object s) {
        return (String) ((Map<String, Object>) s).get("utf8");
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT).equals("PXAT") ? "PXAT"
                : new String(b, StandardCharsets.UTF_8);
    }
}
