package io.df2redis.replica;

import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.ValueBatch;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A listener slower than the master: with PAUSE_READING the flow queues stay bounded, the stall
 * is reported and measured, and nothing is lost; with FAIL the session ends with a
 * SlowConsumerException.
 */
class SlowConsumerIT {
    private static final Path CASE = CapturedCaseReplicationIT.vectors()
            .resolve("dragonfly/v1.40.1/all-types-4shards-lz4-tagged");

    @Test
    void pauseReadingKeepsQueuesBoundedAndLosesNothing() throws Exception {
        long limit = 1L << 20;
        try (EmbeddedDragonflyMaster master = EmbeddedDragonflyMaster.replay(CASE)) {
            AtomicLong entries = new AtomicLong();
            AtomicLong elements = new AtomicLong();
            List<String> backpressure = new CopyOnWriteArrayList<>();
            ReplicationListener slow = new ReplicationListener() {
                @Override
                public void onValueBatch(int flow, RdbEntry entry, ValueBatch batch) {
                    elements.addAndGet(batch.size());
                    sleepMicros(1000);
                }

                @Override
                public void onEntryEnd(int flow, RdbEntry entry, EntrySummary summary) {
                    entries.incrementAndGet();
                }

                @Override
                public void onBackpressure(int flow, boolean paused, long queuedBytes) {
                    backpressure.add(flow + (paused ? " paused " : " resumed ") + queuedBytes);
                }
            };
            try (Replicator r = Replicator.builder().source(master.host(), master.port())
                    .options(o -> o.flowQueueMaxBytes(limit).slowConsumerPolicy(SlowConsumerPolicy.PAUSE_READING))
                    .listener(slow).build()) {
                r.start();
                assertThat(r.awaitStableSync(Duration.ofSeconds(120))).isTrue();
                ReplicationStats stats = r.stats();
                long maxQueued = stats.flows().stream().mapToLong(FlowStats::maxQueuedBytes).max().orElse(0);
                long pauses = stats.flows().stream().mapToLong(FlowStats::pauses).sum();
                // one socket read (and one decompressed 1 MiB blob) may land after the pause
                assertThat(maxQueued).as("queue bytes stay near the limit").isLessThan(limit + (6L << 20));
                assertThat(pauses).as("reading was paused").isPositive();
                assertThat(backpressure).anyMatch(s -> s.contains("paused"));
                System.out.println("slow consumer stats: " + stats.flows());
                assertThat(entries.get()).isEqualTo(expectedEntries());
            }
        }
    }

    @Test
    void failPolicyEndsTheSessionWithASlowConsumerError() throws Exception {
        try (EmbeddedDragonflyMaster master = EmbeddedDragonflyMaster.replay(CASE)) {
            List<ReplicationException> errors = new CopyOnWriteArrayList<>();
            ReplicationListener slow = new ReplicationListener() {
                @Override
                public void onValueBatch(int flow, RdbEntry entry, ValueBatch batch) {
                    sleepMicros(2000);
                }

                @Override
                public void onError(ReplicationException error) {
                    errors.add(error);
                }
            };
            try (Replicator r = Replicator.builder().source(master.host(), master.port())
                    .options(o -> o.flowQueueMaxBytes(1L << 20).slowConsumerPolicy(SlowConsumerPolicy.FAIL)
                            .reconnect(false))
                    .listener(slow).build()) {
                r.start();
                CapturedCaseReplicationIT.awaitTrue(() -> r.state() == ReplicationState.FAILED, "FAILED state");
                assertThat(r.failure()).isInstanceOf(SlowConsumerException.class);
                assertThat(errors).hasAtLeastOneElementOfType(SlowConsumerException.class);
            }
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

    private static void sleepMicros(long us) {
        try {
            Thread.sleep(us / 1000, (int) (us % 1000) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
