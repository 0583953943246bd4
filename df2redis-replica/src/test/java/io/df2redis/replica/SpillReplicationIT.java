package io.df2redis.replica;

import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.ValueBatch;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A listener slower than the master with {@link SlowConsumerPolicy#SPILL}: the flows never pause
 * reading, the surplus goes to disk and comes back in order (every entry arrives, decoded from the
 * same bytes), and the spill directory is empty once the replicator stopped. With a disk budget
 * too small for the surplus: {@code whenFull} FAIL stops the replicator with a
 * {@link SpillFullException} (not retried), PAUSE_READING pauses reading and still loses nothing.
 */
class SpillReplicationIT {
    private static final Path CASE = CapturedCaseReplicationIT.vectors()
            .resolve("dragonfly/v1.40.1/all-types-4shards-lz4-tagged");
    private static final long LIMIT = 1L << 20;

    @Test
    void aSlowConsumerMakesTheFlowsSpillInsteadOfPausingAndNothingIsLost(@TempDir Path dir) throws Exception {
        try (EmbeddedDragonflyMaster master = EmbeddedDragonflyMaster.replay(CASE)) {
            Slow slow = new Slow(1000);
            SpillOptions spill = SpillOptions.builder().directory(dir.resolve("spill")).build();
            try (Replicator r = Replicator.builder().source(master.host(), master.port())
                    .options(o -> o.flowQueueMaxBytes(LIMIT).spillOptions(spill)).listener(slow).build()) {
                r.start();
                assertThat(r.awaitStableSync(Duration.ofSeconds(120))).isTrue();
                ReplicationStats stats = r.stats();
                System.out.println("spill stats: " + stats.flows());
                long spilled = stats.flows().stream().mapToLong(FlowStats::spilledBytesTotal).sum();
                long pauses = stats.flows().stream().mapToLong(FlowStats::pauses).sum();
                long maxQueued = stats.flows().stream().mapToLong(FlowStats::maxQueuedBytes).max().orElse(0);
                assertThat(spilled).as("bytes spilled").isPositive();
                assertThat(pauses).as("reading never paused").isZero();
                assertThat(slow.backpressure).isEmpty();
                assertThat(maxQueued).as("queue bytes stay near the limit").isLessThan(LIMIT + (6L << 20));
                CapturedCaseReplicationIT.awaitTrue(() -> r.stats().totalSpilledBytes() == 0, "every spilled byte fed back");
                assertThat(r.stats().oldestSpilled()).isEqualTo(Duration.ZERO);
                assertThat(slow.entries.get()).isEqualTo(expectedEntries());
                assertThat(r.stats().sessions()).isEqualTo(1);
            }
            assertThat(segments(dir.resolve("spill"))).as("no spill file left after close").isEmpty();
        }
    }

    @Test
    void aFullSpillFailsTheReplicatorWhenSoConfigured(@TempDir Path dir) throws Exception {
        try (EmbeddedDragonflyMaster master = EmbeddedDragonflyMaster.replay(CASE)) {
            Slow slow = new Slow(5000);
            SpillOptions spill = SpillOptions.builder().directory(dir).maxBytes(SpillOptions.Builder.MIN_BYTES)
                    .whenFull(SlowConsumerPolicy.FAIL).build();
            try (Replicator r = Replicator.builder().source(master.host(), master.port())
                    .options(o -> o.flowQueueMaxBytes(LIMIT).spillOptions(spill)).listener(slow).build()) {
                r.start();
                CapturedCaseReplicationIT.awaitTrue(() -> r.state() == ReplicationState.FAILED, "FAILED state");
                assertThat(r.failure()).isInstanceOf(SpillFullException.class)
                        .hasMessageContaining("spill budget of " + SpillOptions.Builder.MIN_BYTES)
                        .hasMessageContaining(dir.toString()).hasMessageContaining("SpillOptions.maxBytes");
                assertThat(r.stats().sessions()).as("not retried").isEqualTo(1);
                assertThat(slow.errors).hasAtLeastOneElementOfType(SpillFullException.class);
            }
            assertThat(segments(dir)).isEmpty();
        }
    }

    @Test
    void aFullSpillPausesReadingAndLosesNothing(@TempDir Path dir) throws Exception {
        try (EmbeddedDragonflyMaster master = EmbeddedDragonflyMaster.replay(CASE)) {
            Slow slow = new Slow(1000);
            SpillOptions spill = SpillOptions.builder().directory(dir).maxBytes(SpillOptions.Builder.MIN_BYTES).build();
            try (Replicator r = Replicator.builder().source(master.host(), master.port())
                    .options(o -> o.flowQueueMaxBytes(LIMIT).spillOptions(spill)).listener(slow).build()) {
                r.start();
                assertThat(r.awaitStableSync(Duration.ofSeconds(120))).isTrue();
                ReplicationStats stats = r.stats();
                System.out.println("full spill stats: " + stats.flows());
                assertThat(stats.flows().stream().mapToLong(FlowStats::pauses).sum()).as("paused when full")
                        .isPositive();
                assertThat(stats.flows().stream().mapToLong(FlowStats::spilledBytesTotal).sum()).isPositive();
                assertThat(slow.backpressure).anyMatch(s -> s.contains("paused"));
                assertThat(slow.entries.get()).isEqualTo(expectedEntries());
            }
            assertThat(segments(dir)).isEmpty();
        }
    }

    @Test
    void stopAppliesWhatWasSpilledWithinTheDrainTimeout(@TempDir Path dir) throws Exception {
        try (EmbeddedDragonflyMaster master = EmbeddedDragonflyMaster.replay(CASE)) {
            Slow slow = new Slow(1000);
            SpillOptions spill = SpillOptions.builder().directory(dir).build();
            Replicator r = Replicator.builder().source(master.host(), master.port())
                    .options(o -> o.flowQueueMaxBytes(LIMIT).spillOptions(spill).drainTimeout(Duration.ofMinutes(2)))
                    .listener(slow).build();
            r.start();
            CapturedCaseReplicationIT.awaitTrue(() -> r.stats().totalSpilledBytes() > (1L << 20), "a spill under way");
            r.stop();
            ReplicationStats after = r.stats();
            System.out.println("after stop: " + after.flows());
            assertThat(after.totalSpilledBytes()).as("everything spilled was fed back before the session ended")
                    .isZero();
            assertThat(after.totalQueuedBytes()).as("and applied").isZero();
            assertThat(segments(dir)).isEmpty();
        }
    }

    @Test
    void stopDropsTheRestOfTheSpillWhenTheDrainTimeoutPasses(@TempDir Path dir) throws Exception {
        try (EmbeddedDragonflyMaster master = EmbeddedDragonflyMaster.replay(CASE)) {
            Slow slow = new Slow(50_000);
            SpillOptions spill = SpillOptions.builder().directory(dir).build();
            Replicator r = Replicator.builder().source(master.host(), master.port())
                    .options(o -> o.flowQueueMaxBytes(LIMIT).spillOptions(spill).drainTimeout(Duration.ofMillis(300)))
                    .listener(slow).build();
            r.start();
            CapturedCaseReplicationIT.awaitTrue(() -> r.stats().totalSpilledBytes() > (1L << 20), "a spill under way");
            r.stop();
            assertThat(r.state()).isEqualTo(ReplicationState.STOPPED);
            assertThat(r.stats().totalSpilledBytes()).as("not waited for").isPositive();
            assertThat(segments(dir)).as("the rest of the spill discarded").isEmpty();
        }
    }

    /** A listener that takes {@code micros} per value batch. */
    private static final class Slow implements ReplicationListener {
        final AtomicLong entries = new AtomicLong();
        final List<String> backpressure = new CopyOnWriteArrayList<>();
        final List<ReplicationException> errors = new CopyOnWriteArrayList<>();
        private final long micros;

        Slow(long micros) {
            this.micros = micros;
        }

        @Override
        public void onValueBatch(int flow, RdbEntry entry, ValueBatch batch) {
            try {
                Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onEntryEnd(int flow, RdbEntry entry, EntrySummary summary) {
            entries.incrementAndGet();
        }

        @Override
        public void onBackpressure(int flow, boolean paused, long queuedBytes) {
            backpressure.add(flow + (paused ? " paused " : " resumed ") + queuedBytes);
        }

        @Override
        public void onError(ReplicationException error) {
            errors.add(error);
        }
    }

    private static List<Path> segments(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".seg")).toList();
        }
    }

    private static long expectedEntries() throws Exception {
        com.fasterxml.jackson.databind.JsonNode d = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(CapturedCaseReplicationIT.read(CASE, "decoded.json"));
        long n = 0;
        for (com.fasterxml.jackson.databind.JsonNode f : d.get("flows")) {
            n += f.get("stats").get("entries").asLong();
        }
        return n;
    }
}
