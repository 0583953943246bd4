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
     * Dragonfly v1.34.2 (from its source, {@code dflycmd.cc}, {@code snapshot.cc},
     * {@code rdb_save.cc}, {@code version.h} at v1.34.x; no capture): capa reply {@code *4} with
     * version {@code :4} (VER5); AUX {@code shard-count}/{@code table-mem} on flow 0 and
     * {@code shard-id} on every flow (since v1.32); small hashes/zsets as listpacks; bloom filters
     * as type 33; no tagged chunks; expiry journaled as EXPIRED; the real {@code shard_cnt};
     * partial sync in the incremental form: a FLOW with an LSN in the backlog answers PARTIAL,
     * {@code DFLY SYNC} is still required and then sends, per partial flow, the RDB header and AUX,
     * the missed items as JOURNAL_BLOBs, FULLSYNC_END and later items as more blobs; STARTSTABLE
     * (only after SYNC) ends it with JOURNAL_OFFSET, EOF, checksum and the eof token. An item
     * evicted between FLOW and SYNC cancels the session ("Partial sync was unsuccessful…").
     * Replication backlog of 8192 items (the default since v1.34). The journal rewrites of commands
     * whose change between v1.30 and v1.40 was not located follow v1.40; the commands that appeared
     * in v1.38–v1.40 (CMS, TOPK, CF, WAIT) do not exist.
     */
    V1_34("df-v1.34.2", 4, 8192),
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
        return this == V1_34 || this == V1_40;
    }

    /**
     * Whether a PARTIAL flow still needs {@code DFLY SYNC} and then carries an incremental RDB
     * stream (v1.16–v1.20, v1.31–v1.34); false on v1.35+, which send the raw journal after
     * {@code DFLY STARTSTABLE} and reject {@code DFLY SYNC} (v1.40).
     */
    public boolean incrementalPartialSync() {
        return this == V1_34;
    }

    /** Whether expired keys are journaled as EXPIRED (opcode 9, up to v1.37) rather than {@code COMMAND DEL}. */
    public boolean journalsExpiredOpcode() {
        return this != V1_40;
    }

    /** Whether journal entries carry the real {@code shard_cnt} (up to v1.37) rather than 1. */
    public boolean journalsRealShardCount() {
        return this != V1_40;
    }

    /** Whether the AUX header has {@code shard-count}, {@code table-mem} (flow 0) and {@code shard-id} (v1.32+). */
    public boolean auxShardFields() {
        return this != V1_30;
    }

    /** Whether the capa reply has a fifth element, the lineage id (v1.40+). */
    public boolean capaLineageId() {
        return this == V1_40;
    }
}
