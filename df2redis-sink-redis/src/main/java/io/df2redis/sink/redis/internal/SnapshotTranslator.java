package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.rdb.ValueBatch;
import io.df2redis.sink.redis.KeyConflictPolicy;
import io.df2redis.sink.redis.UnsupportedData;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.df2redis.sink.redis.internal.CommandSender.b;
import static io.df2redis.sink.redis.internal.CommandSender.with;

/**
 * Translates snapshot entries (entry start, value batches, entry end) into native Redis commands:
 * strings {@code SET} (+ {@code APPEND} for chunks, {@code SET … PXAT} for a whole string with a
 * TTL), lists {@code RPUSH}, sets {@code SADD}, hashes {@code HSET} (+ {@code HPEXPIREAT} for field
 * TTLs on 7.4), sorted sets {@code ZADD}, streams {@code XADD}/{@code XSETID}/{@code XGROUP}/
 * {@code XCLAIM}, JSON {@code JSON.SET}; the key's TTL at entry end with {@code PEXPIREAT}. A key
 * that may exist already (upsert, a merged db, a journal {@code RESTORE} written natively) is
 * deleted at entry start, unless the {@link KeyConflictPolicy} keeps the target's key or stops at it:
 * then the entry is written only where its key is free ({@link ConflictWrites}).
 *
 * <p>Thread ownership: confined to the thread applying the flow's current event (the owning
 * {@link FlowWriter}'s lock); {@code open} and {@code restoring} are its state.
 */
final class SnapshotTranslator {
    private static final byte[] TMP_GROUP = b("__df2redis_tmp__");

    private final CommandSender out;
    private final TargetInfo target;
    private final ConflictWrites conflicts;
    /** Set while a journal RESTORE is being written natively: that key may exist, so it is deleted first. */
    private boolean restoring;
    /**
     * Entries between start and end: by identity (the decoder hands the same entry to every callback);
     * the first one open in {@code current} (almost always the only one), any other in {@code open}.
     */
    private final Map<RdbEntry, EntryState> open = new java.util.IdentityHashMap<>();
    private RdbEntry current;
    private EntryState currentState;
    /** The state object of every {@code current} entry, reset at its start (entries are mostly one at a time). */
    private final EntryState currentSlot = new EntryState();

    SnapshotTranslator(CommandSender out, TargetInfo target) {
        this.out = out;
        this.target = target;
        this.conflicts = new ConflictWrites(out);
    }

    /** Marks the entries that follow as a journal {@code RESTORE} written natively (their key may exist). */
    void restoring(boolean on) {
        restoring = on;
    }

    void entryStart(RdbEntry entry) {
        EntryState st;
        if (current == null) {
            st = currentSlot.reset(); // free again: the last current entry ended
            current = entry;
            currentState = st;
        } else {
            st = new EntryState();
            open.put(entry, st);
        }
        if (entry.isSticky() || entry.hasMcFlags()) {
            out.host().dfMaskIgnored();
        }
        RdbType.LogicalType lt = entry.type().logicalType();
        byte[] key = entry.key();
        st.checked = !restoring && out.host().keyConflictPolicy() != KeyConflictPolicy.OVERWRITE;
        if (lt == RdbType.LogicalType.STRING) {
            return; // the first chunk's SET replaces the key and its TTL (or, checked, decides how to write)
        }
        if (st.checked) {
            st.writeKey = ConflictWrites.stagingKey(key); // moved onto the key at entry end, if it is free
        } else if (restoring || !out.host().snapshotIntoEmpty() || out.dbs().merged(entry.db())) {
            // upsert: the entry replaces whatever the key held (in a merged db, another source db's
            // key of the same name may already be there)
            out.cmd(entry.db(), key, b("DEL"), key);
        }
        if (lt == RdbType.LogicalType.JSON) {
            if (!target.json()) {
                st.skip = true;
                out.unsupported(key, entry.db(), lt.typeReply(), UnsupportedData.REASON_NO_JSON_MODULE);
            }
        } else if (lt != RdbType.LogicalType.LIST && lt != RdbType.LogicalType.SET && lt != RdbType.LogicalType.ZSET
                && lt != RdbType.LogicalType.HASH && lt != RdbType.LogicalType.STREAM) {
            st.skip = true;
            out.unsupported(key, entry.db(), lt.typeReply(), UnsupportedData.REASON_UNSUPPORTED_TYPE);
        }
    }

    /** The open entry's state; an equal entry (same db and key) if not the same instance. */
    private EntryState lookup(RdbEntry entry, boolean remove) {
        if (entry == current || current != null && current.db() == entry.db()
                && java.util.Arrays.equals(current.key(), entry.key()) && !open.containsKey(entry)) {
            EntryState st = currentState;
            if (remove) {
                current = null;
                currentState = null;
            }
            return st;
        }
        EntryState st = remove ? open.remove(entry) : open.get(entry);
        if (st != null) {
            return st;
        }
        for (Map.Entry<RdbEntry, EntryState> e : open.entrySet()) {
            if (e.getKey().db() == entry.db() && java.util.Arrays.equals(e.getKey().key(), entry.key())) {
                if (remove) {
                    open.remove(e.getKey());
                }
                return e.getValue();
            }
        }
        return null;
    }

    private EntryState state(RdbEntry entry) {
        EntryState st = lookup(entry, false);
        if (st == null) {
            throw new IllegalStateException("value batch for key '" + entry.keyAsString() + "' without entry start");
        }
        return st;
    }

    void entryBatch(RdbEntry entry, ValueBatch batch) {
        EntryState st = state(entry);
        if (st.skip) {
            return;
        }
        int d = entry.db();
        // a string without a TTL never reads the clock (one read per key was a tenth of the applier's samples)
        long now = batch instanceof ValueBatch.StringChunk && !entry.hasExpiry() ? Long.MIN_VALUE
                : System.currentTimeMillis();
        if (st.checked && batch instanceof ValueBatch.StringChunk c && c.isWhole()) {
            st.expirySet = true;
            if (!entry.hasExpiry() || entry.expireAtMs() > now) { // an expired one has nothing to write
                conflicts.setIfAbsent(d, entry.key(), c.bytes(), entry.hasExpiry() ? entry.expireAtMs() : -1, "string");
            }
            return;
        }
        if (st.checked && st.writeKey == null) {
            st.writeKey = ConflictWrites.stagingKey(entry.key()); // a string in chunks
        }
        byte[] key = st.writeKey != null ? st.writeKey : entry.key();
        translate(st, entry, batch, d, key, now);
        if (st.writeKey != null) {
            conflicts.touchStaging(d, st.writeKey);
        }
    }

    private void translate(EntryState st, RdbEntry entry, ValueBatch batch, int d, byte[] key, long now) {
        if (batch instanceof ValueBatch.StringChunk c) {
            if (c.isWhole() && entry.hasExpiry()) {
                // one command instead of SET + PEXPIREAT (measured: docs/architecture.md)
                st.expirySet = true;
                if (entry.expireAtMs() <= now) {
                    out.cmd(d, key, b("DEL"), key);
                } else {
                    out.cmd(d, key, b("SET"), key, c.bytes(), b("PXAT"), b(Long.toString(entry.expireAtMs())));
                }
            } else if (c.isWhole()) {
                out.setWhole(d, key, c.bytes()); // batched into an MSET on a standalone target
            } else {
                out.cmd(d, key, c.position() == 0 ? b("SET") : b("APPEND"), key, c.bytes());
            }

        } else if (batch instanceof ValueBatch.ListElements l) {
            out.send(d, key, with(List.of(b("RPUSH"), key), l.elements()));

        } else if (batch instanceof ValueBatch.SetMembers s) {
                List<byte[]> a = new ArrayList<>(s.members().size() + 2);
                a.add(b("SADD"));
                a.add(key);
                boolean ttl = false;
                for (int i = 0; i < s.members().size(); i++) {
                    long exp = s.expireAtSeconds() == null ? -1 : s.expireAtSeconds()[i];
                    if (exp >= 0) {
                        if (exp * 1000 <= now) {
                            continue; // already expired
                        }
                        ttl = true;
                    }
                    a.add(s.members().get(i));
                }
                if (a.size() > 2) {
                    out.send(d, key, a);
                }
                if (ttl && !st.ttlReported) {
                    st.ttlReported = true;
                    out.unsupported(key, d, "set", UnsupportedData.REASON_MEMBER_TTL);
                }
            
        } else if (batch instanceof ValueBatch.HashFields h) {
            hashFields(st, d, key, h, now);

        } else if (batch instanceof ValueBatch.ZSetMembers z) {
                List<byte[]> a = new ArrayList<>(z.members().size() * 2 + 2);
                a.add(b("ZADD"));
                a.add(key);
                for (int i = 0; i < z.members().size(); i++) {
                    a.add(b(score(z.scores()[i])));
                    a.add(z.members().get(i));
                }
                out.send(d, key, a);
            
        } else if (batch instanceof ValueBatch.StreamEntries s) {
                for (ValueBatch.StreamEntry e : s.entries()) {
                    out.send(d, key, with(List.of(b("XADD"), key, b(e.id().toString())), e.fieldsAndValues()));
                    st.streamCreated = true;
                }
            
        } else if (batch instanceof ValueBatch.StreamMetadata m) {
                if (!st.streamCreated) {
                    out.cmd(d, key, b("XGROUP"), b("CREATE"), key, TMP_GROUP, b("0"), b("MKSTREAM"));
                    out.cmd(d, key, b("XGROUP"), b("DESTROY"), key, TMP_GROUP);
                    st.streamCreated = true;
                }
                List<byte[]> a = new ArrayList<>(List.of(b("XSETID"), key, b(m.lastId().toString())));
                if (m.entriesAdded() >= 0) {
                    a.add(b("ENTRIESADDED"));
                    a.add(b(Long.toString(m.entriesAdded())));
                }
                if (m.maxDeletedId() != null) {
                    a.add(b("MAXDELETEDID"));
                    a.add(b(m.maxDeletedId().toString()));
                }
                out.send(d, key, a);
            
        } else if (batch instanceof ValueBatch.StreamGroup g) {
                List<byte[]> a = new ArrayList<>(List.of(b("XGROUP"), b("CREATE"), key, g.name(),
                        b(g.lastDeliveredId().toString())));
                if (g.entriesRead() >= 0) {
                    a.add(b("ENTRIESREAD"));
                    a.add(b(Long.toString(g.entriesRead())));
                }
                out.send(d, key, a);
            
        } else if (batch instanceof ValueBatch.StreamPendingEntries p) {
                Map<StreamId, ValueBatch.PendingEntry> pel = st.pel().computeIfAbsent(ByteBuffer.wrap(p.group()),
                        g -> new HashMap<>());
                for (ValueBatch.PendingEntry e : p.entries()) {
                    pel.put(e.id(), e);
                }
            
        } else if (batch instanceof ValueBatch.StreamConsumer c) {
            out.cmd(d, key, b("XGROUP"), b("CREATECONSUMER"), key, c.group(), c.name());

        } else if (batch instanceof ValueBatch.StreamConsumerPending cp) {
                Map<StreamId, ValueBatch.PendingEntry> pel = st.pel().getOrDefault(ByteBuffer.wrap(cp.group()), Map.of());
                for (StreamId id : cp.ids()) {
                    ValueBatch.PendingEntry pe = pel.get(id);
                    long time = pe == null ? now : pe.deliveryTimeMs();
                    long count = pe == null ? 1 : pe.deliveryCount();
                    out.cmd(d, key, b("XCLAIM"), key, cp.group(), cp.consumer(), b("0"), b(id.toString()), b("TIME"),
                            b(Long.toString(time)), b("RETRYCOUNT"), b(Long.toString(count)), b("FORCE"), b("JUSTID"));
                }
            
        } else if (batch instanceof ValueBatch.JsonDocument j) {
            out.cmd(d, key, b("JSON.SET"), key, b("$"), j.text());
        }
        // Bloom/Cuckoo/CMS/TopK/module batches: their entries are skipped at entry start
    }

    private void hashFields(EntryState st, int d, byte[] key, ValueBatch.HashFields h, long now) {
        List<byte[]> a = new ArrayList<>(h.fields().size() * 2 + 2);
        a.add(b("HSET"));
        a.add(key);
        List<Integer> withTtl = new ArrayList<>();
        for (int i = 0; i < h.fields().size(); i++) {
            long exp = h.expireAtMillis() == null ? -1 : h.expireAtMillis()[i];
            if (exp >= 0) {
                if (exp <= now) {
                    continue;
                }
                withTtl.add(i);
            }
            a.add(h.fields().get(i));
            a.add(h.values().get(i));
        }
        if (a.size() > 2) {
            out.send(d, key, a);
        }
        if (withTtl.isEmpty()) {
            return;
        }
        if (target.hashFieldTtl()) {
            for (int i : withTtl) {
                out.cmd(d, key, b("HPEXPIREAT"), key, b(Long.toString(h.expireAtMillis()[i])), b("FIELDS"), b("1"),
                        h.fields().get(i));
            }
        } else if (!st.ttlReported) {
            st.ttlReported = true;
            out.unsupported(key, d, "hash", UnsupportedData.REASON_FIELD_TTL);
        }
    }

    void entryEnd(RdbEntry entry) {
        EntryState st = lookup(entry, true);
        if (st == null || st.skip) {
            return;
        }
        if (st.writeKey != null) {
            if (entry.hasExpiry() && entry.expireAtMs() <= System.currentTimeMillis()) {
                conflicts.drop(entry.db(), st.writeKey);
            } else {
                conflicts.move(entry.db(), st.writeKey, entry.key(), entry.hasExpiry() ? entry.expireAtMs() : 0,
                        entry.type().logicalType().typeReply());
            }
            return;
        }
        if (st.expirySet || !entry.hasExpiry()) {
            return;
        }
        expireAt(entry.db(), entry.key(), entry.expireAtMs());
    }

    private void expireAt(int d, byte[] key, long ms) {
        if (ms <= System.currentTimeMillis()) {
            out.cmd(d, key, b("DEL"), key);
        } else {
            out.cmd(d, key, b("PEXPIREAT"), key, b(Long.toString(ms)));
        }
    }

    /** A score as Redis reads it back exactly: shortest round-trip text, {@code inf}/{@code -inf}. */
    static String score(double d) {
        if (d == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        if (d == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        if (d == 0 && Double.doubleToRawLongBits(d) != 0) {
            return "-0";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    private static final class EntryState {
        boolean skip;
        boolean ttlReported;
        boolean streamCreated;
        boolean expirySet;
        /** Under a checked {@link KeyConflictPolicy}: the written entry goes to the key only if it is free. */
        boolean checked;
        /** The staging key the entry is written into (checked, not a whole string), or null: the key itself. */
        byte[] writeKey;
        /** Streams: the pending entries of each group, until the consumers claim them (made on first use). */
        private Map<ByteBuffer, Map<StreamId, ValueBatch.PendingEntry>> pel;

        EntryState reset() {
            skip = false;
            ttlReported = false;
            streamCreated = false;
            expirySet = false;
            checked = false;
            writeKey = null;
            pel = null;
            return this;
        }

        Map<ByteBuffer, Map<StreamId, ValueBatch.PendingEntry>> pel() {
            if (pel == null) {
                pel = new HashMap<>();
            }
            return pel;
        }
    }
}
