package io.df2redis.replica;

import io.df2redis.testkit.EmbeddedDragonflyMaster;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.df2redis.replica.CapturedCaseReplicationIT.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * NOAUTH / WRONGPASS from the Dragonfly source: an {@link AuthenticationException} saying that the
 * Dragonfly source at host:port refused and what to set, never the password, reported once and not
 * retried.
 */
class SourceAuthenticationIT {
    private static final String SECRET = "s3cret-Src-PW";

    private static ReplicationException failOnce(DragonflyEndpoint ep) throws Exception {
        List<ReplicationException> errors = new CopyOnWriteArrayList<>();
        List<Integer> reconnects = new CopyOnWriteArrayList<>();
        try (Replicator r = Replicator.builder().source(ep).listener(new ReplicationListener() {
            @Override
            public void onError(ReplicationException error) {
                errors.add(error);
            }

            @Override
            public void onReconnect(int attempt, java.time.Duration delay, ReplicationException cause) {
                reconnects.add(attempt);
            }
        }).build()) {
            r.start();
            awaitTrue(() -> r.state() == ReplicationState.FAILED, "FAILED");
            assertThat(r.failure()).isInstanceOf(AuthenticationException.class);
            assertThat(r.failure().isRetryable()).isFalse();
            assertThat(errors).as("reported once").containsExactly(r.failure());
            assertThat(reconnects).isEmpty();
            assertThat(r.stats().sessions()).isEqualTo(1);
            assertThat(r.failure().getMessage()).doesNotContain(SECRET).doesNotContain("wrong-PW");
            return r.failure();
        }
    }

    @Test
    void aMissingPasswordSaysTheSourceNeedsOne() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().requirePass(SECRET).start()) {
            ReplicationException e = failOnce(DragonflyEndpoint.of(m.host(), m.port()));
            assertThat(e).hasMessageContaining("Dragonfly source at " + m.host() + ":" + m.port())
                    .hasMessageContaining("NOAUTH").hasMessageContaining("no password is configured")
                    .hasMessageContaining("DragonflyEndpoint.withPassword");
        }
    }

    @Test
    void aWrongPasswordOrUserSaysTheSourceRejectedThem() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().requirePass(SECRET)
                .aclUser("repl", SECRET).start()) {
            ReplicationException e = failOnce(DragonflyEndpoint.of(m.host(), m.port()).withPassword("wrong-PW-1"));
            assertThat(e).hasMessageContaining("Dragonfly source at " + m.host() + ":" + m.port())
                    .hasMessageContaining("rejected the credentials of the default user")
                    .hasMessageContaining("WRONGPASS").hasMessageContaining("password");
            ReplicationException u = failOnce(DragonflyEndpoint.of(m.host(), m.port()).withUser("repl", "wrong-PW-2"));
            assertThat(u).hasMessageContaining("Dragonfly source at " + m.host() + ":" + m.port())
                    .hasMessageContaining("user 'repl'").hasMessageContaining("withUser");
        }
    }
}
