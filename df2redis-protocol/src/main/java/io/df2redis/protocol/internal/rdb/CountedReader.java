package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.rdb.RdbType;
import io.netty.buffer.ByteBuf;

/** Types with an element count followed by that many elements. */
final class CountedReader extends ValueReader {
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
        this.batcher = ValueReaders.batcher(kind, st, io);
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
                long unix = ValueReaders.memberExpiryToUnixSeconds(e);
                batcher.addField(f, v, unix < 0 ? -1 : unix * 1000);
                break;
            }
            case SET_WITH_EXPIRY: {
                byte[] m = io.string(in);
                long e = io.longLongAsString(in, "member expiry");
                batcher.addMember(m, ValueReaders.memberExpiryToUnixSeconds(e));
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
