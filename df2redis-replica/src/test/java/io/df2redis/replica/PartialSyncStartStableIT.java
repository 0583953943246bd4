package io.df2redis.replica;

import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.ReleaseProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.df2redis.replica.CapturedCaseReplicationIT.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * In a partial sync the reply to {@code DFLY STARTSTABLE} is checked and awaited with the command
 * timeout: an error reply ends the session with a typed error naming the command and the reply, no
 * reply at all with a timeout; both are retried, and the next session resumes without a full sync.
 */
class PartialSyncStartStableIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static void run(EmbeddedDragonflyMaster m, Runnable arm, Class<? extends ReplicationException> type,
                            String... messageParts) throws Exception {
        List<ReplicationException> errors = new CopyOnWriteArrayList<>();
        List<String> keys = new CopyOnWriteArrayList<>();
        ReplicationListener l = new ReplicationListener() {
            @Override
            public void onError(ReplicationException error) {
                errors.add(error);
            }

            @Override
            public void onJournalEntry(JournalEvent e) {
                if (e.args().size() > 1) {
                    keys.add(new String(e.args().get(1)));
                }
            }
        };
        try (Replicator r = Replicator.builder().source(m.host(), m.port()).listener(l)
                .options(o -> o.reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(100))
                        .commandTimeout(Duration.ofSeconds(2))).build()) {
            r.start();
            assertThat(r.awaitStableSync(WAIT)).isTrue();
            String k0 = ReconnectBackoffIT.keyOnShard(m, 0);
            long lsn = m.nextLsn(0);
            m.write("SET", k0, "before");
            assertThat(m.awaitAck(0, lsn + 1, WAIT)).isTrue();
            arm.run();
            m.dropFlowAfterBytes(1, 0); // the session breaks; the next one asks for a partial sync
            awaitTrue(() -> errors.stream().anyMatch(x -> x.getMessage().contains("STARTSTABLE")),
                    "the STARTSTABLE error");
            ReplicationException e = errors.stream().filter(x -> x.getMessage().contains("STARTSTABLE")).findFirst()
                    .orElseThrow();
            assertThat(e).isInstanceOf(type);
            for (String part : messageParts) {
                assertThat(e).hasMessageContaining(part);
            }
            awaitTrue(() -> r.stats().sessions() >= 3 && r.state() == ReplicationState.STABLE_SYNC,
                    "a later session in stable sync");
            lsn = m.nextLsn(0);
            m.write("SET", k0, "after");
            assertThat(m.awaitAck(0, lsn + 1, WAIT)).as("journal flows again").isTrue();
            assertThat(keys).contains(k0);
            assertThat(r.stats().fullSyncs()).as("no full sync was needed").isEqualTo(1);
        }
    }

    @Test
    void anErrorReplyEndsTheSessionWithATypedError() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(ReleaseProfile.V1_40).shards(2)
                .start()) {
            run(m, () -> m.failNextDfly("STARTSTABLE", "ERR invalid state"), HandshakeException.class,
                    "DFLY STARTSTABLE", "ERR invalid state", "Dragonfly source");
        }
    }

    @Test
    void noReplyEndsTheSessionAfterTheCommandTimeout() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(ReleaseProfile.V1_40).shards(2)
                .start()) {
            run(m, () -> m.ignoreNextDfly("STARTSTABLE"), ConnectionException.class, "DFLY STARTSTABLE",
                    "within PT2S");
        }
    }
}
