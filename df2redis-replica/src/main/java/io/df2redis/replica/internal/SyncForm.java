package io.df2redis.replica.internal;

import io.df2redis.replica.MasterInfo;

/**
 * How a session gets the master's data (spec §3.2, §6.2): a full sync, or one of the two forms of
 * a partial sync a Dragonfly release offers after every flow answered {@code PARTIAL}. Immutable.
 */
public enum SyncForm {
    /** A snapshot after {@code DFLY SYNC}: the target is emptied first. */
    FULL,
    /**
     * v1.16–v1.20 and v1.31–v1.34: {@code DFLY SYNC} is still sent; each flow carries an
     * "incremental" RDB stream (header, AUX, the missed journal items as JOURNAL_BLOBs,
     * FULLSYNC_END, more blobs, and at {@code DFLY STARTSTABLE} JOURNAL_OFFSET, EOF, checksum,
     * eof token) and then the journal. Nothing is emptied.
     */
    INCREMENTAL,
    /** v1.35+: no {@code DFLY SYNC}; after {@code DFLY STARTSTABLE} the raw journal from the LSN asked for. */
    RAW_JOURNAL;

    /**
     * Whether this is a partial sync (nothing is emptied, the applied LSNs continue).
     *
     * @return true for {@link #INCREMENTAL} and {@link #RAW_JOURNAL}
     */
    public boolean partial() {
        return this != FULL;
    }

    /**
     * The partial-sync form of {@code master}'s release, or {@link #FULL} when it offers none
     * (v1.21–v1.30 always answer FULL; releases before v1.16 and unknown releases are not asked).
     *
     * @param master the master
     * @return its partial-sync form
     */
    public static SyncForm partialFormOf(MasterInfo master) {
        int[] v = master.releaseVersion();
        if (v[0] > 1 || (v[0] == 1 && v[1] >= 35)) {
            return RAW_JOURNAL;
        }
        if (v[0] == 1 && ((v[1] >= 16 && v[1] <= 20) || (v[1] >= 31 && v[1] <= 34))) {
            return INCREMENTAL;
        }
        return FULL;
    }
}
