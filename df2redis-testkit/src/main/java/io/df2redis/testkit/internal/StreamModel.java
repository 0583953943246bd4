package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.rdb.ValueBatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream being changed by a write command: its entries, metadata and consumer groups as
 * mutable maps, converted from and back to the immutable {@link RdbValue.StreamValue}. The
 * consumer-group bookkeeping (last delivered id, {@code entries-read} with its estimate after
 * trims and deletions, pending entries, consumers' seen/active times) follows Redis 7's
 * {@code t_stream.c}, which Dragonfly's stream family shares.
 */
final class StreamModel {
    /** {@code SCG_INVALID_ENTRIES_READ}. */
    static final long INVALID = -1;
    static final StreamId MAX = new StreamId(-1L, -1L);

    /** A pending entry: owner, last delivery time and count. */
    static final class Nack {
        String consumer;
        long deliveryTime;
        long deliveryCount;

        Nack(String consumer, long deliveryTime, long deliveryCount) {
            this.consumer = consumer;
            this.deliveryTime = deliveryTime;
            this.deliveryCount = deliveryCount;
        }
    }

    /** A consumer: when it was last seen (any interaction) and last active (got or claimed entries). */
    static final class Consumer {
        final byte[] name;
        long seenTime;
        long activeTime;

        Consumer(byte[] name, long seenTime, long activeTime) {
            this.name = name;
            this.seenTime = seenTime;
            this.activeTime = activeTime;
        }
    }

    /** A consumer group. */
    static final class Group {
        final byte[] name;
        StreamId lastId;
        long entriesRead;
        final TreeMap<StreamId, Nack> pel = new TreeMap<>();
        final Map<String, Consumer> consumers = new LinkedHashMap<>();

        Group(byte[] name, StreamId lastId, long entriesRead) {
            this.name = name;
            this.lastId = lastId;
            this.entriesRead = entriesRead;
        }

        Consumer consumer(byte[] name, long now, boolean[] created) {
            String k = name(name);
            Consumer c = consumers.get(k);
            if (c == null) {
                c = new Consumer(name, now, -1);
                consumers.put(k, c);
                if (created != null) {
                    created[0] = true;
                }
            }
            return c;
        }
    }

    final TreeMap<StreamId, List<byte[]>> entries = new TreeMap<>();
    StreamId lastId = StreamId.ZERO;
    StreamId maxDeletedId = StreamId.ZERO;
    long entriesAdded;
    final Map<String, Group> groups = new LinkedHashMap<>();

    /** A map key for a group or consumer name (byte-exact). */
    static String name(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static StreamModel of(RdbValue.StreamValue v) {
        StreamModel m = new StreamModel();
        if (v == null) {
            return m;
        }
        for (RdbValue.StreamItem e : v.entries()) {
            if (!e.deleted()) {
                m.entries.put(e.id(), e.fieldsAndValues());
            }
        }
        m.lastId = v.lastId();
        m.maxDeletedId = v.maxDeletedId();
        m.entriesAdded = v.entriesAdded();
        for (RdbValue.StreamGroup g : v.groups()) {
            Group group = new Group(g.name(), g.lastDeliveredId(), g.entriesRead());
            Map<StreamId, String> owner = new LinkedHashMap<>();
            for (RdbValue.StreamConsumer c : g.consumers()) {
                group.consumers.put(name(c.name()), new Consumer(c.name(), c.seenTimeMs(), c.activeTimeMs()));
                for (StreamId id : c.pending()) {
                    owner.put(id, name(c.name()));
                }
            }
            for (ValueBatch.PendingEntry p : g.pending()) {
                group.pel.put(p.id(), new Nack(owner.get(p.id()), p.deliveryTimeMs(), p.deliveryCount()));
            }
            m.groups.put(name(g.name()), group);
        }
        return m;
    }

    RdbValue.StreamValue value() {
        List<RdbValue.StreamItem> items = new ArrayList<>(entries.size());
        for (Map.Entry<StreamId, List<byte[]>> e : entries.entrySet()) {
            items.add(new RdbValue.StreamItem(e.getKey(), e.getValue(), false));
        }
        List<RdbValue.StreamGroup> gs = new ArrayList<>();
        for (Group g : groups.values()) {
            List<ValueBatch.PendingEntry> pel = new ArrayList<>();
            Map<String, List<StreamId>> owned = new LinkedHashMap<>();
            for (String c : g.consumers.keySet()) {
                owned.put(c, new ArrayList<>());
            }
            for (Map.Entry<StreamId, Nack> p : g.pel.entrySet()) {
                pel.add(new ValueBatch.PendingEntry(p.getKey(), p.getValue().deliveryTime, p.getValue().deliveryCount));
                owned.computeIfAbsent(p.getValue().consumer, z -> new ArrayList<>()).add(p.getKey());
            }
            List<RdbValue.StreamConsumer> cs = new ArrayList<>();
            for (Consumer c : g.consumers.values()) {
                cs.add(new RdbValue.StreamConsumer(c.name, c.seenTime, c.activeTime, owned.get(name(c.name))));
            }
            gs.add(new RdbValue.StreamGroup(g.name, g.lastId, g.entriesRead, pel, cs));
        }
        StreamId first = entries.isEmpty() ? StreamId.ZERO : entries.firstKey();
        return new RdbValue.StreamValue(items, entries.size(), lastId, first, maxDeletedId, entriesAdded, gs);
    }

    StreamId firstId() {
        return entries.isEmpty() ? StreamId.ZERO : entries.firstKey();
    }

    Group group(byte[] name) {
        return groups.get(name(name));
    }

    /** {@code streamRangeHasTombstones}: whether a deleted entry may lie in [start, +inf). */
    boolean tombstonesFrom(StreamId start) {
        if (entries.isEmpty() || maxDeletedId.equals(StreamId.ZERO)) {
            return false;
        }
        return start.compareTo(maxDeletedId) <= 0;
    }

    /** {@code streamEstimateDistanceFromFirstEverEntry}: the entries-read counter of {@code id}, or INVALID. */
    long estimate(StreamId id) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (entries.isEmpty() && id.compareTo(lastId) < 1) {
            return entriesAdded;
        }
        int cmpLast = id.compareTo(lastId);
        if (cmpLast == 0) {
            return entriesAdded;
        } else if (cmpLast > 0) {
            return INVALID;
        }
        StreamId first = firstId();
        int cmpFirst = id.compareTo(first);
        if (maxDeletedId.equals(StreamId.ZERO) || maxDeletedId.compareTo(first) < 0) {
            if (cmpFirst < 0) {
                return entriesAdded - entries.size();
            } else if (cmpFirst == 0) {
                return entriesAdded - entries.size() + 1;
            }
        }
        return INVALID;
    }

    /** Advances {@code g} past a delivered {@code id}, keeping its entries-read counter as Redis does. */
    void delivered(Group g, StreamId id) {
        if (id.compareTo(g.lastId) > 0) {
            if (g.entriesRead != INVALID && !tombstonesFrom(id)) {
                g.entriesRead++;
            } else if (entriesAdded != 0) {
                g.entriesRead = estimate(id);
            }
            g.lastId = id;
        }
    }

    /** Removes entries with ids below {@code minId}; with {@code approx} only whole 100-entry nodes. */
    long trimMinId(StreamId minId, boolean approx, long limit) {
        long n = entries.headMap(minId, false).size();
        return trimFirst(n, approx, limit);
    }

    /** Keeps at most {@code maxLen} entries; with {@code approx} only whole 100-entry nodes go. */
    long trimMaxLen(long maxLen, boolean approx, long limit) {
        return trimFirst(Math.max(0, entries.size() - maxLen), approx, limit);
    }

    private long trimFirst(long n, boolean approx, long limit) {
        if (approx) {
            n = n / 100 * 100;
            if (limit > 0) {
                n = Math.min(n, limit / 100 * 100);
            }
        }
        for (long i = 0; i < n; i++) {
            entries.pollFirstEntry();
        }
        return n;
    }
}
