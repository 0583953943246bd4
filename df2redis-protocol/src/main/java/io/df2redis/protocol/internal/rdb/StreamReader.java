package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.internal.CompactReader;
import io.df2redis.protocol.internal.CorruptValueException;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.rdb.ValueBatch;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/** Streams: types 15 (v1), 19 (v2), 21 (v3). */
final class StreamReader extends ValueReader {
    private enum Phase { NODE_COUNT, NODES, META, GROUP, PEL, CONSUMER, CONSUMER_PEL, DONE }

    private final int version;
    private Phase phase = Phase.NODE_COUNT;
    private long nodesLeft;
    private List<ValueBatch.StreamEntry> pending = new ArrayList<>();
    private long pendingBytes;
    private long groupsLeft;
    private byte[] group;
    private long pelLeft;
    private long consumersLeft;
    private byte[] consumer;
    private long consumerPelLeft;
    private List<ValueBatch.PendingEntry> pel = new ArrayList<>();
    private List<StreamId> ids = new ArrayList<>();

    StreamReader(RdbType type, EntryState st, Io io) {
        super(st, io);
        this.version = type == RdbType.STREAM_LISTPACKS ? 1 : type == RdbType.STREAM_LISTPACKS_2 ? 2 : 3;
    }

    @Override
    boolean step(ByteBuf in) {
        switch (phase) {
            case NODE_COUNT:
                nodesLeft = io.length(in, "stream listpack count");
                state.nodes = nodesLeft;
                phase = nodesLeft == 0 ? Phase.META : Phase.NODES;
                return false;
            case NODES: {
                byte[] key = io.string(in);
                byte[] lp = io.string(in);
                if (key.length != 16) {
                    throw io.error("stream node key of " + key.length + " bytes, expected 16");
                }
                try {
                    node(key, lp);
                } catch (CorruptValueException e) {
                    throw io.error("corrupt stream node: " + e.getMessage());
                }
                if (--nodesLeft == 0) {
                    flushEntries();
                    phase = Phase.META;
                }
                return false;
            }
            case META: {
                long length = io.length(in, "stream length");
                StreamId last = new StreamId(io.length(in, "last id"), io.length(in, "last id"));
                StreamId first = null;
                StreamId maxDeleted = null;
                long added = -1;
                if (version >= 2) {
                    first = new StreamId(io.length(in, "first id"), io.length(in, "first id"));
                    maxDeleted = new StreamId(io.length(in, "max deleted id"), io.length(in, "max deleted id"));
                    added = io.length(in, "entries added");
                }
                long groups = io.length(in, "consumer group count");
                flushEntries();
                state.declaredCount = length;
                state.emit(new ValueBatch.StreamMetadata(length, last, first, maxDeleted, added, groups));
                groupsLeft = groups;
                phase = groups == 0 ? Phase.DONE : Phase.GROUP;
                return phase == Phase.DONE;
            }
            case GROUP: {
                byte[] name = io.string(in);
                StreamId last = new StreamId(io.length(in, "group last id"), io.length(in, "group last id"));
                long entriesRead = -1;
                if (version >= 2) {
                    entriesRead = io.u64(in, "group entries read");
                }
                long pelCount = io.length(in, "group PEL size");
                group = name;
                pelLeft = pelCount;
                // consumer count follows the PEL; announced as -1 here
                state.emit(new ValueBatch.StreamGroup(name, last, entriesRead, pelCount, -1));
                phase = pelLeft == 0 ? Phase.CONSUMER : Phase.PEL;
                consumersLeft = -1;
                return false;
            }
            case PEL: {
                long ms = Bytes.i64be(in);
                long seq = Bytes.i64be(in);
                long time = Bytes.i64le(in);
                long count = io.length(in, "delivery count");
                pel.add(new ValueBatch.PendingEntry(new StreamId(ms, seq), time, count));
                pelLeft--;
                if (pel.size() >= io.options.batchMaxElements() || pelLeft == 0) {
                    state.emit(new ValueBatch.StreamPendingEntries(group, pel));
                    pel = new ArrayList<>();
                }
                if (pelLeft == 0) {
                    phase = Phase.CONSUMER;
                }
                return false;
            }
            case CONSUMER: {
                if (consumersLeft < 0) {
                    consumersLeft = io.length(in, "consumer count");
                    return nextGroupOrDone();
                }
                byte[] name = io.string(in);
                long seen = Bytes.i64le(in);
                long active = -1;
                if (version >= 3) {
                    active = Bytes.i64le(in);
                }
                long n = io.length(in, "consumer PEL size");
                consumer = name;
                consumerPelLeft = n;
                state.emit(new ValueBatch.StreamConsumer(group, name, seen, active, n));
                if (n > 0) {
                    phase = Phase.CONSUMER_PEL;
                    return false;
                }
                consumersLeft--;
                return nextGroupOrDone();
            }
            case CONSUMER_PEL: {
                Bytes.need(in, 16);
                long ms = Bytes.i64be(in);
                long seq = Bytes.i64be(in);
                ids.add(new StreamId(ms, seq));
                consumerPelLeft--;
                if (ids.size() >= io.options.batchMaxElements() || consumerPelLeft == 0) {
                    state.emit(new ValueBatch.StreamConsumerPending(group, consumer, ids));
                    ids = new ArrayList<>();
                }
                if (consumerPelLeft == 0) {
                    consumersLeft--;
                    phase = Phase.CONSUMER;
                    return nextGroupOrDone();
                }
                return false;
            }
            default:
                return true;
        }
    }

    private boolean nextGroupOrDone() {
        if (consumersLeft > 0) {
            return false;
        }
        groupsLeft--;
        if (groupsLeft == 0) {
            phase = Phase.DONE;
            return true;
        }
        phase = Phase.GROUP;
        return false;
    }

    private void node(byte[] key, byte[] lp) {
        long masterMs = be(key, 0);
        long masterSeq = be(key, 8);
        CompactReader r = CompactReader.listpack(lp);
        long count = next(r).longValue();
        long deleted = next(r).longValue();
        long masterCount = next(r).longValue();
        // every field takes at least one listpack byte: bound counts by the listpack size
        if (masterCount < 0 || masterCount > lp.length) {
            throw new CorruptValueException("stream node master field count " + masterCount + " out of range");
        }
        int masterFields = (int) masterCount;
        byte[][] fields = new byte[masterFields][];
        for (int i = 0; i < masterFields; i++) {
            fields[i] = next(r).bytes();
        }
        if (next(r).longValue() != 0) {
            throw new CorruptValueException("stream master entry not terminated by 0");
        }
        state.deletedInNodes += deleted;
        long total = count + deleted;
        for (long e = 0; e < total; e++) {
            int flags = (int) next(r).longValue();
            long ms = masterMs + next(r).longValue();
            long seq = masterSeq + next(r).longValue();
            boolean same = (flags & 2) != 0;
            long fieldCount = same ? masterFields : next(r).longValue();
            if (fieldCount < 0 || fieldCount > lp.length) {
                throw new CorruptValueException("stream entry field count " + fieldCount + " out of range");
            }
            int nf = (int) fieldCount;
            List<byte[]> fv = (flags & 1) != 0 ? null : new ArrayList<>(Math.min(nf, 64) * 2);
            long bytes = 0;
            for (int i = 0; i < nf; i++) {
                byte[] f = same ? fields[i] : next(r).bytes();
                byte[] v = next(r).bytes();
                if (fv != null) {
                    fv.add(f);
                    fv.add(v);
                    bytes += f.length + v.length;
                }
            }
            next(r); // lp-count of the entry
            if (fv != null) {
                pending.add(new ValueBatch.StreamEntry(new StreamId(ms, seq), fv));
                pendingBytes += bytes + 32;
                if (pending.size() >= io.options.batchMaxElements() || pendingBytes >= io.options.batchMaxBytes()) {
                    flushEntries();
                }
            }
        }
        if (r.next()) {
            throw new CorruptValueException("stream node listpack has trailing elements");
        }
    }

    private static CompactReader next(CompactReader r) {
        if (!r.next()) {
            throw new CorruptValueException("stream node listpack ends early");
        }
        return r;
    }

    private void flushEntries() {
        if (!pending.isEmpty()) {
            state.emit(new ValueBatch.StreamEntries(pending));
            pending = new ArrayList<>();
            pendingBytes = 0;
        }
    }

    private static long be(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
