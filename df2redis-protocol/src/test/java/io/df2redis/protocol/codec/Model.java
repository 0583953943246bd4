package io.df2redis.protocol.codec;

import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.rdb.ValueBatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * A comparable model of decoded entries: per entry db, key, type, expiry, DF_MASK, memcached
 * flags and the value as plain lists / {@link Bin}s / numbers. {@link #expected} derives the
 * model an encoded {@link RdbKeyValue} must decode to; {@link Recorder} builds it from the
 * decoder's events.
 */
final class Model {
    private Model() {
    }

    /** One entry of the model. */
    record Entry(int db, Bin key, RdbType type, long expireAtMs, int dfMask, long mcFlags, Object value) {
        @Override
        public String toString() {
            return "Entry[db=" + db + " key=" + key + " type=" + type + " exp=" + expireAtMs + " mask=" + dfMask
                    + " mc=" + mcFlags + " value=" + value + "]";
        }
    }

    static Entry expected(int db, RdbKeyValue kv) {
        return new Entry(db, Bin.of(kv.key()), kv.type(), kv.expireAtMs(), kv.dfMask(), kv.mcFlags(),
                expectedValue(kv.type(), kv.value()));
    }

    static Object expectedValue(RdbType type, RdbValue value) {
        switch (type.logicalType()) {
            case STRING:
                return Bin.of(((RdbValue.StringValue) value).bytes());
            case JSON:
                return Bin.of(((RdbValue.JsonValue) value).text());
            case LIST: {
                List<Bin> l = new ArrayList<>();
                for (byte[] e : ((RdbValue.ListValue) value).elements()) {
                    l.add(Bin.of(e));
                }
                return l;
            }
            case SET: {
                RdbValue.SetValue s = (RdbValue.SetValue) value;
                List<List<Object>> l = new ArrayList<>();
                int i = 0;
                for (byte[] m : s.members()) {
                    long e = type == RdbType.SET_WITH_EXPIRY && s.expireAtSeconds() != null
                            ? s.expireAtSeconds()[i] : -1;
                    l.add(List.of(Bin.of(m), e < 0 ? -1L : e));
                    i++;
                }
                return sortedSet(l);
            }
            case ZSET: {
                RdbValue.ZSetValue z = (RdbValue.ZSetValue) value;
                List<List<Object>> l = new ArrayList<>();
                int i = 0;
                for (byte[] m : z.members()) {
                    l.add(List.of(Bin.of(m), z.scores()[i++]));
                }
                return l;
            }
            case HASH: {
                RdbValue.HashValue h = (RdbValue.HashValue) value;
                boolean ttl = type == RdbType.HASH_WITH_EXPIRY || type == RdbType.HASH_METADATA
                        || type == RdbType.HASH_LISTPACK_EX || type == RdbType.HASH_METADATA_PRE_GA
                        || type == RdbType.HASH_LISTPACK_EX_PRE_GA;
                List<List<Object>> l = new ArrayList<>();
                Iterator<byte[]> vs = h.values().iterator();
                int i = 0;
                for (byte[] f : h.fields()) {
                    long e = ttl && h.expireAtMillis() != null ? h.expireAtMillis()[i] : -1;
                    l.add(List.of(Bin.of(f), Bin.of(vs.next()), e < 0 ? -1L : e));
                    i++;
                }
                return l;
            }
            case STREAM:
                return expectedStream(type, (RdbValue.StreamValue) value);
            case BLOOM: {
                RdbValue.BloomValue b = (RdbValue.BloomValue) value;
                List<Object> filters = new ArrayList<>();
                for (RdbValue.BloomFilter f : b.filters()) {
                    filters.add(List.of(f.hashCount(), Bin.of(f.bits())));
                }
                return List.of(List.of(b.options(), b.growFactor(), b.fpProbability(), b.prevSize(),
                        b.currentSize(), b.maxCapacity(), (long) b.filters().size()), filters);
            }
            case CMS: {
                RdbValue.CmsValue c = (RdbValue.CmsValue) value;
                return List.of(c.width(), c.depth(), c.totalCount(), longs(c.counters()));
            }
            case TOPK: {
                RdbValue.TopKValue t = (RdbValue.TopKValue) value;
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < t.heapItems().size(); i++) {
                    items.add(List.of(Bin.of(t.heapItems().get(i)), t.heapCounts()[i]));
                }
                return List.of(t.options(), t.k(), t.width(), t.depth(), t.decay(), items, Bin.of(t.counters()));
            }
            case CUCKOO: {
                RdbValue.CuckooValue c = (RdbValue.CuckooValue) value;
                List<Object> filters = new ArrayList<>();
                for (byte[] f : c.filters()) {
                    filters.add(Bin.of(f));
                }
                return List.of(List.of(c.slotsPerBucket(), c.maxIterations(), c.expansion(), c.bucketCount(),
                        c.itemCount(), c.deleteCount(), (long) c.filters().size()), filters);
            }
            case MODULE: {
                RdbValue.ModuleValue m = (RdbValue.ModuleValue) value;
                return List.of(m.moduleId(), Bin.of(m.payload()));
            }
            default:
                throw new IllegalArgumentException("no model for " + type);
        }
    }

    static List<Long> longs(long[] a) {
        List<Long> l = new ArrayList<>(a.length);
        for (long x : a) {
            l.add(x);
        }
        return l;
    }

    @SuppressWarnings("unchecked")
    static List<List<Object>> sortedSet(List<List<Object>> l) {
        l.sort(Comparator.comparing(x -> (Bin) x.get(0)));
        return l;
    }

    private static Object expectedStream(RdbType type, RdbValue.StreamValue s) {
        int version = type == RdbType.STREAM_LISTPACKS ? 1 : type == RdbType.STREAM_LISTPACKS_2 ? 2 : 3;
        List<Object> entries = new ArrayList<>();
        for (RdbValue.StreamItem e : s.entries()) {
            if (!e.deleted()) {
                entries.add(List.of(e.id(), bins(e.fieldsAndValues())));
            }
        }
        List<Object> meta = new ArrayList<>(List.of(s.length(), s.lastId()));
        meta.add(version >= 2 ? s.firstId() : "none");
        meta.add(version >= 2 ? s.maxDeletedId() : "none");
        meta.add(version >= 2 ? s.entriesAdded() : -1L);
        meta.add((long) s.groups().size());
        List<Object> groups = new ArrayList<>();
        for (RdbValue.StreamGroup g : s.groups()) {
            List<Object> pel = new ArrayList<>();
            for (ValueBatch.PendingEntry p : g.pending()) {
                pel.add(List.of(p.id(), p.deliveryTimeMs(), p.deliveryCount()));
            }
            List<Object> consumers = new ArrayList<>();
            for (RdbValue.StreamConsumer c : g.consumers()) {
                consumers.add(List.of(Bin.of(c.name()), c.seenTimeMs(), version >= 3 ? c.activeTimeMs() : -1L,
                        new ArrayList<StreamId>(c.pending())));
            }
            groups.add(List.of(Bin.of(g.name()), g.lastDeliveredId(), version >= 2 ? g.entriesRead() : -1L, pel,
                    consumers));
        }
        return List.of(entries, meta, groups);
    }

    static List<Bin> bins(List<byte[]> l) {
        List<Bin> out = new ArrayList<>(l.size());
        for (byte[] b : l) {
            out.add(Bin.of(b));
        }
        return out;
    }
}
