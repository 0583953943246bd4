package io.df2redis.sink.redis;

/**
 * Told about every key (or journal command) the sink could not reproduce in Redis, under
 * {@link UnsupportedDataPolicy#CALLBACK}. Called on a replicator applier thread; must not block
 * for long and must not throw (an exception thrown here fails the session).
 */
@FunctionalInterface
public interface UnsupportedDataCallback {
    /**
     * @param key the key bytes
     * @param db the database index
     * @param type the value type ({@code TYPE} reply style, e.g. {@code ReJSON-RL}, {@code MBbloom--})
     *             or the journal command name
     * @param reason why it could not be written (see {@link UnsupportedData} reason constants)
     */
    void onUnsupported(byte[] key, int db, String type, String reason);
}
