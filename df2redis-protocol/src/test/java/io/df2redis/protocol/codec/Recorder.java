package io.df2redis.protocol.codec;

import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.rdb.Compression;
import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.rdb.ValueBatch;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects an {@link RdbDecoder}'s callbacks twice over: as a list of rendered events (every
 * callback with its arguments in full, batch boundaries and offsets included, for comparing two
 * decodings of the same bytes) and, unless {@code lenient}, as a {@link Model} of the decoded
 * entries with values reassembled from their batches.
 */
final class Recorder implements RdbHandler {
    final List<String> events = new ArrayList<>();
    /** Completed entries by "db/key". */
    final Map<String, Model.Entry> entries = new LinkedHashMap<>();
    final List<JournalEntry> journal = new ArrayList<>();
    final List<String> aux = new ArrayList<>();
    /** AUX, RESIZEDB, SLOT_INFO, FUNCTION2 and MODULE_AUX records, rendered as {@link Streams} expects them. */
    final List<String> records = new ArrayList<>();
    /** "idle/freq" of entries that had an IDLE / FREQ prefix, by "db/keyhex". */
    final Map<String, String> prefixes = new LinkedHashMap<>();
    final List<Long> eofChecksums = new ArrayList<>();
    final List<Long> journalOffsets = new ArrayList<>();
    int fullSyncEnds;
    byte[] token;
    private final boolean lenient;
    private final boolean renderEvents;
    private final Map<RdbEntry, Acc> open = new IdentityHashMap<>();
    RdbDecoder decoder;

    Recorder() {
        this(false, true);
    }

    /**
     * @param lenient only render events (for corrupt input: no assertion, nothing that can throw)
     * @param renderEvents whether to keep the rendered event list
     */
    Recorder(boolean lenient, boolean renderEvents) {
        this.lenient = lenient;
        this.renderEvents = renderEvents;
    }

    private void ev(String s) {
        if (renderEvents) {
            events.add(decoder == null ? s : s + " @" + decoder.recordOffset());
        }
    }

    @Override
    public void onJournalEntry(JournalEntry e) {
        journal.add(e);
        if (renderEvents) {
            StringBuilder sb = new StringBuilder("journal ").append(e.op()).append(" off=").append(e.offset())
                    .append(" db=").append(e.db()).append(" tx=").append(e.txid()).append(" sh=")
                    .append(e.shardCount()).append(" lsn=").append(e.lsn()).append(" m=").append(e.lsnMatches());
            for (byte[] a : e.args()) {
                sb.append(' ').append(Bin.hex(a));
            }
            events.add(sb.toString());
        }
    }

    @Override
    public void onHeader(int rdbVersion) {
        ev("header " + rdbVersion);
    }

    @Override
    public void onAux(byte[] key, byte[] value) {
        aux.add(new String(key) + "=" + new String(value));
        records.add("aux " + Bin.hex(key) + "=" + Bin.hex(value));
        ev("aux " + Bin.hex(key) + "=" + Bin.hex(value));
    }

    @Override
    public void onSelectDb(int db) {
        ev("select " + db);
    }

    @Override
    public void onResizeDb(long dbSize, long expiresSize) {
        ev("resize " + dbSize + " " + expiresSize);
        records.add("resize " + dbSize + " " + expiresSize);
    }

    @Override
    public void onSlotInfo(long slot, long slotSize, long expiresSlotSize) {
        ev("slot " + slot + " " + slotSize + " " + expiresSlotSize);
        records.add("slot " + slot + " " + slotSize + " " + expiresSlotSize);
    }

    @Override
    public void onFunction(byte[] code) {
        ev("function " + Bin.hex(code));
        records.add("function " + Bin.hex(code));
    }

    @Override
    public void onModuleAux(long moduleId, String moduleName, int whenOpcode, long when) {
        ev("moduleaux " + moduleId + " " + moduleName + " " + whenOpcode + " " + when);
        records.add("moduleaux " + moduleId + " " + moduleName + " " + whenOpcode + " " + when);
    }

    @Override
    public void onEntryStart(RdbEntry entry) {
        ev("start " + entry + " key=" + Bin.hex(entry.key()) + " enc=" + entry.keyEncoding() + " idle="
                + entry.idleSeconds() + " freq=" + entry.lfuFrequency());
        if (!lenient) {
            open.put(entry, new Acc(entry));
            if (entry.idleSeconds() >= 0 || entry.lfuFrequency() >= 0) {
                prefixes.put(entry.db() + "/" + Bin.hex(entry.key()), entry.idleSeconds() + "/" + entry.lfuFrequency());
            }
        }
    }

    @Override
    public void onValueBatch(RdbEntry entry, ValueBatch batch) {
        if (renderEvents) {
            ev("batch " + entry.keyAsString() + " " + render(batch));
        }
        if (!lenient) {
            Acc a = open.get(entry);
            if (a == null) {
                throw new AssertionError("batch for an entry that is not open: " + entry);
            }
            a.add(batch);
        }
    }

    @Override
    public void onEntryEnd(RdbEntry entry, EntrySummary summary) {
        ev("end " + entry.keyAsString() + " " + summary);
        if (!lenient) {
            Acc a = open.remove(entry);
            if (a == null) {
                throw new AssertionError("end of an entry that is not open: " + entry);
            }
            Model.Entry m = a.finish();
            String k = entry.db() + "/" + Bin.hex(entry.key());
            if (entries.put(k, m) != null) {
                throw new AssertionError("entry decoded twice: " + m);
            }
        }
    }

    @Override
    public void onFullSyncEnd() {
        fullSyncEnds++;
        ev("fullsyncend");
    }

    @Override
    public void onJournalOffset(long nextLsn) {
        journalOffsets.add(nextLsn);
        ev("journaloffset " + nextLsn);
    }

    @Override
    public void onCompressedBlobStart(Compression compression, int compressedLength, int uncompressedLength) {
        ev("blob " + compression + " " + compressedLength + " " + uncompressedLength);
    }

    @Override
    public void onCompressedBlobEnd(Compression compression) {
        ev("blobend " + compression);
    }

    @Override
    public void onJournalBlobStart(long count) {
        ev("jblob " + count);
    }

    @Override
    public void onJournalBlobEnd() {
        ev("jblobend");
    }

    @Override
    public void onTaggedChunkStart(int id, int length, boolean first) {
        ev("chunk " + id + " " + length + " " + first);
    }

    @Override
    public void onTaggedChunkEnd(int id, RdbEntry entry, boolean completesEntry) {
        ev("chunkend " + id + " " + (entry == null ? "-" : entry.keyAsString()) + " " + completesEntry);
    }

    @Override
    public void onEof(long checksum) {
        eofChecksums.add(checksum);
        ev("eof " + Long.toHexString(checksum));
    }

    @Override
    public void onEofToken(byte[] t) {
        token = t;
        ev("token " + Bin.hex(t));
    }

    @Override
    public void onIndexRecord(int opcode) {
        ev("index " + opcode);
    }

    /** Entries still open (tagged entries waiting for chunks). */
    int openEntries() {
        return open.size();
    }

    // ------------------------------------------------------------------ rendering

    static String render(ValueBatch b) {
        StringBuilder sb = new StringBuilder(b.getClass().getSimpleName()).append('(');
        if (b instanceof ValueBatch.StringChunk c) {
            sb.append(c.position()).append('/').append(c.totalLength()).append(' ').append(Bin.hex(c.bytes()));
        } else if (b instanceof ValueBatch.ListElements l) {
            hexes(sb, l.elements());
        } else if (b instanceof ValueBatch.SetMembers s) {
            hexes(sb, s.members());
            sb.append(" exp=").append(s.expireAtSeconds() == null ? "null" : java.util.Arrays.toString(s.expireAtSeconds()));
        } else if (b instanceof ValueBatch.HashFields h) {
            hexes(sb, h.fields());
            hexes(sb, h.values());
            sb.append(" exp=").append(h.expireAtMillis() == null ? "null" : java.util.Arrays.toString(h.expireAtMillis()));
        } else if (b instanceof ValueBatch.ZSetMembers z) {
            hexes(sb, z.members());
            for (double d : z.scores()) {
                sb.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(d)));
            }
        } else if (b instanceof ValueBatch.StreamEntries s) {
            for (ValueBatch.StreamEntry e : s.entries()) {
                sb.append(e.id()).append(':');
                hexes(sb, e.fieldsAndValues());
            }
        } else if (b instanceof ValueBatch.StreamGroup g) {
            sb.append(Bin.hex(g.name())).append(' ').append(g.lastDeliveredId()).append(' ').append(g.entriesRead())
                    .append(' ').append(g.pendingCount()).append(' ').append(g.consumerCount());
        } else if (b instanceof ValueBatch.StreamPendingEntries p) {
            sb.append(Bin.hex(p.group())).append(' ').append(p.entries());
        } else if (b instanceof ValueBatch.StreamConsumer c) {
            sb.append(Bin.hex(c.group())).append(' ').append(Bin.hex(c.name())).append(' ').append(c.seenTimeMs())
                    .append(' ').append(c.activeTimeMs()).append(' ').append(c.pendingCount());
        } else if (b instanceof ValueBatch.StreamConsumerPending p) {
            sb.append(Bin.hex(p.group())).append(' ').append(Bin.hex(p.consumer())).append(' ').append(p.ids());
        } else if (b instanceof ValueBatch.JsonDocument j) {
            sb.append(Bin.hex(j.text()));
        } else if (b instanceof ValueBatch.FilterData f) {
            sb.append(f.filterIndex()).append(' ').append(f.hashCount()).append(' ').append(f.totalSize())
                    .append(' ').append(f.position()).append(' ').append(Bin.hex(f.bytes()));
        } else if (b instanceof ValueBatch.CountMinSketch c) {
            sb.append(c.width()).append(' ').append(c.depth()).append(' ').append(c.totalCount()).append(' ')
                    .append(java.util.Arrays.toString(c.counters()));
        } else if (b instanceof ValueBatch.TopK t) {
            sb.append(t.options()).append(' ').append(t.k()).append(' ').append(t.width()).append(' ')
                    .append(t.depth()).append(' ').append(t.decay()).append(' ');
            hexes(sb, t.heapItems());
            sb.append(java.util.Arrays.toString(t.heapCounts())).append(' ').append(Bin.hex(t.counters()));
        } else if (b instanceof ValueBatch.ModuleValue m) {
            sb.append(m.moduleId()).append(' ').append(m.moduleName()).append(' ').append(m.encodingVersion())
                    .append(' ').append(Bin.hex(m.payload()));
        } else {
            sb.append(b); // records without arrays: BloomHeader, CuckooHeader, StreamMetadata
        }
        return sb.append(')').toString();
    }

    private static void hexes(StringBuilder sb, List<byte[]> l) {
        sb.append('[');
        for (byte[] x : l) {
            sb.append(Bin.hex(x)).append(',');
        }
        sb.append(']');
    }

    // ------------------------------------------------------------------ reassembly

    /** Reassembles one entry's value from its batches. */
    private static final class Acc {
        final RdbEntry entry;
        final ByteArrayOutputStream string = new ByteArrayOutputStream();
        long stringTotal = -1;
        final List<Object> elements = new ArrayList<>();
        // streams
        final List<Object> streamEntries = new ArrayList<>();
        List<Object> streamMeta;
        final List<List<Object>> groups = new ArrayList<>();
        List<Object> pel;
        List<Object> consumers;
        List<StreamId> consumerPending;
        // filters
        List<Object> filterHeader;
        final TreeMap<Integer, ByteArrayOutputStream> filterBytes = new TreeMap<>();
        final Map<Integer, Long> filterHashCounts = new TreeMap<>();
        Object single;

        Acc(RdbEntry entry) {
            this.entry = entry;
        }

        void add(ValueBatch b) {
            if (b instanceof ValueBatch.StringChunk c) {
                if (c.position() != string.size()) {
                    throw new AssertionError("string chunk at " + c.position() + ", expected " + string.size());
                }
                stringTotal = c.totalLength();
                string.writeBytes(c.bytes());
            } else if (b instanceof ValueBatch.ListElements l) {
                for (byte[] e : l.elements()) {
                    elements.add(Bin.of(e));
                }
            } else if (b instanceof ValueBatch.SetMembers s) {
                for (int i = 0; i < s.members().size(); i++) {
                    long e = s.expireAtSeconds() == null ? -1 : s.expireAtSeconds()[i];
                    elements.add(List.of(Bin.of(s.members().get(i)), e));
                }
            } else if (b instanceof ValueBatch.HashFields h) {
                for (int i = 0; i < h.fields().size(); i++) {
                    long e = h.expireAtMillis() == null ? -1 : h.expireAtMillis()[i];
                    elements.add(List.of(Bin.of(h.fields().get(i)), Bin.of(h.values().get(i)), e));
                }
            } else if (b instanceof ValueBatch.ZSetMembers z) {
                for (int i = 0; i < z.members().size(); i++) {
                    elements.add(List.of(Bin.of(z.members().get(i)), z.scores()[i]));
                }
            } else if (b instanceof ValueBatch.StreamEntries s) {
                for (ValueBatch.StreamEntry e : s.entries()) {
                    streamEntries.add(List.of(e.id(), Model.bins(e.fieldsAndValues())));
                }
            } else if (b instanceof ValueBatch.StreamMetadata m) {
                streamMeta = new ArrayList<>(List.of(m.length(), m.lastId()));
                streamMeta.add(m.firstId() == null ? "none" : m.firstId());
                streamMeta.add(m.maxDeletedId() == null ? "none" : m.maxDeletedId());
                streamMeta.add(m.entriesAdded());
                streamMeta.add(m.groupCount());
            } else if (b instanceof ValueBatch.StreamGroup g) {
                pel = new ArrayList<>();
                consumers = new ArrayList<>();
                groups.add(List.of(Bin.of(g.name()), g.lastDeliveredId(), g.entriesRead(), pel, consumers));
            } else if (b instanceof ValueBatch.StreamPendingEntries p) {
                for (ValueBatch.PendingEntry e : p.entries()) {
                    pel.add(List.of(e.id(), e.deliveryTimeMs(), e.deliveryCount()));
                }
            } else if (b instanceof ValueBatch.StreamConsumer c) {
                consumerPending = new ArrayList<>();
                consumers.add(List.of(Bin.of(c.name()), c.seenTimeMs(), c.activeTimeMs(), consumerPending));
            } else if (b instanceof ValueBatch.StreamConsumerPending p) {
                consumerPending.addAll(p.ids());
            } else if (b instanceof ValueBatch.JsonDocument j) {
                single = Bin.of(j.text());
            } else if (b instanceof ValueBatch.BloomHeader h) {
                filterHeader = List.of(h.options(), h.growFactor(), h.fpProbability(), h.prevSize(), h.currentSize(),
                        h.maxCapacity(), h.filterCount());
            } else if (b instanceof ValueBatch.CuckooHeader h) {
                filterHeader = List.of(h.slotsPerBucket(), h.maxIterations(), h.expansion(), h.bucketCount(),
                        h.itemCount(), h.deleteCount(), h.filterCount());
            } else if (b instanceof ValueBatch.FilterData f) {
                ByteArrayOutputStream o = filterBytes.computeIfAbsent(f.filterIndex(), i -> new ByteArrayOutputStream());
                if (f.position() != o.size()) {
                    throw new AssertionError("filter bytes at " + f.position() + ", expected " + o.size());
                }
                o.writeBytes(f.bytes());
                filterHashCounts.put(f.filterIndex(), f.hashCount());
            } else if (b instanceof ValueBatch.CountMinSketch c) {
                single = List.of(c.width(), c.depth(), c.totalCount(), Model.longs(c.counters()));
            } else if (b instanceof ValueBatch.TopK t) {
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < t.heapItems().size(); i++) {
                    items.add(List.of(Bin.of(t.heapItems().get(i)), t.heapCounts()[i]));
                }
                single = List.of(t.options(), t.k(), t.width(), t.depth(), t.decay(), items, Bin.of(t.counters()));
            } else if (b instanceof ValueBatch.ModuleValue m) {
                single = List.of(m.moduleId(), Bin.of(m.payload()));
            } else {
                throw new AssertionError("unexpected batch " + b);
            }
        }

        @SuppressWarnings("unchecked")
        Model.Entry finish() {
            Object value;
            switch (entry.type().logicalType()) {
                case STRING:
                    if (stringTotal >= 0 && stringTotal != string.size()) {
                        throw new AssertionError("string of " + stringTotal + " bytes ended at " + string.size());
                    }
                    value = Bin.of(string.toByteArray());
                    break;
                case LIST:
                case ZSET:
                case HASH:
                    value = elements;
                    break;
                case SET: {
                    List<List<Object>> l = new ArrayList<>();
                    for (Object o : elements) {
                        l.add((List<Object>) o);
                    }
                    value = Model.sortedSet(l);
                    break;
                }
                case STREAM:
                    value = List.of(streamEntries, streamMeta == null ? "no metadata" : streamMeta, groups);
                    break;
                case BLOOM: {
                    List<Object> filters = new ArrayList<>();
                    for (Map.Entry<Integer, ByteArrayOutputStream> e : filterBytes.entrySet()) {
                        filters.add(List.of(filterHashCounts.get(e.getKey()), Bin.of(e.getValue().toByteArray())));
                    }
                    value = List.of(filterHeader == null ? "no header" : filterHeader, filters);
                    break;
                }
                case CUCKOO: {
                    List<Object> filters = new ArrayList<>();
                    for (ByteArrayOutputStream o : filterBytes.values()) {
                        filters.add(Bin.of(o.toByteArray()));
                    }
                    value = List.of(filterHeader == null ? "no header" : filterHeader, filters);
                    break;
                }
                default:
                    value = single;
                    break;
            }
            return new Model.Entry(entry.db(), Bin.of(entry.key()), entry.type(), entry.expireAtMs(),
                    entry.dfMask(), entry.mcFlags(), value);
        }
    }
}
