package io.df2redis.replica;

import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.ValueBatch;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static io.df2redis.replica.CapturedCaseReplicationIT.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One handler-failure policy for every kind of host code the replicator runs — journal handlers,
 * listener data and session callbacks, the sink (throwing, or its stage failing later) — against
 * the embedded master: the default stops in FAILED with a {@link HandlerException}, does not
 * reconnect and never acknowledges the failed entry; retry calls again with exponential back-off
 * then fails; skip hands the failure to the dead-letter handler and goes on. Informational
 * callbacks that throw are ignored.
 */
class HandlerFailurePolicyIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Keys with one hash tag live on one shard: the test writes them in a known LSN order. */
    // three keys on one shard of a 2-shard master (Dragonfly shards by the whole key, hash tags or not)
    private static final String BEFORE = sameShard("before");
    private static final String BOOM = sameShard("boom");
    private static final String AFTER = sameShard("after");

    /** {@code name} with the first numeric suffix that puts it on shard 0 of 2. */
    private static String sameShard(String name) {
        io.df2redis.testkit.internal.Sharding sharding = new io.df2redis.testkit.internal.Sharding(2);
        for (int i = 0; ; i++) {
            String k = name + i;
            if (sharding.shardOf(k.getBytes(java.nio.charset.StandardCharsets.UTF_8)) == 0) {
                return k;
            }
        }
    }

    /** Records what the informational callbacks report. */
    static class Recorder implements ReplicationListener {
        final List<ReplicationException> errors = new CopyOnWriteArrayList<>();
        final List<String> reconnects = new CopyOnWriteArrayList<>();
        final List<String> journal = new CopyOnWriteArrayList<>();

        @Override
        public void onError(ReplicationException error) {
            errors.add(error);
        }

        @Override
        public void onReconnect(int attempt, java.time.Duration delay, ReplicationException cause) {
            reconnects.add(attempt + "/" + delay.toMillis() + "/" + cause.getClass().getSimpleName());
        }

        @Override
        public void onJournalEntry(JournalEvent e) {
            if (e.args().size() > 1) {
                journal.add(key(e));
            }
        }
    }

    static String key(JournalEvent e) {
        return e.args().size() > 1 ? new String(e.args().get(1), StandardCharsets.UTF_8) : "";
    }

    private static Replicator.Builder replicator(EmbeddedDragonflyMaster m, ReplicationListener l) {
        return Replicator.builder().source(m.host(), m.port()).listener(l)
                .options(o -> o.reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(100)));
    }

    /** Stable sync reached; BEFORE written and acknowledged. Returns the shard of the tagged keys. */
    private static int stableWithBefore(EmbeddedDragonflyMaster m, Replicator r) throws Exception {
        r.start();
        assertThat(r.awaitStableSync(WAIT)).isTrue();
        int shard = m.shardOf(BOOM);
        long lsn = m.nextLsn(shard);
        m.write("SET", BEFORE, "1");
        assertThat(m.awaitAck(shard, lsn + 1, WAIT)).as("ACK of " + BEFORE).isTrue();
        return shard;
    }

    private static void assertStoppedWithoutAckingIt(Replicator r, EmbeddedDragonflyMaster m, Recorder rec, int shard,
                                                     long boomLsn) throws Exception {
        awaitTrue(() -> r.state() == ReplicationState.FAILED, "FAILED");
        assertThat(r.stats().sessions()).as("no reconnect").isEqualTo(1);
        assertThat(rec.reconnects).isEmpty();
        assertThat(rec.errors).as("reported once").singleElement().isSameAs(r.failure());
        assertThat(m.lastAck(shard)).as("no ACK covers the failed entry").isLessThanOrEqualTo(boomLsn);
        assertThat(r.stats().flows().get(shard).appliedLsn()).isEqualTo(boomLsn);
    }

    // ------------------------------------------------------------------ journal handlers

    @Test
    void aThrowingJournalHandlerStopsTheReplicatorWithoutAcknowledgingTheEntry() throws Exception {
        List<Long> calls = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        Recorder rec = new Recorder();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = replicator(m, rec).onCommand("SET", e -> {
                 threads.add(Thread.currentThread());
                 if (key(e).equals(BOOM)) {
                     calls.add(e.lsn());
                     throw new IllegalStateException("handler bug");
                 }
                 return JournalDecision.APPLY;
             }).build()) {
            int shard = stableWithBefore(m, r);
            long boomLsn = m.nextLsn(shard);
            m.write("SET", BOOM, "x");
            m.write("SET", AFTER, "y");
            assertStoppedWithoutAckingIt(r, m, rec, shard, boomLsn);
            assertThat(r.failure()).isInstanceOfSatisfying(HandlerException.class, e -> {
                assertThat(e.isRetryable()).isFalse();
                assertThat(e.flow()).isEqualTo(shard);
                assertThat(e.lsn()).isEqualTo(boomLsn);
                assertThat(e.failure().kind()).isEqualTo(HandlerFailure.Kind.JOURNAL_HANDLER);
                assertThat(e.failure().attempts()).isEqualTo(1);
                assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("handler bug");
                assertThat(e).hasMessageContaining("onCommand(SET)").hasMessageContaining("LSN " + boomLsn)
                        .hasMessageContaining(BOOM);
            });
            assertThat(calls).as("called once for the entry, never re-delivered").containsExactly(boomLsn);
            assertThat(rec.journal).contains(BEFORE).doesNotContain(BOOM, AFTER);
            // handlers run on the flow's applier thread, never on a Netty event loop
            assertThat(threads).isNotEmpty().allSatisfy(t -> {
                assertThat(t).isNotInstanceOf(FastThreadLocalThread.class);
                assertThat(t.getName()).startsWith("df2redis-flow-");
            });
        }
    }

    @Test
    void retryCallsTheHandlerAgainInPlaceWithExponentialBackoff() throws Exception {
        List<Long> callNanos = new CopyOnWriteArrayList<>();
        Recorder rec = new Recorder();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = replicator(m, rec)
                     .handlerFailurePolicy(HandlerFailurePolicy.retry(Duration.ofMillis(30), Duration.ofMillis(70), 5))
                     .onCommand("SET", e -> {
                         if (key(e).equals(BOOM)) {
                             callNanos.add(System.nanoTime());
                             if (callNanos.size() <= 3) {
                                 throw new IllegalStateException("not yet (" + callNanos.size() + ")");
                             }
                         }
                         return JournalDecision.APPLY;
                     }).build()) {
            int shard = stableWithBefore(m, r);
            long boomLsn = m.nextLsn(shard);
            m.write("SET", BOOM, "x");
            m.write("SET", AFTER, "y");
            assertThat(m.awaitAck(shard, boomLsn + 2, WAIT)).as("both entries applied and acknowledged").isTrue();
            assertThat(callNanos).hasSize(4);
            long[] expectedMs = {30, 60, 70}; // doubling, capped at 70
            for (int i = 1; i < 4; i++) {
                long gapMs = TimeUnit.NANOSECONDS.toMillis(callNanos.get(i) - callNanos.get(i - 1));
                assertThat(gapMs).as("back-off before call " + (i + 1)).isGreaterThanOrEqualTo(expectedMs[i - 1]);
            }
            assertThat(r.stats().handlerRetries()).isEqualTo(3);
            assertThat(r.stats().sessions()).isEqualTo(1);
            assertThat(rec.reconnects).isEmpty();
            assertThat(rec.journal).containsSubsequence(BEFORE, BOOM, AFTER);
            assertThat(rec.journal.stream().filter(BOOM::equals)).hasSize(1);
        }
    }

    @Test
    void retryGivesUpAfterMaxAttemptsAndStops() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Recorder rec = new Recorder();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = replicator(m, rec)
                     .handlerFailurePolicy(HandlerFailurePolicy.retry(Duration.ofMillis(5), Duration.ofMillis(10), 3))
                     .onCommand("SET", e -> {
                         if (key(e).equals(BOOM)) {
                             calls.incrementAndGet();
                             throw new IllegalStateException("always");
                         }
                         return JournalDecision.APPLY;
                     }).build()) {
            int shard = stableWithBefore(m, r);
            long boomLsn = m.nextLsn(shard);
            m.write("SET", BOOM, "x");
            assertStoppedWithoutAckingIt(r, m, rec, shard, boomLsn);
            assertThat(calls).hasValue(3);
            assertThat(((HandlerException) r.failure()).failure().attempts()).isEqualTo(3);
            assertThat(r.stats().handlerRetries()).isEqualTo(2);
        }
    }

    @Test
    void aSkipDecisionFiltersTheEntryOutAndItIsStillAcknowledged() throws Exception {
        Recorder rec = new Recorder();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = replicator(m, rec)
                     .onCommand("SET", e -> key(e).equals(BOOM) ? JournalDecision.SKIP : JournalDecision.APPLY)
                     .build()) {
            int shard = stableWithBefore(m, r);
            long boomLsn = m.nextLsn(shard);
            m.write("SET", BOOM, "x");
            m.write("SET", AFTER, "y");
            assertThat(m.awaitAck(shard, boomLsn + 2, WAIT)).as("ACK past the skipped entry").isTrue();
            assertThat(rec.journal).containsSubsequence(BEFORE, AFTER).doesNotContain(BOOM);
            assertThat(r.stats().deadLetters()).isZero();
            assertThat(r.state()).isEqualTo(ReplicationState.STABLE_SYNC);
        }
    }

    @Test
    void skipHandsTheEntryToTheDeadLetterHandlerAndGoesOn() throws Exception {
        List<HandlerFailure> dead = new CopyOnWriteArrayList<>();
        Recorder rec = new Recorder();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = replicator(m, rec).handlerFailurePolicy(HandlerFailurePolicy.skip(dead::add))
                     .onCommand("SET", e -> {
                         if (key(e).equals(BOOM)) {
                             throw new IllegalStateException("cannot handle " + BOOM);
                         }
                         return JournalDecision.APPLY;
                     }).build()) {
            int shard = stableWithBefore(m, r);
            long boomLsn = m.nextLsn(shard);
            m.write("SET", BOOM, "x");
            m.write("SET", AFTER, "y");
            assertThat(m.awaitAck(shard, boomLsn + 2, WAIT)).as("replication went on past the skipped entry").isTrue();
            assertThat(dead).singleElement().satisfies(f -> {
                assertThat(f.kind()).isEqualTo(HandlerFailure.Kind.JOURNAL_HANDLER);
                assertThat(f.flow()).isEqualTo(shard);
                assertThat(f.lsn()).isEqualTo(boomLsn);
                assertThat(f.event()).isInstanceOfSatisfying(SinkEvent.Journal.class,
                        j -> assertThat(key(j.event())).isEqualTo(BOOM));
                assertThat(f.cause()).hasMessage("cannot handle " + BOOM);
                assertThat(f.toString()).contains(BOOM).doesNotContain("\"x\"");
            });
            // the handler's verdict is unknown: the entry reaches neither the listener nor the sink
            assertThat(rec.journal).containsSubsequence(BEFORE, AFTER).doesNotContain(BOOM);
            assertThat(r.stats().deadLetters()).isEqualTo(1);
            assertThat(r.state()).isEqualTo(ReplicationState.STABLE_SYNC);
            assertThat(r.stats().sessions()).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ listener callbacks

    @Test
    void aThrowingListenerDataCallbackStopsWithoutReconnect() throws Exception {
        // in stable sync
        Recorder rec = new Recorder() {
            @Override
            public void onJournalEntry(JournalEvent e) {
                if (key(e).equals(BOOM)) {
                    throw new IllegalArgumentException("listener bug");
                }
                super.onJournalEntry(e);
            }
        };
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = replicator(m, rec).build()) {
            int shard = stableWithBefore(m, r);
            long boomLsn = m.nextLsn(shard);
            m.write("SET", BOOM, "x");
            assertStoppedWithoutAckingIt(r, m, rec, shard, boomLsn);
            assertThat(((HandlerException) r.failure()).failure().callback())
                    .isEqualTo("ReplicationListener.onJournalEntry");
        }
        // during the full sync
        Recorder snap = new Recorder() {
            @Override
            public void onEntryStart(int flow, RdbEntry entry) {
                throw new IllegalArgumentException("snapshot listener bug");
            }
        };
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = replicator(m, snap).build()) {
            m.put(0, RdbKeyValue.of("k", RdbValue.string("v")));
            r.start();
            awaitTrue(() -> r.state() == ReplicationState.FAILED, "FAILED");
            assertThat(r.failure()).isInstanceOf(HandlerException.class)
                    .hasMessageContaining("ReplicationListener.onEntryStart").hasMessageContaining("'k'");
            assertThat(r.stats().fullSyncs()).as("no new full sync").isEqualTo(1);
            assertThat(snap.reconnects).isEmpty();
        }
    }

    @Test
    void aThrowingSessionCallbackFollowsThePolicyToo() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Recorder failsOnce = new Recorder() {
            @Override
            public void onFullSyncStart(MasterInfo master) {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("could not prepare the target");
                }
            }
        };
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = replicator(m, failsOnce).build()) {
            r.start();
            awaitTrue(() -> r.state() == ReplicationState.FAILED, "FAILED");
            assertThat(r.failure()).isInstanceOfSatisfying(HandlerException.class, e -> {
                assertThat(e.flow()).isEqualTo(-1);
                assertThat(e.failure().callback()).isEqualTo("ReplicationListener.onFullSyncStart");
                assertThat(e.getCause()).hasMessage("could not prepare the target");
            });
            assertThat(failsOnce.reconnects).isEmpty();
        }
        calls.set(0);
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = replicator(m, failsOnce)
                     .handlerFailurePolicy(HandlerFailurePolicy.retry(Duration.ofMillis(10), Duration.ofMillis(10), 2))
                     .build()) {
            r.start();
            assertThat(r.awaitStableSync(WAIT)).isTrue();
            assertThat(calls).hasValue(2);
            assertThat(r.stats().sessions()).isEqualTo(1);
            assertThat(r.stats().handlerRetries()).isEqualTo(1);
        }
    }

    @Test
    void informationalCallbacksThatThrowAreLoggedAndIgnored() throws Exception {
        Path replay = CapturedCaseReplicationIT.vectors().resolve("dragonfly/v1.40.1/all-types-4shards-lz4-tagged");
        AtomicInteger backpressure = new AtomicInteger();
        ReplicationListener l = new ReplicationListener() {
            @Override
            public void onValueBatch(int flow, RdbEntry entry, ValueBatch batch) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void onBackpressure(int flow, boolean paused, long queuedBytes) {
                backpressure.incrementAndGet();
                throw new IllegalStateException("monitoring bug");
            }

            @Override
            public void onStateChange(ReplicationState from, ReplicationState to) {
                throw new IllegalStateException("monitoring bug");
            }
        };
        try (EmbeddedDragonflyMaster master = EmbeddedDragonflyMaster.replay(replay);
             Replicator r = Replicator.builder().source(master.host(), master.port())
                     .options(o -> o.flowQueueMaxBytes(1L << 20).slowConsumerPolicy(SlowConsumerPolicy.PAUSE_READING))
                     .listener(l).build()) {
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(120))).isTrue();
            assertThat(backpressure).as("back-pressure was reported").hasPositiveValue();
            assertThat(r.stats().sessions()).as("no session ended for a notification").isEqualTo(1);
            assertThat(r.stats().notificationFailures()).isGreaterThanOrEqualTo(backpressure.get() + 3L);
            assertThat(r.failure()).isNull();
        }
    }

    // ------------------------------------------------------------------ the sink

    /** A sink that fails the stage of BOOM's journal entry, later (asynchronously) or at once (throwing). */
    static final class FailingSink implements ReplicationSink {
        final Map<Long, AtomicInteger> applies = new ConcurrentHashMap<>();
        final AtomicInteger failuresLeft;
        final boolean throwAtOnce;
        final Predicate<JournalEvent> target;

        FailingSink(int failures, boolean throwAtOnce) {
            this.failuresLeft = new AtomicInteger(failures);
            this.throwAtOnce = throwAtOnce;
            this.target = e -> key(e).equals(BOOM);
        }

        @Override
        public CompletionStage<Void> apply(SinkEvent event) {
            if (!(event instanceof SinkEvent.Journal j) || !target.test(j.event())) {
                return CompletableFuture.completedFuture(null);
            }
            applies.computeIfAbsent(j.event().lsn(), k -> new AtomicInteger()).incrementAndGet();
            if (failuresLeft.getAndDecrement() <= 0) {
                return CompletableFuture.completedFuture(null);
            }
            IllegalStateException error = new IllegalStateException("target refused " + BOOM);
            if (throwAtOnce) {
                throw error;
            }
            return CompletableFuture.runAsync(() -> {
                throw error;
            }, CompletableFuture.delayedExecutor(30, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void aFailedSinkStageStopsByDefaultWithoutAcknowledgingIt() throws Exception {
        Recorder rec = new Recorder();
        FailingSink sink = new FailingSink(Integer.MAX_VALUE, false);
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = replicator(m, rec).sink(sink).build()) {
            int shard = stableWithBefore(m, r);
            long boomLsn = m.nextLsn(shard);
            m.write("SET", BOOM, "x");
            m.write("SET", AFTER, "y");
            assertStoppedWithoutAckingIt(r, m, rec, shard, boomLsn);
            assertThat(r.failure()).isInstanceOfSatisfying(HandlerException.class, e -> {
                assertThat(e.failure().kind()).isEqualTo(HandlerFailure.Kind.SINK);
                assertThat(e.lsn()).isEqualTo(boomLsn);
                assertThat(e.getCause()).hasMessage("target refused " + BOOM);
            });
            assertThat(sink.applies.get(boomLsn)).hasValue(1);
        }
    }

    @Test
    void aFailedSinkStageIsDeadLetteredUnderSkip() throws Exception {
        List<HandlerFailure> dead = new CopyOnWriteArrayList<>();
        FailingSink sink = new FailingSink(Integer.MAX_VALUE, false);
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = replicator(m, new Recorder()).sink(sink)
                     .handlerFailurePolicy(HandlerFailurePolicy.skip(dead::add)).build()) {
            int shard = stableWithBefore(m, r);
            long boomLsn = m.nextLsn(shard);
            m.write("SET", BOOM, "x");
            m.write("SET", AFTER, "y");
            assertThat(m.awaitAck(shard, boomLsn + 2, WAIT)).isTrue();
            assertThat(dead).singleElement().satisfies(f -> {
                assertThat(f.kind()).isEqualTo(HandlerFailure.Kind.SINK);
                assertThat(f.lsn()).isEqualTo(boomLsn);
                assertThat(f.cause()).hasMessage("target refused " + BOOM);
            });
            assertThat(r.stats().deadLetters()).isEqualTo(1);
            assertThat(r.stats().sessions()).isEqualTo(1);
        }
    }

    @Test
    void aSinkThatThrowsIsRetriedInPlace() throws Exception {
        Recorder rec = new Recorder();
        FailingSink sink = new FailingSink(2, true);
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = replicator(m, rec).sink(sink)
                     .handlerFailurePolicy(HandlerFailurePolicy.retry(Duration.ofMillis(10), Duration.ofMillis(20), 3))
                     .build()) {
            int shard = stableWithBefore(m, r);
            long boomLsn = m.nextLsn(shard);
            m.write("SET", BOOM, "x");
            assertThat(m.awaitAck(shard, boomLsn + 1, WAIT)).isTrue();
            assertThat(sink.applies.get(boomLsn)).hasValue(3);
            assertThat(r.stats().sessions()).isEqualTo(1);
            assertThat(r.stats().handlerRetries()).isEqualTo(2);
            assertThat(rec.reconnects).isEmpty();
        }
    }

    @Test
    void aLaterFailedSinkStageIsRetriedByANewSessionFromTheEntry() throws Exception {
        Recorder rec = new Recorder();
        FailingSink sink = new FailingSink(1, false);
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = replicator(m, rec).sink(sink)
                     .handlerFailurePolicy(HandlerFailurePolicy.retry(Duration.ofMillis(40), Duration.ofMillis(80), 3))
                     .build()) {
            int shard = stableWithBefore(m, r);
            long boomLsn = m.nextLsn(shard);
            m.write("SET", BOOM, "x");
            m.write("SET", AFTER, "y");
            awaitTrue(() -> r.stats().sessions() == 2 && r.state() == ReplicationState.STABLE_SYNC, "second session");
            assertThat(m.awaitAck(shard, boomLsn + 2, WAIT)).isTrue();
            assertThat(sink.applies.get(boomLsn)).as("delivered again by the new session").hasValue(2);
            assertThat(rec.reconnects).containsExactly("1/40/HandlerException");
            assertThat(rec.errors).singleElement().isInstanceOfSatisfying(HandlerException.class,
                    e -> assertThat(e.isRetryable()).isTrue());
            assertThat(r.stats().fullSyncs()).as("resumed by a partial sync").isEqualTo(1);
        }
        // always failing: gives up after maxAttempts sessions
        Recorder rec2 = new Recorder();
        FailingSink always = new FailingSink(Integer.MAX_VALUE, false);
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = replicator(m, rec2).sink(always)
                     .handlerFailurePolicy(HandlerFailurePolicy.retry(Duration.ofMillis(10), Duration.ofMillis(20), 3))
                     .build()) {
            int shard = stableWithBefore(m, r);
            long boomLsn = m.nextLsn(shard);
            m.write("SET", BOOM, "x");
            awaitTrue(() -> r.state() == ReplicationState.FAILED, "FAILED");
            assertThat(r.failure()).isInstanceOfSatisfying(HandlerException.class, e -> {
                assertThat(e.isRetryable()).isFalse();
                assertThat(e.failure().attempts()).isEqualTo(3);
            });
            assertThat(always.applies.get(boomLsn)).hasValue(3);
            assertThat(rec2.reconnects).containsExactly("1/10/HandlerException", "2/20/HandlerException");
            assertThat(m.lastAck(shard)).isLessThanOrEqualTo(boomLsn);
        }
    }

    @Test
    void aNonRetryableSinkErrorStopsAtOnceEvenUnderRetry() throws Exception {
        ReplicationException fatal = new ReplicationException("target cannot hold key 'k'") {
            @Override
            public boolean isRetryable() {
                return false;
            }
        };
        AtomicInteger calls = new AtomicInteger();
        ReplicationSink failing = event -> {
            if (event instanceof SinkEvent.EntryStart) {
                calls.incrementAndGet();
                return CompletableFuture.failedFuture(fatal);
            }
            return CompletableFuture.completedFuture(null);
        };
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            m.write("SET", "k", "v");
            try (Replicator r = replicator(m, new Recorder()).sink(failing)
                    .handlerFailurePolicy(HandlerFailurePolicy.retry(Duration.ofMillis(10), Duration.ofMillis(10), 5))
                    .build()) {
                r.start();
                awaitTrue(() -> r.state() == ReplicationState.FAILED, "FAILED");
                // the sink's own typed verdict passes the policy as it is
                assertThat(r.failure()).isSameAs(fatal);
                assertThat(calls).hasValue(1);
                assertThat(r.stats().sessions()).isEqualTo(1);
            }
        }
    }
}
