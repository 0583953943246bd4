package io.df2redis.sink.redis.internal;

import io.df2redis.sink.redis.KeyConflictException;
import io.df2redis.sink.redis.KeyConflictPolicy;
import io.df2redis.sink.redis.RedisSinkOptions;
import io.df2redis.sink.redis.RedisSinkStats;
import io.df2redis.sink.redis.UnsupportedData;
import io.df2redis.sink.redis.UnsupportedDataException;
import io.df2redis.sink.redis.UnsupportedDataPolicy;
import io.df2redis.sink.redis.internal.cluster.ClusterRouter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a {@code RedisSink} counts and remembers across its sessions, and what its
 * {@link FlowWriter}s report to ({@link FlowWriter.Host}): commands, errors, unsupported data
 * under the {@link UnsupportedDataPolicy}, the dbs written, and the state of the current full sync.
 *
 * <p>Thread ownership: thread-safe. The counters are {@link LongAdder}s and {@code skipped} a
 * concurrent map, updated by every flow applier and the event loops; {@code skippedKeys} is
 * guarded by its own monitor; {@code writtenDbs} is a concurrent set filled by every applier;
 * {@code claimed} and {@code snapshotIntoEmpty} are written only by the thread that applies a
 * full-sync start (the replicator's session thread, while no flow applies anything) and read by
 * the appliers (volatile).
 */
public final class SinkState implements FlowWriter.Host {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("io.df2redis.sink.redis.RedisSink");
    private final RedisSinkOptions options;
    /** Every command sent, connection set-up included (the benchmark harness compares it with Redis's count). */
    public final LongAdder commands = new LongAdder();
    /** Commands that failed or were refused. */
    public final LongAdder errors = new LongAdder();
    /** The sink's rate limits, shared by every connection it opens; counts commands and bytes sent. */
    public final Throttle throttle;
    private final LongAdder dfMask = new LongAdder();
    private final Map<String, LongAdder> skipped = new ConcurrentHashMap<>();
    private final List<UnsupportedData> skippedKeys = Collections.synchronizedList(new ArrayList<>());
    private final Set<Integer> writtenDbs = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean conflictLogged = new AtomicBoolean();
    private volatile boolean claimed;
    private volatile boolean snapshotIntoEmpty;

    /** @param options the sink's options (the unsupported-data policy and its callback) */
    public SinkState(RedisSinkOptions options) {
        this.options = options;
        this.throttle = new Throttle(options.maxOpsPerSecond(), options.maxBytesPerSecond());
    }

    /** The counters now; the cluster figures from {@code router}, or 0 without one. */
    public RedisSinkStats stats(ClusterRouter router, long inFlight) {
        Map<String, Long> by = new LinkedHashMap<>();
        skipped.forEach((k, v) -> by.put(k, v.sum()));
        List<UnsupportedData> keys;
        synchronized (skippedKeys) {
            keys = List.copyOf(skippedKeys);
        }
        ClusterRouter r = router;
        return new RedisSinkStats(commands.sum(), errors.sum(), Map.copyOf(by), keys, dfMask.sum(),
                r == null ? 0 : r.moved(), r == null ? 0 : r.asked(), r == null ? 0 : r.retried(),
                r == null ? 0 : r.refreshes(), throttle.maxOpsPerSecond(), throttle.maxBytesPerSecond(),
                throttle.waitedNanos(), throttle.bytesSent(), throttle.operationsSent(), inFlight);
    }

    @Override
    public RuntimeException unsupported(UnsupportedData d) {
        if (options.unsupportedDataPolicy() == UnsupportedDataPolicy.FAIL) {
            return new UnsupportedDataException(d);
        }
        record(d);
        if (options.unsupportedDataPolicy() == UnsupportedDataPolicy.CALLBACK) {
            options.unsupportedDataCallback().onUnsupported(d.key(), d.db(), d.type(), d.reason());
        }
        return null;
    }

    private void record(UnsupportedData d) {
        skipped.computeIfAbsent(d.reason(), k -> new LongAdder()).increment();
        synchronized (skippedKeys) {
            if (skippedKeys.size() < options.maxRecordedSkips()) {
                skippedKeys.add(d);
            }
        }
    }

    @Override
    public KeyConflictPolicy keyConflictPolicy() {
        return options.keyConflictPolicy();
    }

    @Override
    public RuntimeException keyConflict(String endpoint, UnsupportedData d) {
        if (options.keyConflictPolicy() == KeyConflictPolicy.FAIL) {
            return KeyConflictException.keyExists(endpoint, d.keyAsString(), d.db());
        }
        record(d);
        if (conflictLogged.compareAndSet(false, true)) {
            LOG.info("{}: the target already held {}; kept it (KeyConflictPolicy.KEEP_TARGET). Further kept keys are "
                    + "counted in the sink's stats (skipped, reason {}), not logged", endpoint, d,
                    UnsupportedData.REASON_KEY_CONFLICT);
        } else {
            LOG.debug("{}: kept the target's {}", endpoint, d);
        }
        return null;
    }

    @Override
    public void dfMaskIgnored() {
        dfMask.increment();
    }

    @Override
    public void commandFailed(Throwable t) {
        errors.increment();
    }

    @Override
    public boolean snapshotIntoEmpty() {
        return snapshotIntoEmpty;
    }

    @Override
    public void wrote(int targetDb) {
        if (!writtenDbs.contains(targetDb)) {
            writtenDbs.add(targetDb);
        }
    }

    /** Whether this sink sent commands into target db {@code db} in its lifetime. */
    boolean hasWritten(int db) {
        return writtenDbs.contains(db);
    }

    /** Whether a full sync passed the target policy once in this sink's lifetime. */
    boolean claimed() {
        return claimed;
    }

    /** Records a full sync that passed the policy; {@code intoEmpty}: its dbs are empty or flushed. */
    void fullSyncStarted(boolean intoEmpty) {
        snapshotIntoEmpty = intoEmpty;
        claimed = true;
    }
}
