package io.df2redis.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI-sized bounded-memory check (the full-size runs are {@link BoundedMemoryHarness}): 1 M keys
 * from a {@link SyntheticMaster} in its own JVM, synced by a listener-only replicator in a child JVM
 * with {@code -Xmx64m} whose listener stops for 3 s once per flow, so that the queues fill up. It must complete with every key, and the live heap (after a forced full GC)
 * at 25, 50, 75 and 100 % must stay under 40 MiB: the queues take at most a quarter of the heap
 * (16 MiB), whereas keeping ~50 bytes per synced key would reach 50 MiB by the end. Before the
 * queue limit followed the heap, the queues could grow to 2 x 64 MiB (estimated) in this heap.
 */
class BoundedMemoryIT {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void millionKeysInSixtyFourMebibytes() throws Exception {
        List<String> master = List.of("--keys", "1000000", "--flows", "2");
        SyntheticDataset ds = SyntheticMaster.parse(master.toArray(String[]::new));
        Map<String, String> r = BoundedMemoryHarness.runOnce(ds, master, "64m", null, dir.resolve("listener"),
                List.of("--stall-ms", "3000"));

        assertThat(r).containsEntry("exit", "0").containsEntry("completed", "true")
                .containsEntry("entries", "1000000");
        for (String q : List.of("live_25", "live_50", "live_75", "live_100")) {
            assertThat(Long.parseLong(r.get(q))).as(q + " (bytes)").isLessThan(40 * MIB);
        }
        assertThat(Long.parseLong(r.get("live_100"))).as("live heap at the end").isLessThan(24 * MIB);
    }
}
