package io.df2redis.protocol.rdb;

import io.df2redis.protocol.internal.CompactWriter;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The content of a value to be written by {@link RdbEncoder}, independent of its wire encoding:
 * the {@link RdbType} chosen in {@link RdbKeyValue} decides how it is laid out (e.g. a
 * {@link HashValue} as HASH, HASH_LISTPACK, HASH_ZIPLIST, HASH_WITH_EXPIRY…). Element lists are
 * read sequentially and only while encoding, so a lazily generated {@link List} (e.g. an
 * {@code AbstractList} computing elements on demand) lets the encoder stream values far larger
 * than the heap. Byte arrays are not copied; do not modify them while encoding.
 *
 * <p><b>Why one class:</b> {@code RdbValue} is a sealed sum type: each variant is a small nested
 * record ({@link StringValue}, {@link ListValue}, {@link SetValue}, {@link ZSetValue},
 * {@link HashValue}, {@link StreamValue}, {@link JsonValue}, the filters, {@link ModuleValue}),
 * with the factories beside them (module ids and opcode streams are {@link ModuleIds}' and
 * {@link ModuleOpcodes}'). The nested names ({@code RdbValue.HashValue}…) are public API,
 * and the permitted variants are best read together; the variants hold data and validation
 * only, the encoding lives in {@link RdbEncoder}.
 */
public sealed interface RdbValue {

    /** The RDB types that can hold this value (by default only {@link #defaultType()}). */
    default Set<RdbType> types() {
        return EnumSet.of(defaultType());
    }

    /** The type Dragonfly v1.40 would write for this value (spec §4.7). */
    RdbType defaultType();

    /** Whether {@code type} can hold this value. */
    default boolean supports(RdbType type) {
        return types().contains(type);
    }

    /** A string value of {@code bytes}. */
    static StringValue string(byte[] bytes) {
        return new StringValue(bytes);
    }

    /** A string value of the UTF-8 bytes of {@code text}. */
    static StringValue string(String text) {
        return new StringValue(RdbValues.utf8(text));
    }

    /** A list of {@code elements}, in order. */
    static ListValue list(List<byte[]> elements) {
        return new ListValue(elements);
    }

    /** A list of the UTF-8 bytes of {@code elements}, in order. */
    static ListValue list(String... elements) {
        return new ListValue(RdbValues.utf8(elements));
    }

    /** A set of {@code members}, without expiries. */
    static SetValue set(List<byte[]> members) {
        return new SetValue(members, null);
    }

    /** A set of the UTF-8 bytes of {@code members}, without expiries. */
    static SetValue set(String... members) {
        return new SetValue(RdbValues.utf8(members), null);
    }

    /** A sorted set: {@code members} with their {@code scores}, in the order given. */
    static ZSetValue zset(List<byte[]> members, double[] scores) {
        return new ZSetValue(members, scores);
    }

    /** A hash of {@code fields} and their {@code values}, without expiries. */
    static HashValue hash(List<byte[]> fields, List<byte[]> values) {
        return new HashValue(fields, values, null);
    }

    /** A hash from alternating field and value strings. */
    static HashValue hash(String... fieldsAndValues) {
        return RdbValues.hash(fieldsAndValues);
    }

    /** A JSON value of the UTF-8 bytes of {@code text}. */
    static JsonValue json(String text) {
        return new JsonValue(RdbValues.utf8(text));
    }

    /** A string (type 0). */
    record StringValue(byte[] bytes) implements RdbValue {
        /** Checks the components (none null, the arrays matching the lists). */
        public StringValue {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public Set<RdbType> types() {
            return EnumSet.of(RdbType.STRING);
        }

        @Override
        public RdbType defaultType() {
            return RdbType.STRING;
        }
    }

    /** A list, head to tail (types 1, 10, 14, 18). */
    record ListValue(List<byte[]> elements) implements RdbValue {
        /** Checks the components (none null, the arrays matching the lists). */
        public ListValue {
            Objects.requireNonNull(elements, "elements");
        }

        @Override
        public Set<RdbType> types() {
            return EnumSet.of(RdbType.LIST, RdbType.LIST_ZIPLIST, RdbType.LIST_QUICKLIST, RdbType.LIST_QUICKLIST_2);
        }

        @Override
        public RdbType defaultType() {
            return RdbType.LIST_QUICKLIST_2;
        }
    }

    /**
     * A set (types 2, 11, 20, 32). {@code expireAtSeconds} is null, or per member its absolute
     * expiry in Unix seconds (-1 for none; others must be ≥ {@link RdbOpcodes#MEMBER_EXPIRY_BASE});
     * only SET_WITH_EXPIRY can carry expiries. SET_INTSET needs canonical decimal integers.
     */
    record SetValue(List<byte[]> members, long[] expireAtSeconds) implements RdbValue {
        /** Checks the components (none null, the arrays matching the lists). */
        public SetValue {
            Objects.requireNonNull(members, "members");
            if (expireAtSeconds != null && expireAtSeconds.length != members.size()) {
                throw new IllegalArgumentException("expireAtSeconds must have one entry per member");
            }
        }

        /** Whether any member has an expiry. */
        public boolean hasExpiry() {
            return RdbValues.anyExpiry(expireAtSeconds);
        }

        /** Whether every member is a canonical decimal 64-bit integer (intset-encodable). */
        public boolean allIntegers() {
            for (byte[] m : members) {
                if (CompactWriter.canonicalLong(m) == null) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean supports(RdbType type) {
            // cheaper than types(): scans the members only for SET_INTSET
            switch (type) {
                case SET_WITH_EXPIRY:
                    return true;
                case SET:
                case SET_LISTPACK:
                    return !hasExpiry();
                case SET_INTSET:
                    return !hasExpiry() && allIntegers();
                default:
                    return false;
            }
        }

        @Override
        public Set<RdbType> types() {
            if (hasExpiry()) {
                return EnumSet.of(RdbType.SET_WITH_EXPIRY);
            }
            EnumSet<RdbType> s = EnumSet.of(RdbType.SET, RdbType.SET_LISTPACK, RdbType.SET_WITH_EXPIRY);
            if (allIntegers()) {
                s.add(RdbType.SET_INTSET);
            }
            return s;
        }

        @Override
        public RdbType defaultType() {
            if (hasExpiry()) {
                return RdbType.SET_WITH_EXPIRY;
            }
            return members.size() <= 512 && allIntegers() ? RdbType.SET_INTSET : RdbType.SET;
        }
    }

    /** A sorted set: members with their scores, in the order given (types 3, 5, 12, 17). */
    record ZSetValue(List<byte[]> members, double[] scores) implements RdbValue {
        /** Checks the components (none null, the arrays matching the lists). */
        public ZSetValue {
            Objects.requireNonNull(members, "members");
            Objects.requireNonNull(scores, "scores");
            if (scores.length != members.size()) {
                throw new IllegalArgumentException("scores must have one entry per member");
            }
        }

        @Override
        public Set<RdbType> types() {
            return EnumSet.of(RdbType.ZSET, RdbType.ZSET_2, RdbType.ZSET_ZIPLIST, RdbType.ZSET_LISTPACK);
        }

        @Override
        public RdbType defaultType() {
            if (members.size() <= 128) {
                for (byte[] m : members) {
                    if (m.length > 64) {
                        return RdbType.ZSET_2;
                    }
                }
                return RdbType.ZSET_LISTPACK;
            }
            return RdbType.ZSET_2;
        }
    }

    /**
     * A hash: fields and values in the order given (types 4, 9, 13, 16, 22–25, 31).
     * {@code expireAtMillis} is null, or per field its absolute expiry in Unix milliseconds (-1
     * for none). HASH_WITH_EXPIRY stores whole seconds relative to
     * {@link RdbOpcodes#MEMBER_EXPIRY_BASE}, so its expiries must be multiples of 1000 at or
     * after that base; HASH_LISTPACK_EX / HASH_METADATA need expiries &gt; 0.
     */
    record HashValue(List<byte[]> fields, List<byte[]> values, long[] expireAtMillis) implements RdbValue {
        /** Checks the components (none null, the arrays matching the lists). */
        public HashValue {
            Objects.requireNonNull(fields, "fields");
            Objects.requireNonNull(values, "values");
            if (fields.size() != values.size()) {
                throw new IllegalArgumentException("fields and values differ in size");
            }
            if (expireAtMillis != null && expireAtMillis.length != fields.size()) {
                throw new IllegalArgumentException("expireAtMillis must have one entry per field");
            }
        }

        /** Whether any field has an expiry. */
        public boolean hasExpiry() {
            return RdbValues.anyExpiry(expireAtMillis);
        }

        @Override
        public Set<RdbType> types() {
            EnumSet<RdbType> s = EnumSet.of(RdbType.HASH_WITH_EXPIRY, RdbType.HASH_METADATA,
                    RdbType.HASH_LISTPACK_EX, RdbType.HASH_METADATA_PRE_GA, RdbType.HASH_LISTPACK_EX_PRE_GA);
            if (!hasExpiry()) {
                s.addAll(EnumSet.of(RdbType.HASH, RdbType.HASH_ZIPMAP, RdbType.HASH_ZIPLIST, RdbType.HASH_LISTPACK));
            }
            return s;
        }

        @Override
        public RdbType defaultType() {
            if (hasExpiry()) {
                return RdbType.HASH_WITH_EXPIRY;
            }
            if (fields.size() <= 128) {
                for (int i = 0; i < fields.size(); i++) {
                    if (fields.get(i).length > 64 || values.get(i).length > 64) {
                        return RdbType.HASH;
                    }
                }
                return RdbType.HASH_LISTPACK;
            }
            return RdbType.HASH;
        }
    }

    /** One stream entry; deleted entries stay in their node with the deleted flag. */
    record StreamItem(StreamId id, List<byte[]> fieldsAndValues, boolean deleted) {
        /** Checks the components (none null, the arrays matching the lists). */
        public StreamItem {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(fieldsAndValues, "fieldsAndValues");
            if (fieldsAndValues.size() % 2 != 0) {
                throw new IllegalArgumentException("odd number of field/value strings");
            }
        }

        /** A live entry with the UTF-8 bytes of alternating {@code fieldsAndValues}. */
        public static StreamItem of(StreamId id, String... fieldsAndValues) {
            return new StreamItem(id, RdbValues.utf8(fieldsAndValues), false);
        }
    }

    /** A consumer of a group: its times and the ids it has pending. */
    record StreamConsumer(byte[] name, long seenTimeMs, long activeTimeMs, List<StreamId> pending) {
        /** Checks the components (none null, the arrays matching the lists). */
        public StreamConsumer {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(pending, "pending");
        }
    }

    /**
     * A consumer group. {@code entriesRead} may be -1 (unknown); it and consumers' active times
     * are only written by the stream types that have them.
     */
    record StreamGroup(byte[] name, StreamId lastDeliveredId, long entriesRead,
                       List<ValueBatch.PendingEntry> pending, List<StreamConsumer> consumers) {
        /** Checks the components (none null, the arrays matching the lists). */
        public StreamGroup {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(lastDeliveredId, "lastDeliveredId");
            Objects.requireNonNull(pending, "pending");
            Objects.requireNonNull(consumers, "consumers");
        }
    }

    /**
     * A stream (types 15, 19, 21): entries in id order (live and deleted), then the metadata.
     * {@code firstId}, {@code maxDeletedId} and {@code entriesAdded} are written only by types
     * 19 and 21. {@link #of} derives the metadata from the entries.
     */
    record StreamValue(List<StreamItem> entries, long length, StreamId lastId, StreamId firstId,
                       StreamId maxDeletedId, long entriesAdded, List<StreamGroup> groups) implements RdbValue {
        /** Checks the components (none null, the arrays matching the lists). */
        public StreamValue {
            Objects.requireNonNull(entries, "entries");
            Objects.requireNonNull(lastId, "lastId");
            Objects.requireNonNull(firstId, "firstId");
            Objects.requireNonNull(maxDeletedId, "maxDeletedId");
            Objects.requireNonNull(groups, "groups");
        }

        /** A stream whose metadata follows from its entries: length = live entries, ids from them. */
        public static StreamValue of(List<StreamItem> entries, List<StreamGroup> groups) {
            return StreamUnits.derive(entries, groups);
        }

        @Override
        public Set<RdbType> types() {
            return EnumSet.of(RdbType.STREAM_LISTPACKS, RdbType.STREAM_LISTPACKS_2, RdbType.STREAM_LISTPACKS_3);
        }

        @Override
        public RdbType defaultType() {
            return RdbType.STREAM_LISTPACKS_3;
        }
    }

    /** A JSON document's text (type 30; type 20 in RDB versions below 10). */
    record JsonValue(byte[] text) implements RdbValue {
        /** Checks the components (none null, the arrays matching the lists). */
        public JsonValue {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public Set<RdbType> types() {
            return EnumSet.of(RdbType.JSON, RdbType.JSON_OLD);
        }

        @Override
        public RdbType defaultType() {
            return RdbType.JSON;
        }
    }

    /** One filter of a scalable Bloom filter. */
    record BloomFilter(long hashCount, byte[] bits) {
        /** Checks the components (none null, the arrays matching the lists). */
        public BloomFilter {
            Objects.requireNonNull(bits, "bits");
        }
    }

    /** A scalable Bloom filter (types 33 SBF, 34 SBF2). */
    record BloomValue(long options, double growFactor, double fpProbability, long prevSize, long currentSize,
                      long maxCapacity, List<BloomFilter> filters) implements RdbValue {
        /** Checks the components (none null, the arrays matching the lists). */
        public BloomValue {
            Objects.requireNonNull(filters, "filters");
        }

        @Override
        public Set<RdbType> types() {
            return EnumSet.of(RdbType.SBF, RdbType.SBF2);
        }

        @Override
        public RdbType defaultType() {
            return RdbType.SBF2;
        }
    }

    /** A Count-Min sketch (type 35): {@code width * depth} counters row by row. */
    record CmsValue(long width, long depth, long totalCount, long[] counters) implements RdbValue {
        /** Checks the components (none null, the arrays matching the lists). */
        public CmsValue {
            Objects.requireNonNull(counters, "counters");
            if (width * depth != counters.length) {
                throw new IllegalArgumentException("counters must hold width * depth values");
            }
        }

        @Override
        public RdbType defaultType() {
            return RdbType.CMS;
        }
    }

    /** A Top-K sketch (type 36): heap items with counts and the raw uint32 LE counter bytes. */
    record TopKValue(long options, long k, long width, long depth, double decay, List<byte[]> heapItems,
                     long[] heapCounts, byte[] counters) implements RdbValue {
        /** Checks the components (none null, the arrays matching the lists). */
        public TopKValue {
            Objects.requireNonNull(heapItems, "heapItems");
            Objects.requireNonNull(heapCounts, "heapCounts");
            Objects.requireNonNull(counters, "counters");
            if (heapCounts.length != heapItems.size()) {
                throw new IllegalArgumentException("heapCounts must have one entry per heap item");
            }
        }

        @Override
        public RdbType defaultType() {
            return RdbType.TOPK;
        }
    }

    /** A Cuckoo filter (type 37): its header fields and the bytes of each filter. */
    record CuckooValue(long slotsPerBucket, long maxIterations, long expansion, long bucketCount, long itemCount,
                       long deleteCount, List<byte[]> filters) implements RdbValue {
        /** Checks the components (none null, the arrays matching the lists). */
        public CuckooValue {
            Objects.requireNonNull(filters, "filters");
        }

        @Override
        public RdbType defaultType() {
            return RdbType.CUCKOO;
        }
    }

    /**
     * A module value (type 7): the 64-bit module id and the module's opcode stream (opcodes 1–5
     * with their operands, as Redis' module API writes them) without the trailing EOF opcode,
     * which the encoder appends. {@link #opcodes()} builds such a stream.
     */
    record ModuleValue(long moduleId, byte[] payload) implements RdbValue {
        /** Checks the components (none null, the arrays matching the lists). */
        public ModuleValue {
            Objects.requireNonNull(payload, "payload");
        }

        /** A builder of a module opcode stream. */
        public static ModuleOpcodes opcodes() {
            return new ModuleOpcodes();
        }

        @Override
        public RdbType defaultType() {
            return RdbType.MODULE_2;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ModuleValue m && m.moduleId == moduleId && Arrays.equals(m.payload, payload);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(moduleId) * 31 + Arrays.hashCode(payload);
        }
    }
}
