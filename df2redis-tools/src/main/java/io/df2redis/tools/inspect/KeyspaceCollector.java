package io.df2redis.tools.inspect;

import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.ValueBatch;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the keyspace a snapshot describes — db → key → {@code {type, value, expire_at_ms}} —
 * in the shape of the vectors' {@code expected.json} (vectors README §2). Entries are upserts
 * (a later entry of a key replaces the earlier one). Keys whose expiry has passed are left out
 * unless asked for. Materialises every value: meant for inspection and tests, not for
 * datasets larger than memory.
 */
public final class KeyspaceCollector implements RdbHandler {
    private final boolean includeExpired;
    private final long nowMs;
    private final Map<RdbEntry, ValueCollector> open = new IdentityHashMap<>();
    private final Map<Integer, Map<String, Map<String, Object>>> dbs = new TreeMap<>();

    /**
     * A collector keeping keys expired at {@code nowMs} only with {@code includeExpired}.
     *
     * @param includeExpired whether keys whose expiry is at or before {@code nowMs} are kept
     * @param nowMs the time, in Unix milliseconds, expiries are compared with
     */
    public KeyspaceCollector(boolean includeExpired, long nowMs) {
        this.includeExpired = includeExpired;
        this.nowMs = nowMs;
    }

    /**
     * db (as decimal text) → key → key description, dbs and keys sorted.
     *
     * @return the keyspace collected so far, without empty dbs
     */
    public Map<String, Object> keyspace() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<Integer, Map<String, Map<String, Object>>> e : dbs.entrySet()) {
            if (!e.getValue().isEmpty()) {
                out.put(Integer.toString(e.getKey()), e.getValue());
            }
        }
        return out;
    }

    /**
     * The live key map of {@code db} (key → description, as in {@link #keyspace()}), for callers
     * that apply journal commands on top of the snapshot. Not thread-safe.
     *
     * @param db the db
     * @return the db's map, created empty when absent; changes to it change this collector
     */
    public Map<String, Map<String, Object>> db(int db) {
        return dbs.computeIfAbsent(db, k -> new TreeMap<>());
    }

    /** Removes every key of every db (FLUSHALL). */
    public void clear() {
        dbs.clear();
    }

    /**
     * Number of keys collected.
     *
     * @return the keys of every db
     */
    public long keyCount() {
        long n = 0;
        for (Map<String, Map<String, Object>> m : dbs.values()) {
            n += m.size();
        }
        return n;
    }

    @Override
    public void onEntryStart(RdbEntry entry) {
        open.put(entry, new ValueCollector(entry, Long.MAX_VALUE));
    }

    @Override
    public void onValueBatch(RdbEntry entry, ValueBatch batch) {
        open.get(entry).add(batch);
    }

    @Override
    public void onEntryEnd(RdbEntry entry, EntrySummary summary) {
        ValueCollector v = open.remove(entry);
        Map<String, Map<String, Object>> db = dbs.computeIfAbsent(entry.db(), k -> new TreeMap<>());
        String key = JsonShapes.key(entry.key());
        if (entry.hasExpiry() && entry.expireAtMs() <= nowMs && !includeExpired) {
            db.remove(key);
            return;
        }
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("type", entry.type().logicalType().typeReply());
        Object value = v.value(true);
        switch (entry.type().logicalType()) {
            case BLOOM:
            case CUCKOO:
            case CMS:
            case TOPK:
                sketch(entry, v, k);
                break;
            case MODULE:
                k.put("module", value);
                break;
            default:
                k.put("value", value);
        }
        if (!v.elementExpiries().isEmpty()) {
            k.put(entry.type().logicalType() == io.df2redis.protocol.rdb.RdbType.LogicalType.HASH
                    ? "field_expire_at_s" : "member_expire_at_s", v.elementExpiries());
        }
        k.put("expire_at_ms", entry.hasExpiry() ? entry.expireAtMs() : null);
        if (entry.isSticky()) {
            k.put("sticky", true);
        }
        if (entry.hasMcFlags()) {
            k.put("mc_flags", entry.mcFlags());
        }
        db.put(key, k);
    }

    @SuppressWarnings("unchecked")
    private static void sketch(RdbEntry e, ValueCollector v, Map<String, Object> k) {
        Map<String, Object> s = v.special();
        Map<String, Object> info = new LinkedHashMap<>();
        if (s == null) {
            k.put("info", info);
            return;
        }
        switch (e.type().logicalType()) {
            case BLOOM:
                info.put("Capacity", s.get("max_capacity"));
                info.put("Number of filters", s.get("num_filters"));
                info.put("Number of items inserted", s.get("current_size"));
                info.put("Expansion rate", (long) (double) (Double) s.get("grow_factor"));
                break;
            case CUCKOO:
                info.put("Number of buckets", s.get("num_buckets"));
                info.put("Number of filters", s.get("num_filters"));
                info.put("Number of items inserted", s.get("num_items"));
                info.put("Number of items deleted", s.get("num_deletes"));
                info.put("Bucket size", s.get("slots_per_bucket"));
                info.put("Expansion rate", s.get("expansion"));
                info.put("Max iterations", s.get("max_iterations"));
                break;
            case CMS:
                info.put("width", s.get("width"));
                info.put("depth", s.get("depth"));
                info.put("count", s.get("total_count"));
                break;
            default:
                info.put("k", s.get("k"));
                info.put("width", s.get("width"));
                info.put("depth", s.get("depth"));
                info.put("decay", String.valueOf(s.get("decay")));
                k.put("list", (List<Object>) s.get("heap"));
                break;
        }
        k.put("info", info);
    }
}
