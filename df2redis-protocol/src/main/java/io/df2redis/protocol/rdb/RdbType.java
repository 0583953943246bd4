package io.df2redis.protocol.rdb;

/**
 * Object type bytes of Redis RDB files (versions 1–12) and of Dragonfly's replication stream
 * (spec §4.7). {@link #logicalType()} names the Redis data type the value becomes.
 */
public enum RdbType {
    STRING(0, LogicalType.STRING),
    LIST(1, LogicalType.LIST),
    SET(2, LogicalType.SET),
    ZSET(3, LogicalType.ZSET),
    HASH(4, LogicalType.HASH),
    ZSET_2(5, LogicalType.ZSET),
    MODULE_PRE_GA(6, LogicalType.MODULE),
    MODULE_2(7, LogicalType.MODULE),
    HASH_ZIPMAP(9, LogicalType.HASH),
    LIST_ZIPLIST(10, LogicalType.LIST),
    SET_INTSET(11, LogicalType.SET),
    ZSET_ZIPLIST(12, LogicalType.ZSET),
    HASH_ZIPLIST(13, LogicalType.HASH),
    LIST_QUICKLIST(14, LogicalType.LIST),
    STREAM_LISTPACKS(15, LogicalType.STREAM),
    HASH_LISTPACK(16, LogicalType.HASH),
    ZSET_LISTPACK(17, LogicalType.ZSET),
    LIST_QUICKLIST_2(18, LogicalType.LIST),
    STREAM_LISTPACKS_2(19, LogicalType.STREAM),
    /** Redis 7.2 (RDB 11) listpack set. In streams of RDB version &lt; 10 type 20 is {@link #JSON_OLD}. */
    SET_LISTPACK(20, LogicalType.SET),
    STREAM_LISTPACKS_3(21, LogicalType.STREAM),
    HASH_METADATA_PRE_GA(22, LogicalType.HASH),
    HASH_LISTPACK_EX_PRE_GA(23, LogicalType.HASH),
    HASH_METADATA(24, LogicalType.HASH),
    HASH_LISTPACK_EX(25, LogicalType.HASH),
    /** Dragonfly's old JSON type number: type byte 20 in streams of RDB version below 10. */
    JSON_OLD(20, LogicalType.JSON),
    JSON(30, LogicalType.JSON),
    HASH_WITH_EXPIRY(31, LogicalType.HASH),
    SET_WITH_EXPIRY(32, LogicalType.SET),
    SBF(33, LogicalType.BLOOM),
    SBF2(34, LogicalType.BLOOM),
    CMS(35, LogicalType.CMS),
    TOPK(36, LogicalType.TOPK),
    CUCKOO(37, LogicalType.CUCKOO);

    /** The Redis data type (as TYPE replies it) a value of an RDB type becomes. */
    public enum LogicalType {
        STRING("string"), LIST("list"), SET("set"), ZSET("zset"), HASH("hash"), STREAM("stream"),
        JSON("ReJSON-RL"), BLOOM("MBbloom--"), CUCKOO("MBbloomCF"), CMS("CMSk-TYPE"), TOPK("TopK-TYPE"),
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
     * @param rdbVersion the stream's RDB version: below 10, byte 20 is Dragonfly's old JSON type
     */
    public static RdbType of(int code, int rdbVersion) {
        if (code == 20 && rdbVersion < 10) {
            return JSON_OLD;
        }
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }
}
