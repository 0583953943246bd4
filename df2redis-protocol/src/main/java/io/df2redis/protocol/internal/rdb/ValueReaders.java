package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.rdb.RdbOpcodes;
import io.df2redis.protocol.rdb.RdbType;

/**
 * Chooses the {@link ValueReader} of each RDB type (spec §4.7–4.8, Redis RDB 1–12) and holds
 * what the readers share. Each reader lives in its own file: {@link StringReader},
 * {@link JsonReader}, {@link CountedReader} (count-prefixed containers), {@link EncodedReader}
 * (ziplist / listpack / intset / zipmap blobs), {@link QuicklistReader}, {@link StreamReader},
 * {@link ModuleReader}, {@link BloomReader} and {@link CuckooReader} (on {@link FilterBytes}),
 * {@link CmsReader} and {@link TopKReader}.
 */
final class ValueReaders {
    private ValueReaders() {
    }

    /** A reader for one value of {@code type}; unsupported types fail with a protocol error. */
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

    /** A batcher of {@code kind} honouring the decoder's batch limits. */
    static Batcher batcher(Batcher.Kind kind, EntryState st, Io io) {
        return new Batcher(kind, st, io.options.batchMaxElements(), io.options.batchMaxBytes());
    }

    /** Dragonfly's member/field expiry (seconds since {@link RdbOpcodes#MEMBER_EXPIRY_BASE}) in Unix seconds, -1 for none. */
    static long memberExpiryToUnixSeconds(long v) {
        return v < 0 ? -1 : v + RdbOpcodes.MEMBER_EXPIRY_BASE;
    }
}
