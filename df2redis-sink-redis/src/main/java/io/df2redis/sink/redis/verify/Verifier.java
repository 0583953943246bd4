package io.df2redis.sink.redis.verify;

import io.df2redis.protocol.inspect.KeyspaceReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Compares two keyspaces key by key — the source (a Dragonfly master's keyspace, or the
 * keyspace a sync delivered) and the target (what Redis holds) — on type, value and expiry
 * within a tolerance, and reports every difference. Keyspaces use the vectors' expected.json
 * shape (see {@link KeyspaceReader} and {@link io.df2redis.protocol.inspect.KeyspaceCollector}).
 */
public final class Verifier {
    /** What differs for one key. */
    public enum Kind {
        /** In the source, not in the target. */
        MISSING,
        /** In the target, not in the source. */
        UNEXPECTED,
        /** Different types. */
        TYPE,
        /** Same type, different value. */
        VALUE,
        /** Expiry differs by more than the tolerance, or is present on one side only. */
        TTL
    }

    /** One difference. */
    public record Difference(String db, String key, Kind kind, String detail) {
        @Override
        public String toString() {
            return kind + " db " + db + " key '" + key + "'" + (detail.isEmpty() ? "" : ": " + detail);
        }
    }

    /** The outcome: keys compared and every difference found. */
    public record Report(long sourceKeys, long targetKeys, List<Difference> differences) {
        public boolean equal() {
            return differences.isEmpty();
        }
    }

    private Verifier() {
    }

    /**
     * @param ttlToleranceMs how far two expiries may be apart (they are read at different moments)
     */
    @SuppressWarnings("unchecked")
    public static Report compare(Map<String, Object> source, Map<String, Object> target, long ttlToleranceMs) {
        List<Difference> diffs = new ArrayList<>();
        long sourceKeys = 0;
        long targetKeys = 0;
        TreeSet<String> dbs = new TreeSet<>(source.keySet());
        dbs.addAll(target.keySet());
        for (String db : dbs) {
            Map<String, Object> s = (Map<String, Object>) source.getOrDefault(db, Map.of());
            Map<String, Object> t = (Map<String, Object>) target.getOrDefault(db, Map.of());
            sourceKeys += s.size();
            targetKeys += t.size();
            TreeSet<String> keys = new TreeSet<>(s.keySet());
            keys.addAll(t.keySet());
            for (String key : keys) {
                Map<String, Object> a = (Map<String, Object>) s.get(key);
                Map<String, Object> b = (Map<String, Object>) t.get(key);
                if (b == null) {
                    diffs.add(new Difference(db, key, Kind.MISSING, String.valueOf(a.get("type"))));
                } else if (a == null) {
                    diffs.add(new Difference(db, key, Kind.UNEXPECTED, String.valueOf(b.get("type"))));
                } else if (!Objects.equals(a.get("type"), b.get("type"))) {
                    diffs.add(new Difference(db, key, Kind.TYPE, a.get("type") + " vs " + b.get("type")));
                } else {
                    if (a.containsKey("value") && b.containsKey("value")
                            && !Objects.equals(normalise(a.get("value")), normalise(b.get("value")))) {
                        diffs.add(new Difference(db, key, Kind.VALUE, abbreviate(a.get("value")) + " vs "
                                + abbreviate(b.get("value"))));
                    }
                    Object ea = a.get("expire_at_ms");
                    Object eb = b.get("expire_at_ms");
                    if ((ea == null) != (eb == null) || (ea != null
                            && Math.abs(((Number) ea).longValue() - ((Number) eb).longValue()) > ttlToleranceMs)) {
                        diffs.add(new Difference(db, key, Kind.TTL, ea + " vs " + eb));
                    }
                }
            }
        }
        return new Report(sourceKeys, targetKeys, diffs);
    }

    /** Numbers compare by value (1 and 1.0 are the same score); maps by content regardless of order. */
    private static Object normalise(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Map<?, ?> m) {
            java.util.TreeMap<String, Object> out = new java.util.TreeMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), normalise(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) {
                out.add(normalise(x));
            }
            return out;
        }
        return v;
    }

    private static String abbreviate(Object v) {
        String s = String.valueOf(v);
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
