package io.df2redis.replica.internal;

import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.journal.JournalOp;
import io.df2redis.replica.DragonflyEndpoint;
import io.df2redis.replica.HandlerFailurePolicy;
import io.df2redis.replica.JournalEvent;
import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.ReplicationListener;
import io.df2redis.replica.ReplicatorOptions;
import io.df2redis.replica.SinkEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ACK bookkeeping shared by the applier (counts applied entries, asks for an ACK) and the
 * event loop (sends it, resets the count): with {@code ackEveryEntries = 1} and no periodic ACK,
 * every applied entry must be acknowledged, however the two threads interleave. A lost update
 * (the event loop clearing a request it never served) leaves an entry unacknowledged forever.
 */
class FlowPipelineAckTest {

    private static final class Context implements SessionContext {
        final ReplicatorOptions options = ReplicatorOptions.builder(DragonflyEndpoint.of("h", 1))
                .ackEveryEntries(1).ackInterval(Duration.ofHours(1)).build();
        final HandlerGuard guard = new HandlerGuard(HandlerFailurePolicy.fail());
        final AtomicLong stable = new AtomicLong();
        volatile ReplicationException failure;

        @Override
        public ReplicatorOptions options() {
            return options;
        }

        @Override
        public ReplicationListener listener() {
            return new ReplicationListener() {
            };
        }

        @Override
        public HandlerGuard guard() {
            return guard;
        }

        @Override
        public CompletionStage<Void> apply(SinkEvent event) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public List<HandlerRegistration> handlers() {
            return List.of();
        }

        @Override
        public GlobalCommandBarrier barrier() {
            return new GlobalCommandBarrier(1);
        }

        @Override
        public void flowFullSyncApplied(int flow) {
        }

        @Override
        public void flowStable(int flow) {
            stable.incrementAndGet();
        }

        @Override
        public void flowFailed(int flow, ReplicationException e) {
            failure = e;
        }

        @Override
        public void ackSoon(int flow) {
        }
    }

    private static FlowItem entry(long lsn) {
        JournalEntry e = new JournalEntry(JournalOp.COMMAND, 0, 0, 0, 1,
                List.of("SET".getBytes(StandardCharsets.UTF_8), ("k" + lsn).getBytes(StandardCharsets.UTF_8),
                        "v".getBytes(StandardCharsets.UTF_8)), lsn, true);
        return new FlowItem.Sink(new SinkEvent.Journal(0, new JournalEvent(0, lsn, false, e)), 64);
    }

    @Test
    void everyAppliedEntryIsAcknowledgedWhileTheTickerRunsConcurrently() throws Exception {
        Context ctx = new Context();
        FlowPipeline p = new FlowPipeline(0, 1, ctx);
        AtomicLong lastAck = new AtomicLong(-1);
        AtomicBoolean ticking = new AtomicBoolean(true);
        Thread ticker = new Thread(() -> {
            while (ticking.get()) {
                p.ackTick(lastAck::set); // the event loop's ACK task, as fast as it can run
            }
        }, "ticker");
        p.start();
        try {
            p.offer(new FlowItem.PartialStart(1, false));
            ticker.start();
            int rounds = 20_000;
            for (long lsn = 1; lsn <= rounds; lsn++) {
                p.offer(entry(lsn));
                long expected = lsn + 1;
                long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (lastAck.get() != expected) {
                    assertThat(System.nanoTime()).as("entry " + lsn + " acknowledged (applied " + p.applied()
                            + ", last ACK " + lastAck.get() + ")").isLessThan(deadline);
                    Thread.onSpinWait();
                }
            }
            assertThat(ctx.failure).isNull();
            assertThat(p.appliedEntries()).isEqualTo(rounds);
        } finally {
            ticking.set(false);
            p.stop();
            ticker.join(5000);
        }
    }
}
