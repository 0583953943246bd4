package io.df2redis.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;

/**
 * Heap used after garbage collection, against the progress of a run. Two views:
 * <ul>
 *   <li>every collection the JVM makes by itself (GC notifications): the heap occupied right after
 *       it, attributed to the quarter of the run (by {@code progress}) in which it happened; the
 *       maximum per quarter and overall;</li>
 *   <li>{@link #liveNow()}: a full collection forced at a chosen moment, then the heap used, which
 *       is the live set at that moment.</li>
 * </ul>
 */
final class HeapTracker {
    private final DoubleSupplier progress;
    private final Set<String> heapPools;
    private final long[] maxAfterGcPerQuarter = new long[4];
    private volatile long maxAfterGc;
    private volatile long collections;
    private volatile long fullCollections;

    HeapTracker(DoubleSupplier progress) {
        this.progress = progress;
        this.heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(p -> p.getName()).collect(Collectors.toSet());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    onGc(GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()));
                }
            }, null, null);
        }
    }

    private synchronized void onGc(GarbageCollectionNotificationInfo info) {
        long after = 0;
        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(e.getKey())) {
                after += e.getValue().getUsed();
            }
        }
        collections++;
        if (info.getGcAction().contains("major")) {
            fullCollections++;
        }
        int q = (int) Math.min(3, Math.max(0, progress.getAsDouble() * 4));
        maxAfterGcPerQuarter[q] = Math.max(maxAfterGcPerQuarter[q], after);
        maxAfterGc = Math.max(maxAfterGc, after);
    }

    /** Forces a full collection and returns the heap used right after it (the live set). */
    long liveNow() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Highest heap occupancy after any collection so far. */
    long maxAfterGc() {
        return maxAfterGc;
    }

    /** Highest heap occupancy after a collection in quarter {@code q} (0–3) of the run. */
    synchronized long maxAfterGc(int q) {
        return maxAfterGcPerQuarter[q];
    }

    /** Collections so far (young, mixed and full). */
    long collections() {
        return collections;
    }

    /** Full ("end of major GC") collections so far, forced ones included. */
    long fullCollections() {
        return fullCollections;
    }
}
