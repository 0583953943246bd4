package io.df2redis.replica;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionsAndEndpointTest {

    @Test
    void endpointParsesHostPortAndNeverPrintsThePassword() {
        DragonflyEndpoint ep = DragonflyEndpoint.parse("[::1]:6380").withUser("repl", "hunter2");
        assertThat(ep.host()).isEqualTo("::1");
        assertThat(ep.port()).isEqualTo(6380);
        assertThat(ep.user()).isEqualTo("repl");
        assertThat(ep.toString()).doesNotContain("hunter2").contains("repl@");
        assertThatThrownBy(() -> DragonflyEndpoint.parse("nohost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DragonflyEndpoint.of("h", 70000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionsAreImmutableAndDerivable() {
        ReplicatorOptions o = ReplicatorOptions.builder(DragonflyEndpoint.of("h", 1)).ackInterval(Duration.ofMillis(250))
                .flowQueueMaxBytes(1 << 20).build();
        ReplicatorOptions p = o.toBuilder().slowConsumerPolicy(SlowConsumerPolicy.FAIL).build();
        assertThat(o.slowConsumerPolicy()).as("spilling is on by default").isEqualTo(SlowConsumerPolicy.SPILL);
        assertThat(p.slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.FAIL);
        assertThat(p.ackInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(p.clientId()).isEqualTo(o.clientId());
        assertThatThrownBy(() -> o.toBuilder().ackInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> o.toBuilder().flowQueueMaxBytes(10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionsRefuseBadValuesInsteadOfClampingThem() {
        ReplicatorOptions.Builder b = ReplicatorOptions.builder(DragonflyEndpoint.of("h", 1));
        assertThatThrownBy(() -> b.ackEveryEntries(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maxInFlightPerFlow(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.eventLoopThreads(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maxReconnectAttempts(-2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.reconnectDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(b.build().mutate().ackEveryEntries(7).build().ackEveryEntries()).isEqualTo(7);
    }

    @Test
    void replicatorBuilderCallOrderDoesNotMatter() {
        Replicator a = Replicator.builder().options(o -> o.reconnect(false)).handlerFailurePolicy(
                HandlerFailurePolicy.skip(f -> { })).source("127.0.0.1", 1).build();
        Replicator b = Replicator.builder().source("127.0.0.1", 1).handlerFailurePolicy(
                HandlerFailurePolicy.skip(f -> { })).options(o -> o.reconnect(false)).build();
        ReplicatorOptions base = ReplicatorOptions.builder(DragonflyEndpoint.of("elsewhere", 2)).build();
        Replicator c = Replicator.builder().source("127.0.0.1", 1).options(base).build();
        ReplicatorOptions sourceless = ReplicatorOptions.builder().ackEveryEntries(3).build();
        assertThat(sourceless.source()).isNull();
        Replicator d = Replicator.builder().options(sourceless).source("127.0.0.1", 1).build();
        assertThatThrownBy(() -> Replicator.builder().options(sourceless).build())
                .isInstanceOf(IllegalStateException.class);
        try {
            assertThat(a.options().reconnect()).isFalse();
            assertThat(b.options().reconnect()).isFalse();
            assertThat(a.options().source().address()).isEqualTo(b.options().source().address());
            assertThat(c.options().source().port()).isEqualTo(1);
            assertThat(d.options().ackEveryEntries()).isEqualTo(3);
            assertThat(d.options().source().port()).isEqualTo(1);
            assertThatThrownBy(() -> Replicator.builder().build()).isInstanceOf(IllegalStateException.class);
        } finally {
            a.close();
            b.close();
            c.close();
            d.close();
        }
    }

    @Test
    void masterInfoParsesTheRelease() {
        assertThat(new MasterInfo("x", "SYNC1", 1, 5, "x", "df-v1.40.1").releaseVersion()).containsExactly(1, 40);
        assertThat(new MasterInfo("x", "SYNC1", 1, 4, "x", "df-v1.30.3").releaseVersion()).containsExactly(1, 30);
        assertThat(new MasterInfo("x", "SYNC1", 1, 4, "x", "df-dev").releaseVersion()).containsExactly(0, 0);
    }

    @Test
    void replicatorCannotStartTwiceAndStopIsIdempotent() {
        Replicator r = Replicator.builder().source("127.0.0.1", 1)
                .options(o -> o.reconnect(false).connectTimeout(Duration.ofMillis(200))).build();
        r.start();
        assertThatThrownBy(r::start).isInstanceOf(IllegalStateException.class);
        r.stop();
        r.stop();
        assertThat(r.closeAsync()).isDone();
        assertThat(r.state()).isIn(ReplicationState.STOPPED, ReplicationState.FAILED);
    }

    @Test
    void refusedConnectionFailsWithAConnectionError() throws Exception {
        try (Replicator r = Replicator.builder().source("127.0.0.1", 1)
                .options(o -> o.reconnect(false).connectTimeout(Duration.ofMillis(500))).build()) {
            r.start();
            assertThatThrownBy(() -> r.awaitStableSync(Duration.ofSeconds(10)))
                    .isInstanceOf(ConnectionException.class);
            assertThat(r.state()).isEqualTo(ReplicationState.FAILED);
        }
    }
}
