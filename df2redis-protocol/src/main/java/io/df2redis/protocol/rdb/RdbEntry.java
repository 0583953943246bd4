package io.df2redis.protocol.rdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The header of one key/value entry of an RDB stream: everything known before the value's
 * elements arrive. The value itself follows as {@link ValueBatch}es between
 * {@link RdbHandler#onEntryStart} and {@link RdbHandler#onEntryEnd}.
 *
 * @param offset offset of the entry's first byte (its EXPIRETIME/DF_MASK prefix if any; for a
 *               tagged entry, of the TAGGED_CHUNK record that started it), relative to the
 *               enclosing compressed blob when inside one
 * @param db database index
 * @param key the key bytes (never assumed to be UTF-8)
 * @param type the RDB type byte
 * @param expireAtMs absolute expiry in Unix milliseconds, or -1 for none
 * @param dfMask Dragonfly DF_MASK flags (bit 0 sticky, bit 1 memcached flags present), 0 if none
 * @param mcFlags memcached flags when {@code dfMask} bit 1 is set, else 0
 * @param idleSeconds LRU idle time from an IDLE record, or -1
 * @param lfuFrequency LFU counter from a FREQ record, or -1
 * @param keyEncoding how the key was encoded on the wire
 * @param taggedId the TAGGED_CHUNK stream id for a tagged entry, else 0
 */
public record RdbEntry(long offset, int db, byte[] key, RdbType type, long expireAtMs, int dfMask, long mcFlags,
                       long idleSeconds, int lfuFrequency, StringEncoding keyEncoding, int taggedId) {

    /** DF_MASK bit: the key is sticky (never evicted). */
    public static final int DF_MASK_STICKY = 1;
    /** DF_MASK bit: memcached flags follow. */
    public static final int DF_MASK_MC_FLAGS = 2;

    /** Whether the key has an expiry. */
    public boolean hasExpiry() {
        return expireAtMs >= 0;
    }

    /** Whether DF_MASK marks the key sticky (never evicted). */
    public boolean isSticky() {
        return (dfMask & DF_MASK_STICKY) != 0;
    }

    /** Whether DF_MASK carries memcached flags. */
    public boolean hasMcFlags() {
        return (dfMask & DF_MASK_MC_FLAGS) != 0;
    }

    /** The key as text, for logs and messages (invalid UTF-8 replaced). */
    public String keyAsString() {
        return new String(key, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RdbEntry e && offset == e.offset && db == e.db && Arrays.equals(key, e.key)
                && type == e.type && expireAtMs == e.expireAtMs && dfMask == e.dfMask && mcFlags == e.mcFlags
                && idleSeconds == e.idleSeconds && lfuFrequency == e.lfuFrequency && keyEncoding == e.keyEncoding
                && taggedId == e.taggedId;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + type.hashCode() + db;
    }

    @Override
    public String toString() {
        return "RdbEntry[db=" + db + ", key=" + keyAsString() + ", type=" + type + ", expireAtMs=" + expireAtMs
                + ", dfMask=" + dfMask + ", mcFlags=" + mcFlags + ", taggedId=" + taggedId + ", offset=" + offset
                + "]";
    }
}
