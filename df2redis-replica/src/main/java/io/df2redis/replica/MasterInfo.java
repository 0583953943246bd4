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
