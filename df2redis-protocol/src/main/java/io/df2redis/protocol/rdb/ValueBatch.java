package io.df2redis.protocol.rdb;

import java.util.Arrays;
import java.util.List;

/**
 * A piece of an entry's value. Containers arrive as several batches of elements (bounded in
 * count and bytes), big strings as several chunks; a consumer appends them in order. Element
 * bytes are never assumed to be UTF-8. Integers stored in compact encodings are delivered as
 * their decimal text, as Redis replies them.
 */
public sealed interface ValueBatch {

    /** Number of elements (members, fields, entries, bytes for strings) in this batch. */
    int size();

    /**
     * Part of a string value: {@code bytes} start at {@code position} of a string of
     * {@code totalLength} bytes. Short strings come as one whole part.
     */
    record StringChunk(byte[] bytes, long position, long totalLength) implements ValueBatch {
        /** Whether this part is the whole string. */
        public boolean isWhole() {
            return position == 0 && bytes.length == totalLength;
        }

        /** Whether this part ends the string. */
        public boolean isLast() {
            return position + bytes.length == totalLength;
        }

        @Override
        public int size() {
            return bytes.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StringChunk c && position == c.position && totalLength == c.totalLength
                    && Arrays.equals(bytes, c.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes) * 31 + Long.hashCode(position);
        }

        @Override
        public String toString() {
            return "StringChunk[" + bytes.length + " bytes at " + position + " of " + totalLength + "]";
        }
    }

    /** List elements, head to tail. */
    record ListElements(List<byte[]> elements) implements ValueBatch {
        @Override
        public int size() {
            return elements.size();
        }
    }

    /**
     * Set members. {@code expireAtSeconds} is null for plain sets; for Dragonfly's
     * SET_WITH_EXPIRY it holds each member's absolute expiry in Unix seconds, or -1 for none.
     */
    record SetMembers(List<byte[]> members, long[] expireAtSeconds) implements ValueBatch {
        @Override
        public int size() {
            return members.size();
        }
    }

    /**
     * Hash fields and their values. {@code expireAtMillis} is null when no field has a TTL,
     * otherwise each field's absolute expiry in Unix milliseconds, or -1 for none.
     */
    record HashFields(List<byte[]> fields, List<byte[]> values, long[] expireAtMillis) implements ValueBatch {
        @Override
        public int size() {
            return fields.size();
        }
    }

    /** Sorted-set members with their scores. */
    record ZSetMembers(List<byte[]> members, double[] scores) implements ValueBatch {
        @Override
        public int size() {
            return members.size();
        }
    }

    /** One live stream entry: its id and alternating field/value bytes. */
    record StreamEntry(StreamId id, List<byte[]> fieldsAndValues) {
    }

    /** Live stream entries in id order (deleted entries are skipped). */
    record StreamEntries(List<StreamEntry> entries) implements ValueBatch {
        @Override
        public int size() {
            return entries.size();
        }
    }

    /**
     * A stream's metadata, after its entries. {@code firstId}, {@code maxDeletedId} are null
     * and {@code entriesAdded} is -1 in the RDB v1 stream format.
     */
    record StreamMetadata(long length, StreamId lastId, StreamId firstId, StreamId maxDeletedId, long entriesAdded,
                          long groupCount) implements ValueBatch {
        @Override
        public int size() {
            return 1;
        }
    }

    /** A consumer group; its pending entries and consumers follow. {@code entriesRead} is -1 when unknown. */
    record StreamGroup(byte[] name, StreamId lastDeliveredId, long entriesRead, long pendingCount,
                       long consumerCount) implements ValueBatch {
        @Override
        public int size() {
            return 1;
        }
    }

    /** An entry of a group's pending entries list. */
    record PendingEntry(StreamId id, long deliveryTimeMs, long deliveryCount) {
    }

    /** A batch of the current group's pending entries list, in id order. */
    record StreamPendingEntries(byte[] group, List<PendingEntry> entries) implements ValueBatch {
        @Override
        public int size() {
            return entries.size();
        }
    }

    /**
     * A consumer of the current group. {@code activeTimeMs} is -1 when never active or unknown
     * (RDB formats before stream v3). The ids it has pending follow as
     * {@link StreamConsumerPending} batches.
     */
    record StreamConsumer(byte[] group, byte[] name, long seenTimeMs, long activeTimeMs, long pendingCount)
            implements ValueBatch {
        @Override
        public int size() {
            return 1;
        }
    }

    /** Ids pending for one consumer. */
    record StreamConsumerPending(byte[] group, byte[] consumer, List<StreamId> ids) implements ValueBatch {
        @Override
        public int size() {
            return ids.size();
        }
    }

    /** A JSON document's UTF-8 text (Dragonfly type 30). */
    record JsonDocument(byte[] text) implements ValueBatch {
        @Override
        public int size() {
            return 1;
        }
    }

    /** Header of a scalable Bloom filter (SBF, Dragonfly types 33/34); filter bytes follow. */
    record BloomHeader(long options, double growFactor, double fpProbability, long prevSize, long currentSize,
                       long maxCapacity, long filterCount) implements ValueBatch {
        @Override
        public int size() {
            return 1;
        }
    }

    /**
     * Bytes of one filter of a Bloom or Cuckoo filter: {@code bytes} start at {@code position}
     * of the filter's {@code totalSize} bytes. {@code hashCount} is -1 for Cuckoo filters.
     */
    record FilterData(int filterIndex, long hashCount, long totalSize, long position, byte[] bytes)
            implements ValueBatch {
        @Override
        public int size() {
            return bytes.length;
        }
    }

    /** Header of a Cuckoo filter (Dragonfly type 37); filter bytes follow as {@link FilterData}. */
    record CuckooHeader(long slotsPerBucket, long maxIterations, long expansion, long bucketCount, long itemCount,
                        long deleteCount, long filterCount) implements ValueBatch {
        @Override
        public int size() {
            return 1;
        }
    }

    /** A Count-Min sketch (Dragonfly type 35): {@code width * depth} counters, row by row. */
    record CountMinSketch(long width, long depth, long totalCount, long[] counters) implements ValueBatch {
        @Override
        public int size() {
            return counters.length;
        }
    }

    /** A Top-K sketch (Dragonfly type 36): heap items with counts, then the raw uint32 LE counters. */
    record TopK(long options, long k, long width, long depth, double decay, List<byte[]> heapItems, long[] heapCounts,
                byte[] counters) implements ValueBatch {
        @Override
        public int size() {
            return heapItems.size();
        }
    }

    /**
     * A module value (RDB type 7), kept opaque: the module's id, its 9-character name and
     * encoding version, and the raw payload bytes as they appear in the RDB stream.
     */
    record ModuleValue(long moduleId, String moduleName, int encodingVersion, byte[] payload) implements ValueBatch {
        @Override
        public int size() {
            return 1;
        }
    }
}
