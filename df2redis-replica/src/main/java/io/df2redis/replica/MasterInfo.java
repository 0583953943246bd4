package io.df2redis.replica;

/**
 * What the handshake learnt about the master.
 *
 * @param masterId the master's replication id (40 hex characters)
 * @param syncId the session id ({@code SYNC<n>})
 * @param flowCount number of flows (= master shards)
 * @param protocolVersion the DflyVersion number of the capa reply (ambiguous across releases, spec §1.3), -1 if absent
 * @param lineageId the lineage id (v1.40+), else equal to {@code masterId}
 * @param release the exact release from {@code INFO SERVER} (e.g. {@code df-v1.40.1}), or "" if unknown
 */
public record MasterInfo(String masterId, String syncId, int flowCount, int protocolVersion, String lineageId,
                         String release) {

    /**
     * Whether a replicator resumes from this master's release with a partial sync (spec §6.2):
     * v1.16–v1.20 and v1.31–v1.34 (an incremental snapshot after {@code DFLY SYNC}) and v1.35+ (the
     * raw journal); v1.21–v1.30 always answer FULL, and an unknown release is not asked.
     *
     * @return true when a resume can avoid a full sync
     */
    public boolean supportsPartialSync() {
        return io.df2redis.replica.internal.SyncForm.partialFormOf(this).partial();
    }

    /**
     * The release's major and minor version.
     *
     * @return {@code {major, minor}} ({@code {1, 40}} for {@code df-v1.40.1}), or {@code {0, 0}} when unknown
     */
    public int[] releaseVersion() {
        String r = release.startsWith("df-v") ? release.substring(4) : release.startsWith("v") ? release.substring(1)
                : release;
        String[] parts = r.split("[.-]");
        try {
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (RuntimeException e) {
            return new int[] {0, 0};
        }
    }
}
