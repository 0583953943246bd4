package io.df2redis.testkit;

import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dragonfly's back-pressure on writers in stable sync (spec §7.2): while a replica does not drain
 * its flow socket and the master's output for that flow reaches
 * {@code --replication_stream_output_limit}, the master's clients' writes to that shard do not
 * return; they do once the replica reads again, and nothing is lost or reordered.
 */
class WriteThrottleTest {
    private static final int WRITES = 800;
    private static final String VALUE = "v".repeat(16 * 1024);

    @Test
    void writesWaitWhileTheReplicaDoesNotDrainItsFlowAndGoOnWhenItDoes() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(1).start();
             TestReplica r = TestReplica.connect(m);
             RespClient client = RespClient.connect(m)) {
            r.fullSync();
            AtomicInteger done = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch finished = new CountDownLatch(1);
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < WRITES; i++) {
                        RespReply reply = client.call("SET", "k" + i, VALUE);
                        assertThat(reply).isNotInstanceOf(ErrorReply.class);
                        done.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                } finally {
                    finished.countDown();
                }
            }, "writer");
            writer.setDaemon(true);
            writer.start();
            // 12.5 MiB of journal while the replica reads nothing: far more than the socket buffers and
            // the 1 MiB output limit hold, so a write must be left waiting
            assertThat(finished.await(3, TimeUnit.SECONDS)).as("the writer is held back (%s writes returned)",
                    done.get()).isFalse();
            assertThat(done.get()).isLessThan(WRITES);
            assertThat(m.nextLsn(0) - 1).as("the held write was applied and journaled").isEqualTo(done.get() + 1);

            FlowReader f = r.flow(0);
            f.readUntil(x -> finished.getCount() == 0 && x.nextLsn() == WRITES + 1, Duration.ofSeconds(60));
            assertThat(failure.get()).isNull();
            assertThat(done.get()).isEqualTo(WRITES);
            assertThat(StableSyncTest.journal(f).stream().filter(x -> "COMMAND".equals(x.get("op"))).count())
                    .isEqualTo(WRITES);
            assertThat(TestReplica.str(client.call("GET", "k" + (WRITES - 1)))).isEqualTo(VALUE);
        }
    }
}
