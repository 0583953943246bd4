package io.df2redis.testkit;

/** Master-side state of a replication session (protocol spec §3.1). */
public enum SessionState {
    /** Created by {@code REPLCONF capa dragonfly}; flows register with {@code DFLY FLOW}. */
    PREPARATION,
    /** After {@code DFLY SYNC}: the flows carry their snapshots. */
    FULL_SYNC,
    /** After {@code DFLY STARTSTABLE}: the flows carry the journal. */
    STABLE_SYNC,
    /** A connection of the session closed (or the master restarted); its flows were closed. */
    CANCELLED
}
