package io.df2redis.testkit;

/**
 * The Dragonfly release an {@link EmbeddedDragonflyMaster} imitates. The differences follow the
 * captures of real masters (protocol spec §16 for v1.30.3, §15 for v1.40.1).
 */
public enum ReleaseProfile {
    /**
     * Dragonfly v1.30.3: capa reply {@code *4} with version {@code :4}; AUX fields up to
     * {@code aof-preamble}; small hashes/zsets as ziplists (types 13/12); bloom filters as type 33;
     * no tagged chunks; expiry journaled as EXPIRED (opcode 9); the real {@code shard_cnt};
     * partial sync never offered (a FLOW with an LSN answers FULL); STARTSTABLE only after SYNC;
     * replication backlog of 1024 items.
     */
    V1_30("df-v1.30.3", 4, 1024),
    /**
     * Dragonfly v1.40.1: capa reply {@code *5} with version {@code :5} and the lineage id; AUX
     * {@code shard-count}/{@code table-mem} on flow 0 and {@code shard-id} on every flow; small
     * hashes/zsets as listpacks (types 16/17); tagged chunks by default; expiry journaled as
     * {@code COMMAND DEL}; {@code shard_cnt} always 1; partial sync without {@code DFLY SYNC};
     * replication backlog of 8192 items.
     */
    V1_40("df-v1.40.1", 5, 8192);

    private final String dragonflyVersion;
    private final int dflyVersion;
    private final int defaultBacklogLength;

    ReleaseProfile(String dragonflyVersion, int dflyVersion, int defaultBacklogLength) {
        this.dragonflyVersion = dragonflyVersion;
        this.dflyVersion = dflyVersion;
        this.defaultBacklogLength = defaultBacklogLength;
    }

    /** What {@code INFO SERVER} reports as {@code dragonfly_version} and AUX {@code df-ver} carries. */
    public String dragonflyVersion() {
        return dragonflyVersion;
    }

    /** The DflyVersion number of the capa reply (element 4). */
    public int dflyVersion() {
        return dflyVersion;
    }

    /** Default of {@code --shard_repl_backlog_len} (journal items kept per shard for partial sync). */
    public int defaultBacklogLength() {
        return defaultBacklogLength;
    }

    /** Whether this release can send TAGGED_CHUNK records. */
    public boolean supportsTaggedChunks() {
        return this == V1_40;
    }

    /** Whether a same-master reconnect with a known LSN gets a PARTIAL sync. */
    public boolean supportsPartialSync() {
        return this == V1_40;
    }
}
