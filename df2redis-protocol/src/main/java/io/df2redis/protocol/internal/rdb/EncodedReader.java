package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.internal.CompactReader;
import io.df2redis.protocol.internal.CorruptValueException;
import io.df2redis.protocol.rdb.RdbType;
import io.netty.buffer.ByteBuf;

/** Types whose whole value is one RDB string holding a compact encoding. */
final class EncodedReader extends ValueReader {
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
        io.stringView(in); // parsed here, elements copied out: no array of its own
        try {
            decode(io.viewArray, io.viewOffset, io.viewLength, minExpire);
        } catch (CorruptValueException e) {
            throw io.error("corrupt " + type + " payload: " + e.getMessage());
        }
        return true;
    }

    private void decode(byte[] blob, int off, int len, long minExpire) {
        switch (type) {
            case HASH_ZIPMAP:
                pairs(CompactReader.zipmap(blob, off, len));
                break;
            case LIST_ZIPLIST:
                singles(CompactReader.ziplist(blob, off, len), Batcher.Kind.LIST);
                break;
            case SET_INTSET: {
                CompactReader r = CompactReader.intset(blob, off, len);
                state.intsetWidth = ((CompactReader.Intset) r).width();
                singles(r, Batcher.Kind.SET);
                break;
            }
            case SET_LISTPACK:
                singles(CompactReader.listpack(blob, off, len), Batcher.Kind.SET);
                break;
            case ZSET_ZIPLIST:
                scored(CompactReader.ziplist(blob, off, len));
                break;
            case ZSET_LISTPACK:
                scored(CompactReader.listpack(blob, off, len));
                break;
            case HASH_ZIPLIST:
                pairs(CompactReader.ziplist(blob, off, len));
                break;
            case HASH_LISTPACK:
                pairs(CompactReader.listpack(blob, off, len));
                break;
            case HASH_LISTPACK_EX:
            case HASH_LISTPACK_EX_PRE_GA:
                triples(CompactReader.listpack(blob, off, len));
                break;
            default:
                throw new CorruptValueException("no encoded reader for " + type);
        }
    }

    private void singles(CompactReader r, Batcher.Kind kind) {
        state.declaredCount = r.declaredCount();
        Batcher b = ValueReaders.batcher(kind, state, io);
        while (r.next()) {
            b.add(r.bytes());
        }
        b.flush();
    }

    private void scored(CompactReader r) {
        long c = r.declaredCount();
        state.declaredCount = c < 0 ? -1 : c / 2;
        Batcher b = ValueReaders.batcher(Batcher.Kind.ZSET, state, io);
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
        Batcher b = ValueReaders.batcher(Batcher.Kind.HASH, state, io);
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
        Batcher b = ValueReaders.batcher(Batcher.Kind.HASH, state, io);
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
