package io.df2redis.protocol.rdb;

/**
 * Object type bytes of Redis RDB files (versions 1–12) and of Dragonfly's replication stream
 * (spec §4.7). {@link #logicalType()} names the Redis data type the value becomes.
 */
public enum RdbType {
    /** A string (also HyperLogLogs, which are strings): one RDB string. */
    STRING(0, LogicalType.STRING),
    /** Redis' oldest list encoding: a count, then one RDB string per element. Dragonfly never writes it. */
    LIST(1, LogicalType.LIST),
    /** A hash-table set without member TTLs: a count, then one RDB string per member. */
    SET(2, LogicalType.SET),
    /** Redis' oldest sorted-set encoding, scores as decimal text. Dragonfly never writes it. */
    ZSET(3, LogicalType.ZSET),
    /** A hash-table hash without field TTLs: a count of pairs, then field and value RDB strings. */
    HASH(4, LogicalType.HASH),
    /** A skiplist sorted set: a count, then member RDB strings each with a binary little-endian double score. */
    ZSET_2(5, LogicalType.ZSET),
    /** A Redis module value of the pre-GA format. Dragonfly never writes module types. */
    MODULE_PRE_GA(6, LogicalType.MODULE),
    /** A Redis module value (module id, then opcode-tagged fields). Dragonfly never writes module types. */
    MODULE_2(7, LogicalType.MODULE),
    /** A small hash as a Redis 2.x zipmap in an RDB string. Dragonfly never writes it. */
    HASH_ZIPMAP(9, LogicalType.HASH),
    /** A small list as a ziplist in an RDB string (before quicklists). Dragonfly never writes it. */
    LIST_ZIPLIST(10, LogicalType.LIST),
    /** A set of integers as a Redis intset in an RDB string (spec §4.8). */
    SET_INTSET(11, LogicalType.SET),
    /** A small sorted set as a ziplist of member, score pairs; Dragonfly up to v1.30. */
    ZSET_ZIPLIST(12, LogicalType.ZSET),
    /** A small hash as a ziplist of field, value pairs; Dragonfly up to v1.30. */
    HASH_ZIPLIST(13, LogicalType.HASH),
    /** A list as quicklist nodes, each a ziplist in an RDB string; Dragonfly up to v1.23 by default. */
    LIST_QUICKLIST(14, LogicalType.LIST),
    /** A Redis 5 stream (format v1): listpack nodes, then the stream's metadata and consumer groups. */
    STREAM_LISTPACKS(15, LogicalType.STREAM),
    /** A small hash as a listpack of field, value pairs; Dragonfly v1.31 and later. */
    HASH_LISTPACK(16, LogicalType.HASH),
    /** A small sorted set as a listpack of member, score pairs; Dragonfly v1.31 and later. */
    ZSET_LISTPACK(17, LogicalType.ZSET),
    /** A list as quicklist nodes, each a plain element or a listpack; Dragonfly v1.24 and later. */
    LIST_QUICKLIST_2(18, LogicalType.LIST),
    /** A Redis 7.0 stream (format v2). Dragonfly never writes it. */
    STREAM_LISTPACKS_2(19, LogicalType.STREAM),
    /** Redis 7.2 (RDB 11) listpack set. In streams of RDB version &lt; 10 type 20 is {@link #JSON_OLD}. */
    SET_LISTPACK(20, LogicalType.SET),
    /** A Redis 7.2 stream (format v3, with first id, max deleted id, entries added and active times). */
    STREAM_LISTPACKS_3(21, LogicalType.STREAM),
    /** A hash with field TTLs in the pre-GA Redis 7.4 format. Dragonfly never writes it. */
    HASH_METADATA_PRE_GA(22, LogicalType.HASH),
    /** A listpack hash with field TTLs in the pre-GA Redis 7.4 format. Dragonfly never writes it. */
    HASH_LISTPACK_EX_PRE_GA(23, LogicalType.HASH),
    /** A Redis 7.4 hash with field TTLs (hash-table encoding). Dragonfly never writes it. */
    HASH_METADATA(24, LogicalType.HASH),
    /** A Redis 7.4 listpack hash with field TTLs. Dragonfly never writes it. */
    HASH_LISTPACK_EX(25, LogicalType.HASH),
    /** Dragonfly's old JSON type number: type byte 20 in streams of RDB version below 10. */
    JSON_OLD(20, LogicalType.JSON),
    /** Dragonfly's JSON document: its text in one RDB string (which may be integer-encoded, spec §4.8). */
    JSON(30, LogicalType.JSON),
    /** Dragonfly's hash in which at least one field has a TTL: field, value and expiry triples. */
    HASH_WITH_EXPIRY(31, LogicalType.HASH),
    /** Dragonfly's set in which at least one member has a TTL: member and expiry pairs. */
    SET_WITH_EXPIRY(32, LogicalType.SET),
    /** Dragonfly's scalable Bloom filter, each filter's bits in one RDB string. */
    SBF(33, LogicalType.BLOOM),
    /** Dragonfly's scalable Bloom filter with each filter's bits in chunks of at most 64 MiB (v1.35 and later). */
    SBF2(34, LogicalType.BLOOM),
    /** Dragonfly's Count-Min sketch: width, depth, total count and the raw counters (v1.38 and later). */
    CMS(35, LogicalType.CMS),
    /** Dragonfly's Top-K: its parameters, heap and raw counters (v1.38 and later). */
    TOPK(36, LogicalType.TOPK),
    /** Dragonfly's Cuckoo filter: its parameters and each filter's bytes in chunks (v1.40 and later). */
    CUCKOO(37, LogicalType.CUCKOO);

    /** The Redis data type (as TYPE replies it) a value of an RDB type becomes. */
    public enum LogicalType {
        /** A string. */
        STRING("string"),
        /** A list. */
        LIST("list"),
        /** A set. */
        SET("set"),
        /** A sorted set. */
        ZSET("zset"),
        /** A hash. */
        HASH("hash"),
        /** A stream. */
        STREAM("stream"),
        /** A JSON document (the RedisJSON module's type name). */
        JSON("ReJSON-RL"),
        /** A scalable Bloom filter (RedisBloom's type name). */
        BLOOM("MBbloom--"),
        /** A Cuckoo filter (RedisBloom's type name). */
        CUCKOO("MBbloomCF"),
        /** A Count-Min sketch (RedisBloom's type name). */
        CMS("CMSk-TYPE"),
        /** A Top-K (RedisBloom's type name). */
        TOPK("TopK-TYPE"),
        /** A value of another Redis module, which Dragonfly does not have. */
        MODULE("module");

        private final String typeReply;

        LogicalType(String typeReply) {
            this.typeReply = typeReply;
        }

        /** What Redis' {@code TYPE} command answers for such a key. */
        public String typeReply() {
            return typeReply;
        }
    }

    private static final RdbType[] BY_CODE = new RdbType[256];

    static {
        for (RdbType t : values()) {
            if (t != JSON_OLD) {
                BY_CODE[t.code] = t;
            }
        }
    }

    private final int code;
    private final LogicalType logicalType;

    RdbType(int code, LogicalType logicalType) {
        this.code = code;
        this.logicalType = logicalType;
    }

    /** The type byte. */
    public int code() {
        return code;
    }

    /** The data type this encoding holds (string, list, set…). */
    public LogicalType logicalType() {
        return logicalType;
    }

    /**
     * The type for a type byte, or null if the byte is no object type.
     *
     * @param code the type byte (0..255)
     * @param rdbVersion the stream's RDB version: below 10, byte 20 is Dragonfly's old JSON type
     * @return the type, or null for a byte that is no object type
     */
    public static RdbType of(int code, int rdbVersion) {
        if (code == 20 && rdbVersion < 10) {
            return JSON_OLD;
        }
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }
}
