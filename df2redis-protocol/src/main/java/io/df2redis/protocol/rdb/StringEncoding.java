package io.df2redis.protocol.rdb;

/** How an RDB string was encoded on the wire (spec §2.3). */
public enum StringEncoding {
    /** The bytes as they are, after their length. */
    RAW("raw"),
    /** An integer in one byte (type {@code 0xC0}), its decimal text being the string. */
    INT8("int8"),
    /** An integer in two little-endian bytes (type {@code 0xC1}). */
    INT16("int16"),
    /** An integer in four little-endian bytes (type {@code 0xC2}). */
    INT32("int32"),
    /** LZF-compressed bytes (type {@code 0xC3}) with their compressed and uncompressed lengths. */
    LZF("lzf");

    private final String label;

    StringEncoding(String label) {
        this.label = label;
    }

    /** Lower-case name as used in the vectors' decoded.json. */
    public String label() {
        return label;
    }
}
