package io.df2redis.replica;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** awaitFullSync returns only once the sink confirmed every snapshot event, even with a slow, asynchronous sink. */
class FullSyncCompletionIT {
    @Test
    void awaitFullSyncWaitsForTheSinksConfirmations() throws Exception {
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        AtomicLong submitted = new AtomicLong();
        AtomicLong confirmed = new AtomicLong();
        ReplicationSink slow = event -> {
            if (!(event instanceof SinkEvent.EntryEnd)) {
                return CompletableFuture.completedFuture(null);
            }
            submitted.incrementAndGet();
            CompletableFuture<Void> f = new CompletableFuture<>();
            later.schedule(() -> {
                confirmed.incrementAndGet();
                f.complete(null);
            }, 300, TimeUnit.MILLISECONDS);
            return (CompletionStage<Void>) f;
        };
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = Replicator.builder().source(m.host(), m.port()).sink(slow).build()) {
            for (int i = 0; i < 500; i++) {
                m.put(0, RdbKeyValue.of("k" + i, RdbValue.string("v")));
            }
            r.start();
            assertThat(r.awaitFullSync(Duration.ofSeconds(30))).isTrue();
            assertThat(submitted.get()).isEqualTo(500);
            assertThat(confirmed.get()).as("confirmed when awaitFullSync returned").isEqualTo(500);
        } finally {
            later.shutdownNow();
        }
    }
}
