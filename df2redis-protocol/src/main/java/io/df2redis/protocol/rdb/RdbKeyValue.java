package io.df2redis.protocol.rdb;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One key/value entry for {@link RdbEncoder}: the key, the value, the RDB type to encode it as,
 * and the optional EXPIRETIME_MS / DF_MASK prefix. Build with {@link #of} (Dragonfly's default
 * type for the value) and derive with the {@code with…} methods.
 *
 * @param key the key bytes
 * @param type the RDB type byte the value is written as; must be supported by the value
 * @param value the value
 * @param expireAtMs absolute expiry in Unix milliseconds, or -1 for none
 * @param dfMask Dragonfly DF_MASK flags ({@link RdbEntry#DF_MASK_STICKY},
 *               {@link RdbEntry#DF_MASK_MC_FLAGS}); 0 writes no DF_MASK record
 * @param mcFlags memcached flags (unsigned 32-bit), written when {@code dfMask} has the MC bit
 */
public record RdbKeyValue(byte[] key, RdbType type, RdbValue value, long expireAtMs, int dfMask, long mcFlags) {

    /** Checks the components (key and value present, the type able to hold the value). */
    public RdbKeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (!value.supports(type)) {
            throw new IllegalArgumentException(value.getClass().getSimpleName() + " cannot be written as " + type
                    + " (supported: " + value.types() + ")");
        }
        if (expireAtMs < -1) {
            throw new IllegalArgumentException("expireAtMs must be -1 or a Unix time: " + expireAtMs);
        }
        if (mcFlags < 0 || mcFlags > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("mcFlags must be an unsigned 32-bit value: " + mcFlags);
        }
    }

    /** An entry without expiry or flags, of the type Dragonfly would choose for the value. */
    public static RdbKeyValue of(byte[] key, RdbValue value) {
        return new RdbKeyValue(key, value.defaultType(), value, -1, 0, 0);
    }

    /** An entry of the UTF-8 bytes of {@code key} with {@code value} in its default type, without expiry. */
    public static RdbKeyValue of(String key, RdbValue value) {
        return of(key.getBytes(StandardCharsets.UTF_8), value);
    }

    /** This entry written as type {@code t}. */
    public RdbKeyValue withType(RdbType t) {
        return new RdbKeyValue(key, t, value, expireAtMs, dfMask, mcFlags);
    }

    /** This entry expiring at Unix time {@code ms} (-1 for none). */
    public RdbKeyValue withExpireAtMs(long ms) {
        return new RdbKeyValue(key, type, value, ms, dfMask, mcFlags);
    }

    /** Sets the DF_MASK flags; the MC bit is set iff {@code mcFlags} is given (≥ 0). */
    public RdbKeyValue withDfMask(boolean sticky, long mcFlags) {
        int mask = (sticky ? RdbEntry.DF_MASK_STICKY : 0) | (mcFlags >= 0 ? RdbEntry.DF_MASK_MC_FLAGS : 0);
        return new RdbKeyValue(key, type, value, expireAtMs, mask, Math.max(0, mcFlags));
    }

    /** Sets the raw DF_MASK flags and memcached flags. */
    public RdbKeyValue withDfMask(int mask, long mcFlags) {
        return new RdbKeyValue(key, type, value, expireAtMs, mask, mcFlags);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RdbKeyValue e && java.util.Arrays.equals(key, e.key) && type == e.type
                && value.equals(e.value) && expireAtMs == e.expireAtMs && dfMask == e.dfMask && mcFlags == e.mcFlags;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(key) * 31 + type.hashCode();
    }

    @Override
    public String toString() {
        return "RdbKeyValue[key=" + new String(key, StandardCharsets.UTF_8) + ", type=" + type + ", expireAtMs="
                + expireAtMs + ", dfMask=" + dfMask + ", mcFlags=" + mcFlags + "]";
    }
}
