package io.df2redis.replica;

import io.df2redis.testkit.EmbeddedDragonflyMaster;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.df2redis.replica.CapturedCaseReplicationIT.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * No password of the Dragonfly source in any {@code toString()}, exception message or log line of
 * the replica module: endpoints, options, master info, stats, failures and everything logged while
 * replicating with credentials, with wrong ones, and with an address that carries credentials.
 */
class NoSecretInOutputIT {
    private static final String PW = "Pa55-source-XYZ";
    private static final String WRONG = "Wr0ng-source-QRS";

    @Test
    void credentialsInAnAddressAreRefusedWithoutRepeatingThem() {
        for (String address : List.of("default:" + PW + "@127.0.0.1:6379", "redis://:" + PW + "@127.0.0.1:6379",
                "rediss://repl:" + PW + "@dragonfly:6380")) {
            assertThatThrownBy(() -> DragonflyEndpoint.parse(address)).as(address)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("withPassword")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PW));
        }
        assertThatThrownBy(() -> DragonflyEndpoint.parse("dragonfly:" + PW))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PW));
    }

    @Test
    void toStringsShowWhereButNeverThePassword() {
        DragonflyEndpoint ep = DragonflyEndpoint.of("dragonfly", 6380).withUser("repl", PW);
        ReplicatorOptions o = ReplicatorOptions.builder(ep).build();
        assertThat(ep.toString()).contains("repl@dragonfly:6380").doesNotContain(PW);
        assertThat(o.toString()).contains("repl@dragonfly:6380 (auth)").contains("handlerFailurePolicy=fail")
                .doesNotContain(PW);
        assertThat(o.toBuilder().build().toString()).doesNotContain(PW);
    }

    @Test
    void nothingPrintedOrThrownWhileReplicatingHoldsThePassword() throws Exception {
        List<String> texts = new ArrayList<>();
        try (CapturedStderr err = new CapturedStderr();
             EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).requirePass(PW)
                     .aclUser("repl", PW).start()) {
            m.write("SET", "k", "v");
            // right credentials: a full session, stopped
            List<ReplicationException> errors = new CopyOnWriteArrayList<>();
            ReplicationListener l = new ReplicationListener() {
                @Override
                public void onError(ReplicationException error) {
                    errors.add(error);
                }
            };
            DragonflyEndpoint good = DragonflyEndpoint.of(m.host(), m.port()).withUser("repl", PW);
            try (Replicator r = Replicator.builder().source(good).listener(l).build()) {
                r.start();
                assertThat(r.awaitStableSync(java.time.Duration.ofSeconds(30))).isTrue();
                texts.add(r.options().toString());
                texts.add(r.masterInfo().toString());
                texts.add(r.stats().toString());
                m.dropFlowAfterBytes(0, 0); // a session error, logged and reported
                awaitTrue(() -> !errors.isEmpty() && r.state() == ReplicationState.STABLE_SYNC, "a resumed session");
            }
            // wrong password, wrong user password: failures
            for (DragonflyEndpoint bad : List.of(DragonflyEndpoint.of(m.host(), m.port()).withPassword(WRONG),
                    DragonflyEndpoint.of(m.host(), m.port()).withUser("repl", WRONG))) {
                try (Replicator r = Replicator.builder().source(bad).listener(l).build()) {
                    r.start();
                    awaitTrue(() -> r.state() == ReplicationState.FAILED, "FAILED");
                    texts.add(r.failure().toString());
                    texts.add(r.options().toString());
                }
            }
            for (ReplicationException e : errors) {
                for (Throwable t = e; t != null; t = t.getCause()) {
                    texts.add(t.toString());
                }
            }
            texts.add(err.text());
            assertThat(err.text()).as("the log was captured").contains("WRONGPASS");
        }
        for (String t : texts) {
            assertThat(t).doesNotContain(PW).doesNotContain(WRONG);
        }
    }
}
