package io.df2redis.replica;

import java.time.Duration;

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
 * @param pauses how often reading was paused by back-pressure (a full queue under
 *     {@link SlowConsumerPolicy#PAUSE_READING}, a full spill budget, or a spill disk slower than
 *     the network)
 * @param pausedMillis total time reading was paused
 * @param spilledBytes bytes read from the master and spilled to disk ({@link SlowConsumerPolicy#SPILL})
 *     that were not decoded yet: what the flow holds on disk or on its way there (this session)
 * @param spilledBytesTotal every byte this flow spilled in this session
 * @param oldestSpilled how long ago the oldest of the {@code spilledBytes} arrived; zero when
 *     nothing is spilled
 * @param appliedBytes events the sink confirmed (and those the policies skipped), in bytes: the
 *     same estimate as {@code queuedBytes}, snapshot and journal, this session
 * @param lag how long ago the oldest journal entry received and not applied arrived (the journal
 *     carries no write time); zero when every entry received is applied. Measured per socket read,
 *     to 1 ms; entries still in the spill are not decoded and not counted ({@code oldestSpilled})
 */
public record FlowStats(int flow, long bytesReceived, long entries, long journalEntries, long receivedLsn,
                        long appliedLsn, long ackedLsn, long queuedBytes, long maxQueuedBytes, long pauses,
                        long pausedMillis, long spilledBytes, long spilledBytesTotal, Duration oldestSpilled,
                        long appliedBytes, Duration lag) {

    /**
     * Journal entries decoded but not yet applied. Entries still in the spill are not decoded and
     * not counted: {@link #spilledBytes()} and {@link #oldestSpilled()} tell how far behind that is.
     *
     * @return the lag in entries
     */
    public long lagEntries() {
        return receivedLsn == 0 ? 0 : Math.max(0, receivedLsn + 1 - appliedLsn);
    }
}
