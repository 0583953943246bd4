package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.RdbKeyValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The master's keyspace: db → key → entry, in insertion order. Entries are immutable; every
 * change replaces the entry, so a shallow copy is a consistent point-in-time snapshot. Not
 * thread-safe: guarded by the master's lock.
 */
final class Dataset {
    private final TreeMap<Integer, LinkedHashMap<ByteKey, RdbKeyValue>> dbs = new TreeMap<>();

    RdbKeyValue get(int db, ByteKey key) {
        Map<ByteKey, RdbKeyValue> m = dbs.get(db);
        return m == null ? null : m.get(key);
    }

    void put(int db, RdbKeyValue kv) {
        dbs.computeIfAbsent(db, d -> new LinkedHashMap<>()).put(new ByteKey(kv.key()), kv);
    }

    RdbKeyValue remove(int db, ByteKey key) {
        Map<ByteKey, RdbKeyValue> m = dbs.get(db);
        if (m == null) {
            return null;
        }
        RdbKeyValue old = m.remove(key);
        if (m.isEmpty()) {
            dbs.remove(db);
        }
        return old;
    }

    void clearDb(int db) {
        dbs.remove(db);
    }

    void clear() {
        dbs.clear();
    }

    int size(int db) {
        Map<ByteKey, RdbKeyValue> m = dbs.get(db);
        return m == null ? 0 : m.size();
    }

    List<RdbKeyValue> entries(int db) {
        Map<ByteKey, RdbKeyValue> m = dbs.get(db);
        return m == null ? List.of() : new ArrayList<>(m.values());
    }

    List<Integer> dbs() {
        return new ArrayList<>(dbs.keySet());
    }

    long approxBytes() {
        long n = 0;
        for (Map<ByteKey, RdbKeyValue> m : dbs.values()) {
            n += 64L * m.size();
        }
        return n;
    }

    /** The entries of one shard, db by db, as a fresh ordered map (the snapshot of a flow). */
    LinkedHashMap<DbKey, RdbKeyValue> snapshot(Sharding sharding, int shard) {
        LinkedHashMap<DbKey, RdbKeyValue> out = new LinkedHashMap<>();
        for (Map.Entry<Integer, LinkedHashMap<ByteKey, RdbKeyValue>> db : dbs.entrySet()) {
            for (Map.Entry<ByteKey, RdbKeyValue> e : db.getValue().entrySet()) {
                if (sharding.shardOf(e.getKey().bytes()) == shard) {
                    out.put(new DbKey(db.getKey(), e.getKey()), e.getValue());
                }
            }
        }
        return out;
    }

    /** A key in a db. */
    record DbKey(int db, ByteKey key) {
    }
}
