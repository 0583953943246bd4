package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.RdbKeyValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The master's keyspace: db → key → entry, in insertion order. Entries are immutable; every
 * change replaces the entry, so a shallow copy is a consistent point-in-time snapshot. Not
 * thread-safe: guarded by the master's lock.
 *
 * <p>Every key also gets an insertion sequence number when it is created (replacing its value
 * keeps it; deleting and re-creating it gives a new one). {@code SCAN} cursors are these
 * numbers ({@link #scan}): a key present for a whole scan keeps its number and is returned
 * exactly once, whatever else is written meanwhile.
 */
final class Dataset {
    private final TreeMap<Integer, LinkedHashMap<ByteKey, RdbKeyValue>> dbs = new TreeMap<>();
    private final Map<Integer, TreeMap<Long, ByteKey>> bySeq = new HashMap<>();
    private final Map<Integer, Map<ByteKey, Long>> seqOf = new HashMap<>();
    /** Keys with a TTL by deadline: what active expiry walks. */
    private final TreeSet<Expiry> expiries = new TreeSet<>();
    private long nextSeq = 1;

    /** A key's deadline in the expiry index. */
    record Expiry(long at, int db, ByteKey key) implements Comparable<Expiry> {
        @Override
        public int compareTo(Expiry o) {
            int c = Long.compare(at, o.at);
            if (c == 0) {
                c = Integer.compare(db, o.db);
            }
            return c != 0 ? c : key.compareTo(o.key);
        }
    }

    RdbKeyValue get(int db, ByteKey key) {
        Map<ByteKey, RdbKeyValue> m = dbs.get(db);
        return m == null ? null : m.get(key);
    }

    void put(int db, RdbKeyValue kv) {
        ByteKey k = new ByteKey(kv.key());
        RdbKeyValue old = dbs.computeIfAbsent(db, d -> new LinkedHashMap<>()).put(k, kv);
        if (old == null) {
            long seq = nextSeq++;
            seqOf.computeIfAbsent(db, d -> new HashMap<>()).put(k, seq);
            bySeq.computeIfAbsent(db, d -> new TreeMap<>()).put(seq, k);
        } else if (old.expireAtMs() >= 0) {
            expiries.remove(new Expiry(old.expireAtMs(), db, k));
        }
        if (kv.expireAtMs() >= 0) {
            expiries.add(new Expiry(kv.expireAtMs(), db, k));
        }
    }

    /** Up to {@code limit} keys whose deadline is at or before {@code nowMs}, earliest first. */
    List<Expiry> expired(long nowMs, int limit) {
        List<Expiry> out = new ArrayList<>();
        for (Expiry e : expiries) {
            if (e.at() > nowMs || out.size() >= limit) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    RdbKeyValue remove(int db, ByteKey key) {
        Map<ByteKey, RdbKeyValue> m = dbs.get(db);
        if (m == null) {
            return null;
        }
        RdbKeyValue old = m.remove(key);
        if (old != null) {
            Long seq = seqOf.get(db).remove(key);
            bySeq.get(db).remove(seq);
            if (old.expireAtMs() >= 0) {
                expiries.remove(new Expiry(old.expireAtMs(), db, key));
            }
        }
        if (m.isEmpty()) {
            clearDb(db);
        }
        return old;
    }

    void clearDb(int db) {
        expiries.removeIf(e -> e.db() == db);
        dbs.remove(db);
        seqOf.remove(db);
        bySeq.remove(db);
    }

    void clear() {
        expiries.clear();
        dbs.clear();
        seqOf.clear();
        bySeq.clear();
    }

    /**
     * Up to {@code count} keys of {@code db} whose sequence number is at least {@code fromSeq}, in
     * sequence order, with the number to continue from (0 when no key is left).
     */
    ScanPage scan(int db, long fromSeq, int count) {
        TreeMap<Long, ByteKey> m = bySeq.get(db);
        List<ByteKey> keys = new ArrayList<>(Math.min(count, 1024));
        if (m == null) {
            return new ScanPage(keys, 0);
        }
        long next = 0;
        for (Map.Entry<Long, ByteKey> e : m.tailMap(fromSeq, true).entrySet()) {
            if (keys.size() == count) {
                next = e.getKey();
                break;
            }
            keys.add(e.getValue());
        }
        return new ScanPage(keys, next);
    }

    /** One page of {@link #scan}: the keys and the cursor to continue from (0: done). */
    record ScanPage(List<ByteKey> keys, long next) {
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
