package io.df2redis.sink.redis.verify;

import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.rdb.ValueBatch;

/**
 * The digest of one snapshot key under construction in a {@link SyncRecorder}: its value batches
 * hashed in canonical form ({@link ValueHash}); values that cannot be compared (JSON, module
 * types, members or fields with their own TTL) get a note instead. Used by the thread of the
 * key's flow only.
 */
final class PendingDigest {
    private final RdbEntry entry;
    private final ValueHash value = new ValueHash();
    private String note = "";

    PendingDigest(RdbEntry entry) {
        this.entry = entry;
        RdbType.LogicalType t = entry.type().logicalType();
        switch (t) {
            case STRING, LIST, SET, ZSET, HASH, STREAM -> {
            }
            case JSON -> note = "JSON: value not recorded (formatting differs between servers)";
            default -> note = t.typeReply() + ": value not recorded (module type)";
        }
    }

    void accept(ValueBatch b) {
        if (b instanceof ValueBatch.StringChunk c) {
            value.stringBytes(c.bytes(), 0, c.bytes().length);
        } else if (b instanceof ValueBatch.ListElements l) {
            l.elements().forEach(value::listElement);
        } else if (b instanceof ValueBatch.SetMembers s) {
            if (s.expireAtSeconds() != null && anyAtLeastZero(s.expireAtSeconds())) {
                note = "set members with their own TTL: value not recorded";
            }
            s.members().forEach(value::setMember);
        } else if (b instanceof ValueBatch.HashFields h) {
            if (h.expireAtMillis() != null && anyAtLeastZero(h.expireAtMillis())) {
                note = "hash fields with their own TTL: value not recorded";
            }
            for (int i = 0; i < h.fields().size(); i++) {
                value.hashField(h.fields().get(i), h.values().get(i));
            }
        } else if (b instanceof ValueBatch.ZSetMembers z) {
            for (int i = 0; i < z.members().size(); i++) {
                value.zsetMember(z.members().get(i), z.scores()[i]);
            }
        } else if (b instanceof ValueBatch.StreamEntries s) {
            for (ValueBatch.StreamEntry e : s.entries()) {
                value.streamEntry(e.id().ms(), e.id().seq(), e.fieldsAndValues());
            }
        } else if (b instanceof ValueBatch.StreamMetadata m) {
            StreamId last = m.lastId();
            value.streamLastId(last.ms(), last.seq());
        } else if (b instanceof ValueBatch.StreamGroup g) {
            value.streamGroup(g.name(), g.lastDeliveredId().ms(), g.lastDeliveredId().seq());
        } else if (b instanceof ValueBatch.StreamPendingEntries p) {
            for (ValueBatch.PendingEntry e : p.entries()) {
                value.pendingCount(p.group(), e.id().ms(), e.id().seq(), e.deliveryCount());
            }
        } else if (b instanceof ValueBatch.StreamConsumerPending p) {
            for (StreamId id : p.ids()) {
                value.pendingOwner(p.group(), p.consumer(), id.ms(), id.seq());
            }
        }
        // consumers without pending entries, JSON, module payloads: not part of the digest
    }

    KeyDigest finish() {
        boolean recordedValue = note.isEmpty();
        return new KeyDigest(entry.db(), entry.key(), entry.type().logicalType().typeReply(), recordedValue,
                note, recordedValue ? value.hash() : 0, recordedValue ? value.count() : 0, entry.expireAtMs());
    }

    private static boolean anyAtLeastZero(long[] a) {
        for (long x : a) {
            if (x >= 0) {
                return true;
            }
        }
        return false;
    }
}
