package io.df2redis.replica;

/**
 * A snapshot of one flow's progress.
 *
 * @param flow flow index
 * @param bytesReceived bytes read from the master on this flow (all sessions)
 * @param entries snapshot keys decoded
 * @param journalEntries journal entries decoded (stable sync)
 * @param receivedLsn LSN of the last journal entry decoded (0 before stable sync)
 * @param appliedLsn the replica counter: next LSN not yet applied (what REPLCONF ACK reports)
 * @param ackedLsn the value of the last REPLCONF ACK sent
 * @param queuedBytes events decoded but not yet applied, in bytes (estimated)
 * @param maxQueuedBytes the highest {@code queuedBytes} seen
 * @param pauses how often reading was paused by back-pressure
 * @param pausedMillis total time reading was paused
 */
public record FlowStats(int flow, long bytesReceived, long entries, long journalEntries, long receivedLsn,
                        long appliedLsn, long ackedLsn, long queuedBytes, long maxQueuedBytes, long pauses,
                        long pausedMillis) {

    /**
     * Journal entries received but not yet applied.
     *
     * @return {@code receivedLsn + 1 - appliedLsn}, at least 0; 0 before stable sync
     */
    public long lagEntries() {
        return receivedLsn == 0 ? 0 : Math.max(0, receivedLsn + 1 - appliedLsn);
    }
}
