package io.df2redis.sink.redis;

import io.df2redis.replica.SinkException;

/** Redis answered a command of the sink with an error reply. */
public class RedisCommandException extends SinkException {
    private static final long serialVersionUID = 1L;
    private final String command;
    private final String key;
    private final int db;
    private final String error;

    public RedisCommandException(String command, String key, int db, String error) {
        super("Redis rejected " + command + (key == null ? "" : " on key '" + key + "'") + " (db " + db + "): "
                + error);
        this.command = command;
        this.key = key;
        this.db = db;
        this.error = error;
    }

    /** The command name. */
    public String command() {
        return command;
    }

    /** The key the command concerned, or null. */
    public String key() {
        return key;
    }

    public int db() {
        return db;
    }

    /** The error reply text (e.g. {@code WRONGTYPE Operation against a key holding the wrong kind of value}). */
    public String error() {
        return error;
    }
}
