package io.df2redis.sink.redis.verify;

/**
 * One key that differs between the source (or a sync's digest) and the target.
 *
 * @param db database index
 * @param key the key as text (UTF-8, or {@code b64:<base64>} when it is not valid UTF-8)
 * @param kind what differs
 * @param detail a short human-readable description (values abbreviated)
 */
public record Difference(int db, String key, Kind kind, String detail) {
    /** What differs for one key. */
    public enum Kind {
        /** In the source, not in the target. */
        MISSING,
        /** In the target, not in the source. */
        UNEXPECTED,
        /** Different types. */
        TYPE,
        /** Same type, different value. */
        VALUE,
        /** Expiry differs by more than the tolerance, or is present on one side only. */
        TTL
    }

    @Override
    public String toString() {
        return kind + " db " + db + " key '" + key + "'" + (detail.isEmpty() ? "" : ": " + detail);
    }
}
