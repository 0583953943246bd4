package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.internal.CompactReader;
import io.df2redis.protocol.internal.CorruptValueException;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.rdb.StringEncoding;
import io.df2redis.protocol.rdb.ValueBatch;
import io.netty.buffer.ByteBuf;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The value readers of every RDB type (spec §4.7–4.8, Redis RDB 1–12). */
final class ValueReaders {
    /** Unix seconds of Dragonfly's member/field expiry base (2023-02-01T00:00:00Z). */
    static final long MEMBER_EXPIRY_BASE = 1675209600L;

    private ValueReaders() {
    }

    static ValueReader create(RdbType type, EntryState st, Io io) {
        switch (type) {
            case STRING:
                return new StringReader(st, io);
            case JSON:
            case JSON_OLD:
                return new JsonReader(st, io);
            case LIST:
            case SET:
            case ZSET:
            case HASH:
            case ZSET_2:
            case HASH_WITH_EXPIRY:
            case SET_WITH_EXPIRY:
            case HASH_METADATA:
            case HASH_METADATA_PRE_GA:
                return new CountedReader(type, st, io);
            case HASH_ZIPMAP:
            case LIST_ZIPLIST:
            case SET_INTSET:
            case ZSET_ZIPLIST:
            case HASH_ZIPLIST:
            case HASH_LISTPACK:
            case ZSET_LISTPACK:
            case SET_LISTPACK:
            case HASH_LISTPACK_EX:
            case HASH_LISTPACK_EX_PRE_GA:
                return new EncodedReader(type, st, io);
            case LIST_QUICKLIST:
            case LIST_QUICKLIST_2:
                return new QuicklistReader(type, st, io);
            case STREAM_LISTPACKS:
            case STREAM_LISTPACKS_2:
            case STREAM_LISTPACKS_3:
                return new StreamReader(type, st, io);
            case MODULE_2:
                return new ModuleReader(st, io);
            case MODULE_PRE_GA:
                throw io.error("module value of RDB type 6 (pre-GA module format) cannot be skipped: "
                        + "it carries no field markers");
            case SBF:
            case SBF2:
                return new BloomReader(type, st, io);
            case CMS:
                return new CmsReader(st, io);
            case TOPK:
                return new TopKReader(st, io);
            case CUCKOO:
                return new CuckooReader(st, io);
            default:
                throw io.error("unsupported RDB type " + type);
        }
    }

    static Batcher batcher(Batcher.Kind kind, EntryState st, Io io) {
        return new Batcher(kind, st, io.options.batchMaxElements(), io.options.batchMaxBytes());
    }

    static long memberExpiryToUnixSeconds(long v) {
        return v < 0 ? -1 : v + MEMBER_EXPIRY_BASE;
    }

    /** Type 0: a string, streamed in fixed-size chunks when longer than the chunk size. */
    static final class StringReader extends ValueReader {
        private long total = -1;
        private long position;

        StringReader(EntryState st, Io io) {
            super(st, io);
        }

        @Override
        boolean step(ByteBuf in) {
            if (total < 0) {
                long plain = io.plainStringLength(in);
                if (plain > io.options.stringChunkBytes()) {
                    total = plain;
                    state.stringEncoding = StringEncoding.RAW;
                    return false;
                }
                if (plain >= 0) {
                    byte[] b = Bytes.bytes(in, (int) plain);
                    state.stringEncoding = StringEncoding.RAW;
                    state.emit(new ValueBatch.StringChunk(b, 0, b.length));
                    return true;
                }
                byte[] b = io.string(in);
                state.stringEncoding = io.lastEncoding;
                state.emit(new ValueBatch.StringChunk(b, 0, b.length));
                return true;
            }
            int n = (int) Math.min(total - position, io.options.stringChunkBytes());
            byte[] b = Bytes.bytes(in, n);
            state.emit(new ValueBatch.StringChunk(b, position, total));
            position += n;
            return position == total;
        }
    }

    /** Types 30 / 20 (RDB &lt; 10): a JSON document as text; int-encoded scalars become their decimal text. */
    static final class JsonReader extends ValueReader {
        JsonReader(EntryState st, Io io) {
            super(st, io);
        }

        @Override
        boolean step(ByteBuf in) {
            byte[] b = io.string(in);
            state.stringEncoding = io.lastEncoding;
            state.emit(new ValueBatch.JsonDocument(b));
            return true;
        }
    }

    /** Types with an element count followed by that many elements. */
    static final class CountedReader extends ValueReader {
        private final RdbType type;
        private final Batcher batcher;
        private long remaining = -1;
        private long minExpireMs = -1;
        private boolean headerDone;

        CountedReader(RdbType type, EntryState st, Io io) {
            super(st, io);
            this.type = type;
            Batcher.Kind kind;
            switch (type) {
                case LIST:
                    kind = Batcher.Kind.LIST;
                    break;
                case SET:
                case SET_WITH_EXPIRY:
                    kind = Batcher.Kind.SET;
                    break;
                case ZSET:
                case ZSET_2:
                    kind = Batcher.Kind.ZSET;
                    break;
                default:
                    kind = Batcher.Kind.HASH;
                    break;
            }
            this.batcher = batcher(kind, st, io);
        }

        @Override
        boolean step(ByteBuf in) {
            if (!headerDone) {
                long min = -1;
                if (type == RdbType.HASH_METADATA) {
                    min = Bytes.i64le(in);
                }
                long n = io.length(in, "element count");
                minExpireMs = min;
                remaining = n;
                state.declaredCount = n;
                headerDone = true;
                return finishIfDone();
            }
            switch (type) {
                case LIST:
                    batcher.add(io.string(in));
                    break;
                case SET:
                    batcher.add(io.string(in));
                    break;
                case ZSET: {
                    byte[] m = io.string(in);
                    double s = io.textDouble(in);
                    batcher.addScored(m, s);
                    break;
                }
                case ZSET_2: {
                    byte[] m = io.string(in);
                    double s = Bytes.f64le(in);
                    batcher.addScored(m, s);
                    break;
                }
                case HASH: {
                    byte[] f = io.string(in);
                    byte[] v = io.string(in);
                    batcher.addField(f, v, -1);
                    break;
                }
                case HASH_WITH_EXPIRY: {
                    byte[] f = io.string(in);
                    byte[] v = io.string(in);
                    long e = io.longLongAsString(in, "field expiry");
                    long unix = memberExpiryToUnixSeconds(e);
                    batcher.addField(f, v, unix < 0 ? -1 : unix * 1000);
                    break;
                }
                case SET_WITH_EXPIRY: {
                    byte[] m = io.string(in);
                    long e = io.longLongAsString(in, "member expiry");
                    batcher.addMember(m, memberExpiryToUnixSeconds(e));
                    break;
                }
                case HASH_METADATA:
                case HASH_METADATA_PRE_GA: {
                    long ttl = io.length(in, "field TTL");
                    byte[] f = io.string(in);
                    byte[] v = io.string(in);
                    long expire;
                    if (ttl == 0) {
                        expire = -1;
                    } else if (type == RdbType.HASH_METADATA) {
                        expire = minExpireMs + ttl - 1;
                    } else {
                        expire = ttl;
                    }
                    batcher.addField(f, v, expire);
                    break;
                }
                default:
                    throw io.error("no counted reader for " + type);
            }
            remaining--;
            return finishIfDone();
        }

        private boolean finishIfDone() {
            if (remaining == 0) {
                batcher.flush();
                return true;
            }
            return false;
        }
    }

    /** Types whose whole value is one RDB string holding a compact encoding. */
    static final class EncodedReader extends ValueReader {
        private final RdbType type;

        EncodedReader(RdbType type, EntryState st, Io io) {
            super(st, io);
            this.type = type;
        }

        @Override
        boolean step(ByteBuf in) {
            long minExpire = -1;
            if (type == RdbType.HASH_LISTPACK_EX) {
                minExpire = Bytes.i64le(in);
            }
            byte[] blob = io.string(in);
            try {
                decode(blob, minExpire);
            } catch (CorruptValueException e) {
                throw io.error("corrupt " + type + " payload: " + e.getMessage());
            }
            return true;
        }

        private void decode(byte[] blob, long minExpire) {
            switch (type) {
                case HASH_ZIPMAP:
                    pairs(CompactReader.zipmap(blob));
                    break;
                case LIST_ZIPLIST:
                    singles(CompactReader.ziplist(blob), Batcher.Kind.LIST);
                    break;
                case SET_INTSET: {
                    CompactReader r = CompactReader.intset(blob);
                    state.intsetWidth = ((CompactReader.Intset) r).width();
                    singles(r, Batcher.Kind.SET);
                    break;
                }
                case SET_LISTPACK:
                    singles(CompactReader.listpack(blob), Batcher.Kind.SET);
                    break;
                case ZSET_ZIPLIST:
                    scored(CompactReader.ziplist(blob));
                    break;
                case ZSET_LISTPACK:
                    scored(CompactReader.listpack(blob));
                    break;
                case HASH_ZIPLIST:
                    pairs(CompactReader.ziplist(blob));
                    break;
                case HASH_LISTPACK:
                    pairs(CompactReader.listpack(blob));
                    break;
                case HASH_LISTPACK_EX:
                case HASH_LISTPACK_EX_PRE_GA:
                    triples(CompactReader.listpack(blob));
                    break;
                default:
                    throw new CorruptValueException("no encoded reader for " + type);
            }
        }

        private void singles(CompactReader r, Batcher.Kind kind) {
            state.declaredCount = r.declaredCount();
            Batcher b = batcher(kind, state, io);
            while (r.next()) {
                b.add(r.bytes());
            }
            b.flush();
        }

        private void scored(CompactReader r) {
            long c = r.declaredCount();
            state.declaredCount = c < 0 ? -1 : c / 2;
            Batcher b = batcher(Batcher.Kind.ZSET, state, io);
            while (r.next()) {
                byte[] m = r.bytes();
                if (!r.next()) {
                    throw new CorruptValueException("sorted set member without score");
                }
                b.addScored(m, r.doubleValue());
            }
            b.flush();
        }

        private void pairs(CompactReader r) {
            long c = r.declaredCount();
            state.declaredCount = c < 0 ? -1 : c / 2;
            Batcher b = batcher(Batcher.Kind.HASH, state, io);
            while (r.next()) {
                byte[] f = r.bytes();
                if (!r.next()) {
                    throw new CorruptValueException("hash field without value");
                }
                b.addField(f, r.bytes(), -1);
            }
            b.flush();
        }

        private void triples(CompactReader r) {
            long c = r.declaredCount();
            state.declaredCount = c < 0 ? -1 : c / 3;
            Batcher b = batcher(Batcher.Kind.HASH, state, io);
            while (r.next()) {
                byte[] f = r.bytes();
                if (!r.next()) {
                    throw new CorruptValueException("hash field without value");
                }
                byte[] v = r.bytes();
                if (!r.next()) {
                    throw new CorruptValueException("hash field without TTL");
                }
                long ttl = r.longValue();
                b.addField(f, v, ttl == 0 ? -1 : ttl);
            }
            b.flush();
        }
    }

    /** Types 14 (ziplist nodes) and 18 (PLAIN / PACKED listpack nodes). */
    static final class QuicklistReader extends ValueReader {
        private final RdbType type;
        private final Batcher batcher;
        private long remaining = -1;

        QuicklistReader(RdbType type, EntryState st, Io io) {
            super(st, io);
            this.type = type;
            this.batcher = batcher(Batcher.Kind.LIST, st, io);
        }

        @Override
        boolean step(ByteBuf in) {
            if (remaining < 0) {
                remaining = io.length(in, "quicklist node count");
                state.nodes = remaining;
                return done();
            }
            long container = 2;
            if (type == RdbType.LIST_QUICKLIST_2) {
                container = io.length(in, "quicklist node container");
                if (container != 1 && container != 2) {
                    throw io.error("invalid quicklist node container " + container);
                }
            }
            byte[] node = io.string(in);
            if (io.lastEncoding == StringEncoding.LZF) {
                state.lzfNodes++;
            }
            if (container == 1) {
                state.plainNodes++;
                batcher.add(node);
            } else {
                if (type == RdbType.LIST_QUICKLIST_2) {
                    state.packedNodes++;
                }
                try {
                    CompactReader r = type == RdbType.LIST_QUICKLIST ? CompactReader.ziplist(node)
                            : CompactReader.listpack(node);
                    int n = 0;
                    while (r.next()) {
                        batcher.add(r.bytes());
                        n++;
                    }
                    if (n == 0) {
                        throw io.error("empty quicklist node");
                    }
                } catch (CorruptValueException e) {
                    throw io.error("corrupt quicklist node: " + e.getMessage());
                }
            }
            remaining--;
            return done();
        }

        private boolean done() {
            if (remaining == 0) {
                batcher.flush();
                return true;
            }
            return false;
        }
    }

    /** Streams: types 15 (v1), 19 (v2), 21 (v3). */
    static final class StreamReader extends ValueReader {
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

    /** RDB type 7: a module value walked field by field through its opcodes, kept opaque. */
    static final class ModuleReader extends ValueReader {
        private static final String CHARSET =
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        private long moduleId;
        private boolean idRead;
        private final ByteArrayOutputStream raw = new ByteArrayOutputStream();

        ModuleReader(EntryState st, Io io) {
            super(st, io);
        }

        static String moduleName(long id) {
            char[] name = new char[9];
            for (int i = 0; i < 9; i++) {
                name[i] = CHARSET.charAt((int) ((id >>> (64 - 6 * (i + 1))) & 63));
            }
            return new String(name);
        }

        @Override
        boolean step(ByteBuf in) {
            int start = in.readerIndex();
            if (!idRead) {
                moduleId = io.u64(in, "module id");
                idRead = true;
                return false;
            }
            long op = io.length(in, "module opcode");
            switch ((int) op) {
                case 0: // EOF
                    state.emit(new ValueBatch.ModuleValue(moduleId, moduleName(moduleId), (int) (moduleId & 1023),
                            raw.toByteArray()));
                    return true;
                case 1:
                case 2:
                    io.u64(in, "module integer");
                    break;
                case 3:
                    Bytes.skip(in, 4);
                    break;
                case 4:
                    Bytes.skip(in, 8);
                    break;
                case 5:
                    io.string(in);
                    break;
                default:
                    throw io.error("unknown module opcode " + op + ": module value cannot be skipped");
            }
            int len = in.readerIndex() - start;
            if (raw.size() + len > io.options.maxElementBytes()) {
                throw io.limit("module value exceeds the element limit " + io.options.maxElementBytes());
            }
            byte[] b = new byte[len];
            in.getBytes(start, b);
            raw.write(b, 0, len);
            return false;
        }
    }

    /** Streams the raw bytes of a chunked filter in fixed-size pieces. */
    abstract static class FilterBytes extends ValueReader {
        int filterIndex;
        long filterTotal;
        long filterPos;
        long chunkLeft;

        FilterBytes(EntryState st, Io io) {
            super(st, io);
        }

        /** Reads the next piece of the current raw chunk; returns true when the chunk is done. */
        boolean piece(ByteBuf in, long hashCount) {
            int n = (int) Math.min(chunkLeft, io.options.stringChunkBytes());
            byte[] b = Bytes.bytes(in, n);
            state.emit(new ValueBatch.FilterData(filterIndex, hashCount, filterTotal, filterPos, b));
            filterPos += n;
            chunkLeft -= n;
            return chunkLeft == 0;
        }

        long chunkLength(ByteBuf in) {
            long c = io.length(in, "filter chunk length");
            if (c == 0 || c > filterTotal - filterPos) {
                throw io.error("filter chunk of " + c + " bytes with " + (filterTotal - filterPos) + " bytes left");
            }
            return c;
        }
    }

    /** SBF (33) and SBF2 (34): header, then per filter its hash count and bytes. */
    static final class BloomReader extends FilterBytes {
        private final boolean chunked;
        private long filters = -1;
        private long hashCount;
        private int phase; // 0 header, 1 filter head, 2 chunk length, 3 chunk bytes

        BloomReader(RdbType type, EntryState st, Io io) {
            super(st, io);
            this.chunked = type == RdbType.SBF2;
        }

        @Override
        boolean step(ByteBuf in) {
            switch (phase) {
                case 0: {
                    long options = io.length(in, "SBF options");
                    double grow = Bytes.f64le(in);
                    double fp = Bytes.f64le(in);
                    long prev = io.length(in, "SBF prev size");
                    long cur = io.length(in, "SBF current size");
                    long max = io.length(in, "SBF max capacity");
                    long n = io.length(in, "SBF filter count");
                    filters = n;
                    state.declaredCount = n;
                    state.emit(new ValueBatch.BloomHeader(options, grow, fp, prev, cur, max, n));
                    filterIndex = -1;
                    phase = 1;
                    return n == 0;
                }
                case 1: {
                    if (!chunked) {
                        long hc = io.length(in, "SBF hash count");
                        byte[] bits = io.string(in);
                        filterIndex++;
                        state.emit(new ValueBatch.FilterData(filterIndex, hc, bits.length, 0, bits));
                        return filterIndex + 1 == filters;
                    }
                    long hc = io.length(in, "SBF hash count");
                    long total = io.length(in, "SBF filter size");
                    filterIndex++;
                    hashCount = hc;
                    filterTotal = total;
                    filterPos = 0;
                    if (total == 0) {
                        return filterIndex + 1 == filters;
                    }
                    phase = 2;
                    return false;
                }
                case 2:
                    chunkLeft = chunkLength(in);
                    phase = 3;
                    return false;
                default:
                    if (piece(in, hashCount)) {
                        if (filterPos == filterTotal) {
                            phase = 1;
                            return filterIndex + 1 == filters;
                        }
                        phase = 2;
                    }
                    return false;
            }
        }
    }

    /** CUCKOO (37): header, then per filter its size and raw chunks. */
    static final class CuckooReader extends FilterBytes {
        private long filters;
        private int phase;

        CuckooReader(EntryState st, Io io) {
            super(st, io);
        }

        @Override
        boolean step(ByteBuf in) {
            switch (phase) {
                case 0: {
                    long spb = io.length(in, "slots per bucket");
                    long maxIt = io.length(in, "max iterations");
                    long exp = io.length(in, "expansion");
                    long buckets = io.length(in, "bucket count");
                    long items = io.length(in, "item count");
                    long deletes = io.length(in, "delete count");
                    long n = io.length(in, "filter count");
                    filters = n;
                    state.declaredCount = items;
                    state.emit(new ValueBatch.CuckooHeader(spb, maxIt, exp, buckets, items, deletes, n));
                    filterIndex = -1;
                    phase = 1;
                    return n == 0;
                }
                case 1: {
                    long total = io.length(in, "cuckoo filter size");
                    filterIndex++;
                    filterTotal = total;
                    filterPos = 0;
                    if (total == 0) {
                        return filterIndex + 1 == filters;
                    }
                    phase = 2;
                    return false;
                }
                case 2:
                    chunkLeft = chunkLength(in);
                    phase = 3;
                    return false;
                default:
                    if (piece(in, -1)) {
                        if (filterPos == filterTotal) {
                            phase = 1;
                            return filterIndex + 1 == filters;
                        }
                        phase = 2;
                    }
                    return false;
            }
        }
    }

    /** CMS (35): width, depth, total count, then width*depth signed int64 LE counters. */
    static final class CmsReader extends ValueReader {
        CmsReader(EntryState st, Io io) {
            super(st, io);
        }

        @Override
        boolean step(ByteBuf in) {
            long w = io.length(in, "CMS width");
            long d = io.length(in, "CMS depth");
            long total = io.length(in, "CMS total count");
            if (w != 0 && d > io.options.maxElementBytes() / 8 / w) {
                throw io.limit("CMS of " + w + "x" + d + " counters exceeds the element limit");
            }
            int n = (int) (w * d);
            Bytes.need(in, (long) n * 8);
            long[] counters = new long[n];
            for (int i = 0; i < n; i++) {
                counters[i] = in.readLongLE();
            }
            state.declaredCount = n;
            state.emit(new ValueBatch.CountMinSketch(w, d, total, counters));
            return true;
        }
    }

    /** TOPK (36): parameters, heap items with counts, then the raw counter bytes. */
    static final class TopKReader extends ValueReader {
        private long options;
        private long k;
        private long width;
        private long depth;
        private double decay;
        private long heapLeft = -1;
        private final List<byte[]> items = new ArrayList<>();
        private long[] counts;

        TopKReader(EntryState st, Io io) {
            super(st, io);
        }

        @Override
        boolean step(ByteBuf in) {
            if (heapLeft < 0) {
                long o = io.length(in, "TOPK options");
                long kk = io.length(in, "TOPK k");
                long w = io.length(in, "TOPK width");
                long d = io.length(in, "TOPK depth");
                double dec = Bytes.f64le(in);
                long heap = io.length(in, "TOPK heap size");
                if (heap > kk || heap > io.options.maxElementBytes() / 16) {
                    throw io.error("TOPK heap of " + heap + " items for k=" + kk);
                }
                options = o;
                k = kk;
                width = w;
                depth = d;
                decay = dec;
                heapLeft = heap;
                // grown as items arrive: the declared size alone must not reserve memory
                counts = new long[(int) Math.min(heap, 64)];
                state.declaredCount = heap;
                return false;
            }
            if (heapLeft > 0) {
                byte[] item = io.string(in);
                long count = io.length(in, "TOPK item count");
                if (items.size() == counts.length) {
                    counts = java.util.Arrays.copyOf(counts, (int) Math.min((long) counts.length * 2,
                            items.size() + heapLeft));
                }
                counts[items.size()] = count;
                items.add(item);
                heapLeft--;
                return false;
            }
            long total = io.length(in, "TOPK counter bytes");
            if (total > io.options.maxElementBytes()) {
                throw io.limit("TOPK counters of " + total + " bytes exceed the element limit");
            }
            byte[] counters = Bytes.bytes(in, (int) total);
            state.emit(new ValueBatch.TopK(options, k, width, depth, decay, Collections.unmodifiableList(items),
                    counts, counters));
            return true;
        }
    }
}
