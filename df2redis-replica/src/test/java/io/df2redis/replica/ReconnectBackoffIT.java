package io.df2redis.replica;

import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.ReleaseProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.df2redis.replica.CapturedCaseReplicationIT.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconnect back-off grows: sessions that reach stable sync and break at once, without
 * applying anything, count as consecutive failed attempts (1, 2, 3…) whose delays double up to the
 * cap; a session that made progress starts the count over. Observed through
 * {@link ReplicationListener#onReconnect}, not wall-clock time.
 */
class ReconnectBackoffIT {

    @Test
    void delaysDoubleUpToTheCapAndStartOverAfterProgress() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(ReleaseProfile.V1_40).shards(2)
                .start()) {
            m.write("SET", "k", "v");
            AtomicInteger drops = new AtomicInteger(5);
            List<String> reconnects = new CopyOnWriteArrayList<>();
            ReplicationListener l = new ReplicationListener() {
                @Override
                public void onStateChange(ReplicationState from, ReplicationState to) {
                    if (to == ReplicationState.STABLE_SYNC && drops.getAndDecrement() > 0) {
                        m.dropFlowAfterBytes(0, 0); // the session breaks as soon as it is stable
                    }
                }

                @Override
                public void onReconnect(int attempt, java.time.Duration delay, ReplicationException cause) {
                    reconnects.add(attempt + ":" + delay.toMillis());
                }
            };
            try (Replicator r = Replicator.builder().source(m.host(), m.port()).listener(l)
                    .options(o -> o.reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(100))).build()) {
                r.start();
                awaitTrue(() -> reconnects.size() == 5 && r.stats().sessions() == 6
                        && r.state() == ReplicationState.STABLE_SYNC, "five reconnects, then stable");
                assertThat(reconnects).containsExactly("1:20", "2:40", "3:80", "4:100", "5:100");
                assertThat(r.stats().fullSyncs()).as("each reconnect resumed by partial sync").isEqualTo(1);

                // progress: an entry applied in stable sync; the next break starts the count over
                String key = keyOnShard(m, 0);
                long lsn = m.nextLsn(0);
                m.write("SET", key, "1");
                assertThat(m.awaitAck(0, lsn + 1, Duration.ofSeconds(30))).isTrue();
                m.dropFlowAfterBytes(0, 0);
                awaitTrue(() -> reconnects.size() == 6, "a sixth reconnect");
                assertThat(reconnects.get(5)).isEqualTo("1:20");
                assertThat(r.awaitStableSync(Duration.ofSeconds(30))).isTrue();
            }
        }
    }

    @Test
    void theDelayFormulaIsExponentialAndCapped() {
        ReplicatorOptions o = ReplicatorOptions.builder(DragonflyEndpoint.of("h", 1))
                .reconnectDelay(Duration.ofMillis(500), Duration.ofSeconds(30)).build();
        assertThat(o.reconnectDelay(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(o.reconnectDelay(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.reconnectDelay(7)).isEqualTo(Duration.ofSeconds(30)); // 32 s capped
        assertThat(o.reconnectDelay(10_000)).isEqualTo(Duration.ofSeconds(30));
    }

    static String keyOnShard(EmbeddedDragonflyMaster m, int shard) {
        for (int i = 0; ; i++) {
            if (m.shardOf("key:" + i) == shard) {
                return "key:" + i;
            }
        }
    }
}
