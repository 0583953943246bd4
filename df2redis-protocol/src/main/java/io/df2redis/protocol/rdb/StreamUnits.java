package io.df2redis.protocol.rdb;

import io.df2redis.protocol.internal.CompactWriter;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streams: the node count, one unit per [node id, listpack] pair (no split after the last
 * node: the metadata tail is written with it, as Dragonfly v1.39+ does).
 */
final class StreamUnits extends ValueUnits {
    private final RdbEncoder enc;
    private final int version;
    private final RdbValue.StreamValue s;
    private final IntList plan = new IntList();
    private int node = -1;
    private int entry;

    StreamUnits(RdbEncoder enc, RdbType type, RdbValue.StreamValue s) {
        this.enc = enc;
        this.version = type == RdbType.STREAM_LISTPACKS ? 1 : type == RdbType.STREAM_LISTPACKS_2 ? 2 : 3;
        this.s = s;
        int cur = 0;
        long bytes = 0;
        for (RdbValue.StreamItem e : s.entries()) {
            if (cur > 0 && (cur >= enc.streamNodeMaxEntries() || bytes >= enc.streamNodeMaxBytes())) {
                plan.add(cur);
                cur = 0;
                bytes = 0;
            }
            cur++;
            for (byte[] b : e.fieldsAndValues()) {
                bytes += b.length + 2;
            }
            bytes += 6;
        }
        if (cur > 0) {
            plan.add(cur);
        }
    }

    @Override
    boolean next(ByteBuf out) {
        if (node == plan.n) {
            return false;
        }
        if (node < 0) {
            RdbRecords.writeLength(out, plan.n);
        } else {
            writeNode(out, plan.a[node]);
        }
        node++;
        if (node == plan.n) {
            // the last node's unit carries the metadata tail: no split between them
            tail(out);
        }
        return true;
    }

    private void writeNode(ByteBuf out, int count) {
        List<RdbValue.StreamItem> items = s.entries().subList(entry, entry + count);
        entry += count;
        RdbValue.StreamItem master = items.get(0);
        List<byte[]> masterFields = new ArrayList<>();
        List<byte[]> mfv = master.fieldsAndValues();
        for (int i = 0; i < mfv.size(); i += 2) {
            masterFields.add(mfv.get(i));
        }
        long live = 0;
        for (RdbValue.StreamItem e : items) {
            if (!e.deleted()) {
                live++;
            }
        }
        CompactWriter.Listpack lp = new CompactWriter.Listpack();
        lp.addInt(live).addInt(count - live).addInt(masterFields.size());
        for (byte[] f : masterFields) {
            lp.add(f);
        }
        lp.addInt(0);
        for (RdbValue.StreamItem e : items) {
            List<byte[]> fv = e.fieldsAndValues();
            int nf = fv.size() / 2;
            boolean same = nf == masterFields.size();
            for (int i = 0; same && i < nf; i++) {
                same = Arrays.equals(fv.get(2 * i), masterFields.get(i));
            }
            int flags = (e.deleted() ? 1 : 0) | (same ? 2 : 0);
            lp.addInt(flags).addInt(e.id().ms() - master.id().ms()).addInt(e.id().seq() - master.id().seq());
            if (same) {
                for (int i = 0; i < nf; i++) {
                    lp.add(fv.get(2 * i + 1));
                }
                lp.addInt(nf + 3);
            } else {
                lp.addInt(nf);
                for (byte[] b : fv) {
                    lp.add(b);
                }
                lp.addInt(2L * nf + 4);
            }
        }
        byte[] key = new byte[16];
        putBe(key, 0, master.id().ms());
        putBe(key, 8, master.id().seq());
        enc.writeString(out, key);
        enc.writeString(out, lp.build());
    }

    private void tail(ByteBuf out) {
        RdbRecords.writeLengthUnsigned(out, s.length());
        RdbRecords.writeLengthUnsigned(out, s.lastId().ms());
        RdbRecords.writeLengthUnsigned(out, s.lastId().seq());
        if (version >= 2) {
            RdbRecords.writeLengthUnsigned(out, s.firstId().ms());
            RdbRecords.writeLengthUnsigned(out, s.firstId().seq());
            RdbRecords.writeLengthUnsigned(out, s.maxDeletedId().ms());
            RdbRecords.writeLengthUnsigned(out, s.maxDeletedId().seq());
            RdbRecords.writeLengthUnsigned(out, s.entriesAdded());
        }
        RdbRecords.writeLength(out, s.groups().size());
        for (RdbValue.StreamGroup g : s.groups()) {
            enc.writeString(out, g.name());
            RdbRecords.writeLengthUnsigned(out, g.lastDeliveredId().ms());
            RdbRecords.writeLengthUnsigned(out, g.lastDeliveredId().seq());
            if (version >= 2) {
                RdbRecords.writeLengthUnsigned(out, g.entriesRead());
            }
            RdbRecords.writeLength(out, g.pending().size());
            for (ValueBatch.PendingEntry p : g.pending()) {
                out.writeLong(p.id().ms());
                out.writeLong(p.id().seq());
                out.writeLongLE(p.deliveryTimeMs());
                RdbRecords.writeLengthUnsigned(out, p.deliveryCount());
            }
            RdbRecords.writeLength(out, g.consumers().size());
            for (RdbValue.StreamConsumer c : g.consumers()) {
                enc.writeString(out, c.name());
                out.writeLongLE(c.seenTimeMs());
                if (version >= 3) {
                    out.writeLongLE(c.activeTimeMs());
                }
                RdbRecords.writeLength(out, c.pending().size());
                for (StreamId id : c.pending()) {
                    out.writeLong(id.ms());
                    out.writeLong(id.seq());
                }
            }
        }
    }

    private static void putBe(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    /** {@link RdbValue.StreamValue#of}: the metadata (length, first/last/max-deleted ids) derived from the entries. */
    static RdbValue.StreamValue derive(List<RdbValue.StreamItem> entries, List<RdbValue.StreamGroup> groups) {
        long live = 0;
        StreamId last = StreamId.ZERO;
        StreamId first = null;
        StreamId maxDel = StreamId.ZERO;
        for (RdbValue.StreamItem e : entries) {
            if (e.id().compareTo(last) > 0) {
                last = e.id();
            }
            if (e.deleted()) {
                if (e.id().compareTo(maxDel) > 0) {
                    maxDel = e.id();
                }
            } else {
                live++;
                if (first == null) {
                    first = e.id();
                }
            }
        }
        return new RdbValue.StreamValue(entries, live, last, first == null ? StreamId.ZERO : first, maxDel,
                entries.size(), groups);
    }
}
