package io.df2redis.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.protocol.journal.JournalEncoder;
import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.journal.JournalOp;
import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbEncoderBuilder;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbRecords;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.StringEncoding;
import io.df2redis.protocol.rdb.ValueBatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The encoder against real Dragonfly bytes (shared/vectors): a capture is decoded, its content
 * re-encoded with {@link RdbEncoder} / {@link JournalEncoder}, and the bytes must be identical —
 * whole flows for the spec §10 example, and entry by entry for the all-types capture.
 */
class DragonflyGoldenBytesTest {

    static Path vectors() {
        return io.df2redis.protocol.vectors.Vectors.root();
    }

    /** Everything needed to re-encode a decoded flow. */
    static final class Capture implements RdbHandler {
        final List<Object[]> records = new ArrayList<>(); // in stream order
        final Map<RdbEntry, List<ValueBatch>> batches = new java.util.IdentityHashMap<>();
        final List<Object[]> entries = new ArrayList<>(); // {RdbEntry, EntrySummary, batches, tagged payload}
        final Map<Integer, java.io.ByteArrayOutputStream> chunkPayloads = new java.util.HashMap<>();
        final Map<Integer, byte[]> completedPayloads = new java.util.HashMap<>();
        byte[] flow;
        RdbDecoder decoder;

        @Override
        public void onTaggedChunkStart(int id, int length, boolean first) {
            if (first) {
                chunkPayloads.put(id, new java.io.ByteArrayOutputStream());
            }
            int at = (int) decoder.recordOffset() + 9; // uncompressed capture: offsets are absolute
            chunkPayloads.get(id).write(flow, at, length);
        }

        @Override
        public void onTaggedChunkEnd(int id, RdbEntry entry, boolean completesEntry) {
            if (completesEntry) {
                completedPayloads.put(id, chunkPayloads.remove(id).toByteArray());
            }
        }

        @Override
        public void onAux(byte[] key, byte[] value) {
            records.add(new Object[] {"aux", key, value});
        }

        @Override
        public void onSelectDb(int db) {
            records.add(new Object[] {"select", db});
        }

        @Override
        public void onEntryStart(RdbEntry entry) {
            batches.put(entry, new ArrayList<>());
        }

        @Override
        public void onValueBatch(RdbEntry entry, ValueBatch batch) {
            batches.get(entry).add(batch);
        }

        @Override
        public void onEntryEnd(RdbEntry entry, EntrySummary summary) {
            Object[] e = {entry, summary, batches.remove(entry),
                entry.taggedId() == 0 ? null : completedPayloads.remove(entry.taggedId())};
            entries.add(e);
            records.add(new Object[] {"entry", e});
        }

        @Override
        public void onFullSyncEnd() {
            records.add(new Object[] {"fullsyncend"});
        }

        @Override
        public void onJournalOffset(long nextLsn) {
            records.add(new Object[] {"journaloffset", nextLsn});
        }

        @Override
        public void onEof(long checksum) {
            records.add(new Object[] {"eof"});
        }

        @Override
        public void onEofToken(byte[] token) {
            records.add(new Object[] {"token", token});
        }

        @Override
        public void onJournalEntry(JournalEntry e) {
            records.add(new Object[] {"journal", e});
        }
    }

    static Capture decode(byte[] flow) {
        Capture c = new Capture();
        RdbDecoder d = RdbDecoder.forFlow(c);
        c.flow = flow;
        c.decoder = d;
        d.feed(Unpooled.wrappedBuffer(flow));
        d.finish();
        return c;
    }

    /** Rebuilds the value of a decoded entry (in wire order) for re-encoding. */
    static RdbValue value(RdbEntry e, List<ValueBatch> batches) {
        List<byte[]> a = new ArrayList<>();
        List<byte[]> b = new ArrayList<>();
        List<Long> exp = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        byte[] single = null;
        for (ValueBatch x : batches) {
            if (x instanceof ValueBatch.StringChunk s) {
                single = single == null ? s.bytes() : concat(single, s.bytes());
            } else if (x instanceof ValueBatch.JsonDocument j) {
                single = j.text();
            } else if (x instanceof ValueBatch.ListElements l) {
                a.addAll(l.elements());
            } else if (x instanceof ValueBatch.SetMembers s) {
                for (int i = 0; i < s.members().size(); i++) {
                    a.add(s.members().get(i));
                    exp.add(s.expireAtSeconds() == null ? -1 : s.expireAtSeconds()[i]);
                }
            } else if (x instanceof ValueBatch.HashFields h) {
                for (int i = 0; i < h.fields().size(); i++) {
                    a.add(h.fields().get(i));
                    b.add(h.values().get(i));
                    exp.add(h.expireAtMillis() == null ? -1 : h.expireAtMillis()[i]);
                }
            } else if (x instanceof ValueBatch.ZSetMembers z) {
                for (int i = 0; i < z.members().size(); i++) {
                    a.add(z.members().get(i));
                    scores.add(z.scores()[i]);
                }
            }
        }
        long[] e2 = exp.stream().mapToLong(Long::longValue).toArray();
        switch (e.type().logicalType()) {
            case STRING:
                return RdbValue.string(single == null ? new byte[0] : single);
            case JSON:
                return new RdbValue.JsonValue(single);
            case LIST:
                return RdbValue.list(a);
            case SET:
                return new RdbValue.SetValue(a, e2);
            case HASH:
                return new RdbValue.HashValue(a, b, e2);
            case ZSET:
                return RdbValue.zset(a, scores.stream().mapToDouble(Double::doubleValue).toArray());
            case BLOOM: {
                ValueBatch.BloomHeader h = (ValueBatch.BloomHeader) batches.get(0);
                TreeMap<Integer, byte[]> bits = new TreeMap<>();
                TreeMap<Integer, Long> hc = new TreeMap<>();
                for (ValueBatch x : batches) {
                    if (x instanceof ValueBatch.FilterData f) {
                        bits.merge(f.filterIndex(), f.bytes(), DragonflyGoldenBytesTest::concat);
                        hc.put(f.filterIndex(), f.hashCount());
                    }
                }
                List<RdbValue.BloomFilter> filters = new ArrayList<>();
                for (int i : bits.keySet()) {
                    filters.add(new RdbValue.BloomFilter(hc.get(i), bits.get(i)));
                }
                return new RdbValue.BloomValue(h.options(), h.growFactor(), h.fpProbability(), h.prevSize(),
                        h.currentSize(), h.maxCapacity(), filters);
            }
            case CUCKOO: {
                ValueBatch.CuckooHeader h = (ValueBatch.CuckooHeader) batches.get(0);
                TreeMap<Integer, byte[]> bits = new TreeMap<>();
                for (ValueBatch x : batches) {
                    if (x instanceof ValueBatch.FilterData f) {
                        bits.merge(f.filterIndex(), f.bytes(), DragonflyGoldenBytesTest::concat);
                    }
                }
                return new RdbValue.CuckooValue(h.slotsPerBucket(), h.maxIterations(), h.expansion(), h.bucketCount(),
                        h.itemCount(), h.deleteCount(), new ArrayList<>(bits.values()));
            }
            case CMS: {
                ValueBatch.CountMinSketch c = (ValueBatch.CountMinSketch) batches.get(0);
                return new RdbValue.CmsValue(c.width(), c.depth(), c.totalCount(), c.counters());
            }
            case TOPK: {
                ValueBatch.TopK t = (ValueBatch.TopK) batches.get(0);
                return new RdbValue.TopKValue(t.options(), t.k(), t.width(), t.depth(), t.decay(), t.heapItems(),
                        t.heapCounts(), t.counters());
            }
            default:
                return null;
        }
    }

    static byte[] concat(byte[] x, byte[] y) {
        byte[] o = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, o, x.length, y.length);
        return o;
    }

    static RdbKeyValue keyValue(RdbEntry e, RdbValue v) {
        return new RdbKeyValue(e.key(), e.type(), v, e.expireAtMs(), e.dfMask(), e.mcFlags());
    }

    /** Re-encodes a whole decoded flow (no compressed blobs or tagged chunks in it). */
    static byte[] reencode(Capture c, RdbEncoder enc) {
        ByteBuf out = Unpooled.buffer();
        enc.writeHeader(out);
        for (Object[] r : c.records) {
            switch ((String) r[0]) {
                case "aux":
                    enc.writeAux(out, (byte[]) r[1], (byte[]) r[2]);
                    break;
                case "select":
                    RdbRecords.writeSelectDb(out, (Integer) r[1]);
                    break;
                case "entry": {
                    Object[] e = (Object[]) r[1];
                    RdbEntry entry = (RdbEntry) e[0];
                    @SuppressWarnings("unchecked")
                    List<ValueBatch> bs = (List<ValueBatch>) e[2];
                    enc.writeEntry(out, keyValue(entry, value(entry, bs)));
                    break;
                }
                case "fullsyncend":
                    RdbRecords.writeFullSyncEnd(out);
                    break;
                case "journaloffset":
                    RdbRecords.writeJournalOffset(out, (Long) r[1]);
                    break;
                case "eof":
                    enc.writeEof(out);
                    break;
                case "token":
                    RdbRecords.writeEofToken(out, (byte[]) r[1]);
                    break;
                default: {
                    JournalEntry j = (JournalEntry) r[1];
                    if (j.op() == JournalOp.SELECT) {
                        JournalEncoder.writeSelect(out, j.db());
                    } else if (j.op() == JournalOp.LSN) {
                        JournalEncoder.writeLsn(out, j.lsn());
                    } else {
                        JournalEncoder.writeEntry(out, j.op(), j.txid(), j.shardCount(), j.args());
                    }
                }
            }
        }
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        return b;
    }

    @Test
    void specExampleFlowsAreReproducedByteForByte() throws IOException {
        for (String release : List.of("v1.40.1", "v1.30.3")) {
            Path dir = vectors().resolve("dragonfly").resolve(release).resolve("spec-example-1shard");
            byte[] flow = Files.readAllBytes(dir.resolve("flow-0.bin"));
            Capture c = decode(flow);
            byte[] again = reencode(c, RdbEncoder.dragonfly());
            assertThat(Bin.hex(again)).as(release).isEqualTo(Bin.hex(flow));
        }
    }

    @Test
    void journalCaptureIsReproducedByteForByte() throws IOException {
        // journal-2shards: the journal part after the eof token holds ~120 commands of every kind
        Path dir = vectors().resolve("dragonfly/v1.40.1/journal-2shards");
        for (String f : List.of("flow-0.bin", "flow-1.bin")) {
            byte[] flow = Files.readAllBytes(dir.resolve(f));
            Capture c = decode(flow);
            // re-encode what follows the eof token and compare with the tail of the capture
            Capture stable = new Capture();
            boolean after = false;
            for (Object[] r : c.records) {
                if (after) {
                    stable.records.add(r);
                }
                after |= r[0].equals("token");
            }
            assertThat(stable.records.size()).isGreaterThan(50);
            byte[] tail = reencode(stable, RdbEncoder.dragonfly());
            tail = Arrays.copyOfRange(tail, 9, tail.length); // drop the magic reencode() writes
            byte[] captured = Arrays.copyOfRange(flow, flow.length - tail.length, flow.length);
            assertThat(Bin.hex(tail)).as(f).isEqualTo(Bin.hex(captured));
            // and every JOURNAL_BLOB item before the token is a JournalEncoder.item
            assertThat(c.records.stream().filter(r -> r[0].equals("journal")).count())
                    .isGreaterThan(stable.records.size() / 2);
        }
    }

    /**
     * Every entry of the uncompressed all-types capture whose layout does not depend on
     * Dragonfly's in-memory node boundaries re-encodes to exactly the captured bytes.
     */
    @Test
    void allTypesEntriesAreReproducedByteForByte() throws IOException {
        Map<RdbType, int[]> v140 = allTypes("v1.40.1");
        assertThat(v140.keySet()).contains(RdbType.STRING, RdbType.SET, RdbType.HASH, RdbType.ZSET_2,
                RdbType.SET_INTSET, RdbType.HASH_LISTPACK, RdbType.ZSET_LISTPACK, RdbType.JSON,
                RdbType.HASH_WITH_EXPIRY, RdbType.SET_WITH_EXPIRY, RdbType.SBF2, RdbType.CMS, RdbType.TOPK,
                RdbType.CUCKOO, RdbType.LIST_QUICKLIST_2);
        Map<RdbType, int[]> v130 = allTypes("v1.30.3");
        assertThat(v130.keySet()).contains(RdbType.ZSET_ZIPLIST, RdbType.HASH_ZIPLIST, RdbType.SBF);
    }

    private static Map<RdbType, int[]> allTypes(String release) throws IOException {
        Path dir = vectors().resolve("dragonfly").resolve(release).resolve("all-types-1shard-nocompress");
        byte[] flow = Files.readAllBytes(dir.resolve("flow-0.bin"));
        Capture c = decode(flow);
        Map<RdbType, int[]> perType = new EnumMap<>(RdbType.class); // {compared, equal}
        List<String> mismatches = new ArrayList<>();
        for (Object[] e : c.entries) {
            RdbEntry entry = (RdbEntry) e[0];
            EntrySummary s = (EntrySummary) e[1];
            @SuppressWarnings("unchecked")
            List<ValueBatch> bs = (List<ValueBatch>) e[2];
            if (entry.type().logicalType() == RdbType.LogicalType.STREAM
                    || (entry.type() == RdbType.LIST_QUICKLIST_2 && (s.nodes() != 1 || s.lzfNodes() != 0))
                    || s.stringEncoding() == StringEncoding.LZF) {
                continue; // node boundaries / deleted stream entries are not in the decoded events
            }
            RdbEncoderBuilder b = RdbEncoder.builder();
            if (s.intsetWidth() != 0) {
                b.intsetMinWidth(s.intsetWidth());
            }
            if (entry.type() == RdbType.LIST_QUICKLIST_2) {
                b.listNodeMaxElements(Integer.MAX_VALUE).listNodeMaxBytes(Integer.MAX_VALUE);
                if (s.plainNodes() == 1) {
                    b.listPlainThreshold(1);
                }
            }
            byte[] enc = b.build().encodeEntry(keyValue(entry, value(entry, bs)));
            // a tagged entry: the concatenated payloads of its chunks
            byte[] captured = e[3] != null ? (byte[]) e[3] : Arrays.copyOfRange(flow, (int) entry.offset(),
                    (int) Math.min(flow.length, entry.offset() + enc.length));
            int[] counts = perType.computeIfAbsent(entry.type(), t -> new int[2]);
            counts[0]++;
            if (Arrays.equals(enc, captured)) {
                counts[1]++;
            } else {
                mismatches.add(entry.type() + " " + entry.keyAsString() + ": encoded " + Bin.text(enc, 400)
                        + " captured " + Bin.text(captured, 400));
            }
        }
        StringBuilder sb = new StringBuilder();
        perType.forEach((t, n) -> sb.append(t).append(' ').append(n[1]).append('/').append(n[0]).append("  "));
        System.out.println(release + " byte-identical entries per type: " + sb);
        assertThat(mismatches).as(release).isEmpty();
        return perType;
    }
}
