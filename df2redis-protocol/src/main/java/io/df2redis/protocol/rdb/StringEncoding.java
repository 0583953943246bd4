package io.df2redis.protocol.rdb;

/** How an RDB string was encoded on the wire (spec §2.3). */
public enum StringEncoding {
    RAW("raw"), INT8("int8"), INT16("int16"), INT32("int32"), LZF("lzf");

    private final String label;

    StringEncoding(String label) {
        this.label = label;
    }

    /** Lower-case name as used in the vectors' decoded.json. */
    public String label() {
        return label;
    }
}
