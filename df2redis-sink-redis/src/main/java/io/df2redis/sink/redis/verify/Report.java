package io.df2redis.sink.redis.verify;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a verification.
 *
 * @param sourceKeys keys scanned on the source (or digests read from a {@link SyncRecorder})
 * @param targetKeys keys scanned on the target, not counting ignored ones such as the sink's checkpoint (0 when
 *     verifying a digest)
 * @param keysCompared keys compared (type, TTL and, where possible, value)
 * @param differences the differences found (at most {@link VerifyOptions#maxDifferences()})
 * @param notCompared keys whose value could not be compared, by reason (their type and TTL were)
 * @param vanished keys that disappeared from the source while being compared (expired, deleted)
 * @param transientDifferences keys that differed at first but not when re-checked
 * @param changedByLiveWrites digest keys that live writes may have changed, compared against the
 *     source instead (or, without a source, counted in {@code notCompared})
 * @param notRecorded snapshot keys the {@link SyncRecorder} did not record (over its limits)
 * @param complete false when verification stopped at {@link VerifyOptions#maxDifferences()}
 */
public record Report(long sourceKeys, long targetKeys, long keysCompared, List<Difference> differences,
                     Map<String, Long> notCompared, long vanished, long transientDifferences,
                     long changedByLiveWrites, long notRecorded, boolean complete) {
    /**
     * Copies the differences and the not-compared counts (both unmodifiable).
     *
     * @param sourceKeys keys scanned on the source (or digests read from a {@link SyncRecorder})
     * @param targetKeys keys scanned on the target (0 when verifying a digest)
     * @param keysCompared keys compared (type, TTL and, where possible, value)
     * @param differences the differences found
     * @param notCompared keys whose value could not be compared, by reason
     * @param vanished keys that disappeared from the source while being compared
     * @param transientDifferences keys that differed at first but not when re-checked
     * @param changedByLiveWrites digest keys that live writes may have changed
     * @param notRecorded snapshot keys the {@link SyncRecorder} did not record
     * @param complete false when verification stopped at {@link VerifyOptions#maxDifferences()}
     */
    public Report {
        differences = List.copyOf(differences);
        notCompared = Map.copyOf(notCompared);
    }

    /**
     * No difference found, and every key was looked at.
     *
     * @return true when the target matches: no difference and not stopped early
     */
    public boolean equal() {
        return differences.isEmpty() && complete;
    }

    /**
     * Keys whose value was not compared, all reasons together.
     *
     * @return the sum of {@link #notCompared()}
     */
    public long notComparedCount() {
        return notCompared.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * A one-line summary.
     *
     * @return every count of this report in one sentence, for logs and the command line
     */
    public String summary() {
        return String.format("%d source keys, %d target keys, %d compared, %d differences%s, %d not compared by"
                        + " value, %d vanished during the scan, %d transient differences, %d changed by live writes,"
                        + " %d not recorded", sourceKeys, targetKeys, keysCompared, differences.size(),
                complete ? "" : " (stopped at the limit)", notComparedCount(), vanished, transientDifferences,
                changedByLiveWrites, notRecorded);
    }
}
