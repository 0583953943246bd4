package io.df2redis.testkit;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tiny replica-side keyspace for string keys: snapshot entries are upserts, journal SET / DEL /
 * FLUSHDB / FLUSHALL are applied in stream order (enough for the tests' workloads).
 */
final class Keyspace {
    final Map<String, String> db0 = new TreeMap<>();

    @SuppressWarnings("unchecked")
    Keyspace apply(List<Map<String, Object>> flatRecords) {
        for (Map<String, Object> r : flatRecords) {
            String op = (String) r.get("op");
            if ("ENTRY".equals(op) && Integer.valueOf(0).equals(r.get("db"))) {
                Object v = r.get("value");
                db0.put((String) r.get("key"), v instanceof Map<?, ?> m ? String.valueOf(m.get("utf8")) : String.valueOf(v));
            } else if ("JOURNAL_BLOB".equals(op)) {
                for (Map<String, Object> e : (List<Map<String, Object>>) r.get("entries")) {
                    command(e);
                }
            } else if ("COMMAND".equals(op) || "EXPIRED".equals(op)) {
                command(r);
            }
        }
        return this;
    }

    @SuppressWarnings("unchecked")
    private void command(Map<String, Object> e) {
        if (!"COMMAND".equals(e.get("op")) && !"EXPIRED".equals(e.get("op"))) {
            return;
        }
        if (!Integer.valueOf(0).equals(e.get("db"))) {
            return;
        }
        List<Map<String, Object>> args = (List<Map<String, Object>>) e.get("args");
        String name = text(args.get(0)).toUpperCase();
        switch (name) {
            case "SET" -> db0.put(text(args.get(1)), text(args.get(2)));
            case "MSET" -> {
                for (int i = 1; i + 1 < args.size(); i += 2) {
                    db0.put(text(args.get(i)), text(args.get(i + 1)));
                }
            }
            case "DEL", "UNLINK" -> {
                for (int i = 1; i < args.size(); i++) {
                    db0.remove(text(args.get(i)));
                }
            }
            case "FLUSHDB", "FLUSHALL" -> db0.clear();
            default -> throw new AssertionError("unexpected journal command " + name);
        }
    }

    private static String text(Map<String, Object> s) {
        return (String) s.get("utf8");
    }

    /** The master's db 0 string keys. */
    static Map<String, String> of(EmbeddedDragonflyMaster m) {
        Map<String, String> out = new TreeMap<>();
        for (RdbKeyValue kv : m.entries(0)) {
            out.put(new String(kv.key(), StandardCharsets.UTF_8),
                    new String(((RdbValue.StringValue) kv.value()).bytes(), StandardCharsets.UTF_8));
        }
        return out;
    }
}
