package io.df2redis.tools.inspect;

import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.rdb.ValueBatch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reassembles one entry's value from its batches into the inspection JSON shapes. Stops
 * collecting (and reports {@link #omitted()}) once the value grows past a size cap, so
 * inspecting a huge key needs no more memory than the cap.
 */
final class ValueCollector {
    private final RdbEntry entry;
    private final long cap;
    private long size;
    private boolean omitted;

    private ByteArrayOutputStream string;
    private final List<byte[]> items = new ArrayList<>();
    private final List<byte[]> values = new ArrayList<>();
    private final List<Double> scores = new ArrayList<>();
    private final Map<String, Long> expiries = new LinkedHashMap<>();
    private byte[] json;
    private Map<String, Object> special;
    private final List<Map<String, Object>> filters = new ArrayList<>();
    private final List<Object> streamEntries = new ArrayList<>();
    private ValueBatch.StreamMetadata streamMeta;
    private final List<Map<String, Object>> groups = new ArrayList<>();
    private Map<String, Object> group;
    private Map<String, Object> consumer;
    private final Map<String, Map<String, Object>> consumersByName = new TreeMap<>();
    private final Map<StreamId, Long> pelTime = new LinkedHashMap<>();
    private final Map<StreamId, Long> pelCount = new LinkedHashMap<>();
    private final Map<StreamId, String> pelOwner = new TreeMap<>();
    long nonzeroCounters;
    long elements;

    ValueCollector(RdbEntry entry, long cap) {
        this.entry = entry;
        this.cap = cap;
    }

    boolean omitted() {
        return omitted;
    }

    private void grow(long n) {
        size += n;
        if (size > cap && !omitted) {
            omitted = true;
            string = null;
            items.clear();
            values.clear();
            scores.clear();
            streamEntries.clear();
        }
    }

    void add(ValueBatch b) {
        if (b instanceof ValueBatch.StringChunk c) {
            elements += c.bytes().length;
            grow(c.bytes().length);
            if (!omitted) {
                if (string == null) {
                    string = new ByteArrayOutputStream(c.bytes().length);
                }
                string.write(c.bytes(), 0, c.bytes().length);
            }
        } else if (b instanceof ValueBatch.ListElements l) {
            for (byte[] e : l.elements()) {
                elements++;
                grow(JsonShapes.approxLength(e));
                if (!omitted) {
                    items.add(e);
                }
            }
        } else if (b instanceof ValueBatch.SetMembers s) {
            for (int i = 0; i < s.members().size(); i++) {
                byte[] m = s.members().get(i);
                elements++;
                grow(JsonShapes.approxLength(m));
                if (s.expireAtSeconds() != null && s.expireAtSeconds()[i] >= 0) {
                    expiries.put(JsonShapes.key(m), s.expireAtSeconds()[i]);
                }
                if (!omitted) {
                    items.add(m);
                }
            }
        } else if (b instanceof ValueBatch.HashFields h) {
            for (int i = 0; i < h.fields().size(); i++) {
                byte[] f = h.fields().get(i);
                byte[] v = h.values().get(i);
                elements++;
                grow(JsonShapes.approxLength(f) + JsonShapes.approxLength(v));
                if (h.expireAtMillis() != null && h.expireAtMillis()[i] >= 0) {
                    expiries.put(JsonShapes.key(f), Math.floorDiv(h.expireAtMillis()[i], 1000));
                }
                if (!omitted) {
                    items.add(f);
                    values.add(v);
                }
            }
        } else if (b instanceof ValueBatch.ZSetMembers z) {
            for (int i = 0; i < z.members().size(); i++) {
                elements++;
                grow(JsonShapes.approxLength(z.members().get(i)) + 24);
                if (!omitted) {
                    items.add(z.members().get(i));
                    scores.add(z.scores()[i]);
                }
            }
        } else if (b instanceof ValueBatch.JsonDocument j) {
            elements += j.text().length;
            grow(j.text().length);
            json = j.text();
        } else if (b instanceof ValueBatch.StreamEntries s) {
            for (ValueBatch.StreamEntry e : s.entries()) {
                elements++;
                Map<String, Object> fields = new LinkedHashMap<>();
                long n = 30;
                for (int i = 0; i + 1 < e.fieldsAndValues().size(); i += 2) {
                    fields.put(JsonShapes.key(e.fieldsAndValues().get(i)),
                            JsonShapes.bytes(e.fieldsAndValues().get(i + 1)));
                    n += JsonShapes.approxLength(e.fieldsAndValues().get(i))
                            + JsonShapes.approxLength(e.fieldsAndValues().get(i + 1));
                }
                grow(n);
                if (!omitted) {
                    streamEntries.add(List.of(e.id().toString(), fields));
                }
            }
        } else if (b instanceof ValueBatch.StreamMetadata m) {
            streamMeta = m;
        } else if (b instanceof ValueBatch.StreamGroup g) {
            closeGroup();
            group = new LinkedHashMap<>();
            group.put("name", JsonShapes.key(g.name()));
            group.put("last-delivered-id", g.lastDeliveredId().toString());
            group.put("entries-read", g.entriesRead() < 0 ? null : g.entriesRead());
            grow(100);
        } else if (b instanceof ValueBatch.StreamPendingEntries p) {
            for (ValueBatch.PendingEntry e : p.entries()) {
                pelTime.put(e.id(), e.deliveryTimeMs());
                pelCount.put(e.id(), e.deliveryCount());
                grow(60);
            }
        } else if (b instanceof ValueBatch.StreamConsumer c) {
            consumer = new LinkedHashMap<>();
            consumer.put("name", JsonShapes.key(c.name()));
            consumer.put("seen-time", c.seenTimeMs());
            consumer.put("active-time", c.activeTimeMs());
            consumer.put("pending", new ArrayList<String>());
            consumersByName.put(JsonShapes.key(c.name()), consumer);
            grow(80);
        } else if (b instanceof ValueBatch.StreamConsumerPending p) {
            @SuppressWarnings("unchecked")
            List<String> pend = (List<String>) consumer.get("pending");
            for (StreamId id : p.ids()) {
                pend.add(id.toString());
                pelOwner.put(id, JsonShapes.key(p.consumer()));
                grow(30);
            }
        } else if (b instanceof ValueBatch.BloomHeader h) {
            special = new LinkedHashMap<>();
            special.put("options", h.options());
            special.put("grow_factor", h.growFactor());
            special.put("fp_prob", h.fpProbability());
            special.put("prev_size", h.prevSize());
            special.put("current_size", h.currentSize());
            special.put("max_capacity", h.maxCapacity());
            special.put("num_filters", h.filterCount());
        } else if (b instanceof ValueBatch.CuckooHeader h) {
            special = new LinkedHashMap<>();
            special.put("slots_per_bucket", h.slotsPerBucket());
            special.put("max_iterations", h.maxIterations());
            special.put("expansion", h.expansion());
            special.put("num_buckets", h.bucketCount());
            special.put("num_items", h.itemCount());
            special.put("num_deletes", h.deleteCount());
            special.put("num_filters", h.filterCount());
        } else if (b instanceof ValueBatch.FilterData f) {
            Map<String, Object> cur = filters.size() > f.filterIndex() ? filters.get(f.filterIndex()) : null;
            if (cur == null) {
                cur = new LinkedHashMap<>();
                if (f.hashCount() >= 0) {
                    cur.put("hash_count", f.hashCount());
                }
                cur.put("bytes", f.totalSize());
                if (entry.type() != RdbType.SBF) {
                    cur.put("chunks", 0L);
                }
                filters.add(cur);
            }
            if (cur.containsKey("chunks")) {
                // one piece per raw chunk (pieces are only cut further for chunks over stringChunkBytes)
                cur.put("chunks", (Long) cur.get("chunks") + 1);
            }
        } else if (b instanceof ValueBatch.CountMinSketch c) {
            special = new LinkedHashMap<>();
            special.put("width", c.width());
            special.put("depth", c.depth());
            special.put("total_count", c.totalCount());
            long nz = 0;
            for (long x : c.counters()) {
                if (x != 0) {
                    nz++;
                }
            }
            special.put("nonzero_counters", nz);
            elements = c.counters().length;
        } else if (b instanceof ValueBatch.TopK t) {
            special = new LinkedHashMap<>();
            special.put("options", t.options());
            special.put("k", t.k());
            special.put("width", t.width());
            special.put("depth", t.depth());
            special.put("decay", t.decay());
            List<Object> heap = new ArrayList<>();
            for (int i = 0; i < t.heapItems().size(); i++) {
                heap.add(List.of(JsonShapes.bytes(t.heapItems().get(i)), t.heapCounts()[i]));
            }
            special.put("heap", heap);
            special.put("counter_bytes", (long) t.counters().length);
            long nz = 0;
            byte[] cb = t.counters();
            for (int i = 0; i + 3 < cb.length; i += 4) {
                if ((cb[i] | cb[i + 1] | cb[i + 2] | cb[i + 3]) != 0) {
                    nz++;
                }
            }
            special.put("nonzero_counters", nz);
        } else if (b instanceof ValueBatch.ModuleValue m) {
            special = new LinkedHashMap<>();
            special.put("module", m.moduleName());
            special.put("encoding_version", m.encodingVersion());
            special.put("payload_bytes", m.payload().length);
        }
    }

    private void closeGroup() {
        if (group == null) {
            return;
        }
        List<Object> pending = new ArrayList<>();
        Map<String, Object> times = new LinkedHashMap<>();
        List<StreamId> ids = new ArrayList<>(pelTime.keySet());
        ids.sort(null);
        for (StreamId id : ids) {
            pending.add(List.of(id.toString(), pelOwner.getOrDefault(id, ""), pelCount.get(id)));
            times.put(id.toString(), pelTime.get(id));
        }
        group.put("pending", pending);
        group.put("pending-delivery-time-ms", times);
        group.put("consumers", new ArrayList<>(consumersByName.keySet()));
        group.put("consumer-info", new ArrayList<>(consumersByName.values()));
        groups.add(group);
        group = null;
        pelTime.clear();
        pelCount.clear();
        pelOwner.clear();
        consumersByName.clear();
    }

    /** Field/member expiries (absolute Unix seconds) for keys with per-element TTLs. */
    Map<String, Long> elementExpiries() {
        return expiries;
    }

    /** The value in the vectors' canonical form (§2 of the vectors README). */
    Object value(boolean sortSets) {
        if (omitted) {
            return null;
        }
        switch (entry.type().logicalType()) {
            case STRING:
                return JsonShapes.bytes(string == null ? new byte[0] : string.toByteArray());
            case LIST:
                return bytesList(items);
            case SET: {
                List<byte[]> m = new ArrayList<>(items);
                if (sortSets) {
                    m.sort(Arrays::compareUnsigned);
                }
                return bytesList(m);
            }
            case HASH: {
                Map<String, Object> h = new LinkedHashMap<>();
                for (int i = 0; i < items.size(); i++) {
                    h.put(JsonShapes.key(items.get(i)), JsonShapes.bytes(values.get(i)));
                }
                return h;
            }
            case ZSET: {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    order.add(i);
                }
                if (sortSets) {
                    order.sort((a, c) -> {
                        int x = Double.compare(scores.get(a), scores.get(c));
                        return x != 0 ? x : Arrays.compareUnsigned(items.get(a), items.get(c));
                    });
                }
                List<Object> z = new ArrayList<>();
                for (int i : order) {
                    z.add(List.of(JsonShapes.bytes(items.get(i)), JsonShapes.score(scores.get(i))));
                }
                return z;
            }
            case JSON:
                return json == null ? null : new RawJson(new String(json, StandardCharsets.UTF_8));
            case STREAM: {
                closeGroup();
                Map<String, Object> s = new LinkedHashMap<>();
                if (streamMeta != null) {
                    s.put("length", streamMeta.length());
                    s.put("last-generated-id", streamMeta.lastId().toString());
                    s.put("recorded-first-entry-id", streamMeta.firstId() == null ? null
                            : streamMeta.firstId().toString());
                    s.put("max-deleted-entry-id", streamMeta.maxDeletedId() == null ? null
                            : streamMeta.maxDeletedId().toString());
                    s.put("entries-added", streamMeta.entriesAdded() < 0 ? null : streamMeta.entriesAdded());
                }
                s.put("entries", new ArrayList<>(streamEntries));
                List<Map<String, Object>> g = new ArrayList<>(groups);
                g.sort((a, c) -> ((String) a.get("name")).compareTo((String) c.get("name")));
                s.put("groups", g);
                return s;
            }
            default: {
                if (special == null) {
                    return null;
                }
                Map<String, Object> v = new LinkedHashMap<>(special);
                if (!filters.isEmpty()) {
                    v.put("filters", filters);
                }
                return v;
            }
        }
    }

    /** The sketch/filter header fields, for the keyspace's {@code info}. */
    Map<String, Object> special() {
        return special;
    }

    List<Map<String, Object>> filters() {
        return filters;
    }

    private static List<Object> bytesList(List<byte[]> l) {
        List<Object> out = new ArrayList<>(l.size());
        for (byte[] b : l) {
            out.add(JsonShapes.bytes(b));
        }
        return out;
    }
}
