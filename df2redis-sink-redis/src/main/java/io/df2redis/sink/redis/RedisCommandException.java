package io.df2redis.sink.redis;

/**
 * Redis answered a command of the sink with an error reply. Retryable (the session ends and the
 * replicator reconnects, resuming after the last confirmed write) only for the transient replies a
 * server gives while it cannot serve for a while — {@code LOADING}, {@code BUSY},
 * {@code MASTERDOWN}, {@code TRYAGAIN}, {@code CLUSTERDOWN}, {@code READONLY}; any other error
 * ({@code WRONGTYPE}, {@code OOM}, an out-of-range db …) would be answered again to the same
 * write, so it stops the replicator with this exception instead of looping.
 */
public class RedisCommandException extends RedisSinkException {
    private static final long serialVersionUID = 1L;
    private final String command;
    private final String key;
    private final int db;
    private final String error;

    /**
     * An error reply whose server is not known.
     *
     * @param command the command name
     * @param key the key the command concerned, or null
     * @param db the db the command ran in
     * @param error the error reply text
     */
    public RedisCommandException(String command, String key, int db, String error) {
        this(null, command, key, db, error);
    }

    /**
     * @param endpoint the target endpoint that answered ({@code host:port}), or null when unknown
     * @param command the command name
     * @param key the key the command concerned, or null
     * @param db the db the command ran in
     * @param error the error reply text
     */
    public RedisCommandException(String endpoint, String command, String key, int db, String error) {
        super(endpoint, "Redis " + (endpoint == null ? "" : endpoint + " ") + "rejected " + command
                + (key == null ? "" : " on key '" + key + "'") + " (db " + db + "): " + error, null);
        this.command = command;
        this.key = key;
        this.db = db;
        this.error = error;
    }

    /**
     * The command name.
     *
     * @return the command's name, upper case
     */
    public String command() {
        return command;
    }

    /**
     * The key the command concerned, or null.
     *
     * @return the key as text, or null for a command without one
     */
    public String key() {
        return key;
    }

    /**
     * The db the command ran in.
     *
     * @return the target db (0 on a cluster)
     */
    public int db() {
        return db;
    }

    /**
     * Whether the error is one a server gives only for a while (see the class description).
     *
     * @return true for {@code LOADING}, {@code BUSY}, {@code MASTERDOWN}, {@code TRYAGAIN},
     *     {@code CLUSTERDOWN} and {@code READONLY}
     */
    @Override
    public boolean isRetryable() {
        String code = error == null ? "" : error.split(" ", 2)[0];
        return switch (code) {
            case "LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "READONLY" -> true;
            default -> false;
        };
    }

    /**
     * The error reply text (e.g. {@code WRONGTYPE Operation against a key holding the wrong kind of value}).
     *
     * @return the message of the error reply, its code first
     */
    public String error() {
        return error;
    }
}
