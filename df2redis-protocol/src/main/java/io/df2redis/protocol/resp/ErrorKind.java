package io.df2redis.protocol.resp;

/**
 * The class of an {@link ErrorReply}, taken from its first word (the error code). Codes this
 * library does not know map to {@link #OTHER}.
 */
public enum ErrorKind {
    /** Generic error ({@code ERR ...}). */
    ERR,
    /** Cluster redirect: the slot lives elsewhere permanently. */
    MOVED,
    /** Cluster redirect: ask another node for this one command (slot migration). */
    ASK,
    /** Authentication required. */
    NOAUTH,
    /** Bad user name or password. */
    WRONGPASS,
    /** The user lacks an ACL permission. */
    NOPERM,
    /** The server is still loading its dataset. */
    LOADING,
    /** Multi-key command on a migrating slot; retry later. */
    TRYAGAIN,
    /** The cluster is down. */
    CLUSTERDOWN,
    /** The master link is down and stale reads are refused. */
    MASTERDOWN,
    /** Write command sent to a read-only replica. */
    READONLY,
    /** A script or function is running. */
    BUSY,
    /** {@code EVALSHA} of an unknown script. */
    NOSCRIPT,
    /** Memory limit reached. */
    OOM,
    /** Operation against a key holding the wrong kind of value. */
    WRONGTYPE,
    /** A transaction was discarded because of previous errors. */
    EXECABORT,
    /** Keys of one command hash to different slots. */
    CROSSSLOT,
    /** Any other code. */
    OTHER;

    /**
     * The kind for an error code (the first word of the error text), compared exactly (codes are
     * upper case on the wire).
     *
     * @param code the error code
     * @return the kind, {@link #OTHER} for an unknown code
     */
    public static ErrorKind fromCode(String code) {
        return switch (code) {
            case "ERR" -> ERR;
            case "MOVED" -> MOVED;
            case "ASK" -> ASK;
            case "NOAUTH" -> NOAUTH;
            case "WRONGPASS" -> WRONGPASS;
            case "NOPERM" -> NOPERM;
            case "LOADING" -> LOADING;
            case "TRYAGAIN" -> TRYAGAIN;
            case "CLUSTERDOWN" -> CLUSTERDOWN;
            case "MASTERDOWN" -> MASTERDOWN;
            case "READONLY" -> READONLY;
            case "BUSY" -> BUSY;
            case "NOSCRIPT" -> NOSCRIPT;
            case "OOM" -> OOM;
            case "WRONGTYPE" -> WRONGTYPE;
            case "EXECABORT" -> EXECABORT;
            case "CROSSSLOT" -> CROSSSLOT;
            default -> OTHER;
        };
    }

    /**
     * Whether this is a cluster redirect ({@link #MOVED} or {@link #ASK}).
     *
     * @return true for {@link #MOVED} and {@link #ASK}
     */
    public boolean isRedirect() {
        return this == MOVED || this == ASK;
    }
}
