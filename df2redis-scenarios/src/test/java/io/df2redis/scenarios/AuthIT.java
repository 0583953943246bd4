package io.df2redis.scenarios;

import io.df2redis.replica.AuthenticationException;
import io.df2redis.replica.DragonflyEndpoint;
import io.df2redis.replica.ReplicationState;
import io.df2redis.replica.Replicator;
import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest.Kind;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A master that requires a password, and one replicated by an ACL user: both replicate exactly;
 * a wrong password ends in a typed {@link AuthenticationException}, never a retry loop, and the
 * password is in no message.
 */
@Timeout(300)
class AuthIT {
    private static final String ADMIN = "admin-Secret-1";
    private static final String REPL = "repl-Secret-2";

    static List<Kind> kinds() {
        return DragonflyUnderTest.kinds();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void passwordProtectedMaster(Kind kind) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).password(ADMIN).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target target = Target.standalone();
             SyncRespClient c = m.client()) {
            Data.allTypes(c, "p:", 500, 3000);
            try (Scenario s = Scenario.of(m, target, b -> b).start()) {
                s.awaitStable();
                Data.mixedWrites(c, "p:", 300, 3);
                s.assertConverged();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aclUser(Kind kind) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).password(ADMIN).aclUser("replicator", REPL).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target target = Target.standalone();
             SyncRespClient c = m.client()) {
            Data.allTypes(c, "u:", 500, 3000);
            try (Scenario s = Scenario.of(m, target, b -> b).start()) {
                s.awaitStable();
                Data.mixedWrites(c, "u:", 300, 4);
                s.assertConverged();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void wrongPasswordIsATypedErrorWithoutRetries(Kind kind) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).password(ADMIN).build();
        String wrong = "wrong-Secret-3";
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Replicator r = Replicator.builder().source(DragonflyEndpoint.of(m.host(), m.port()).withPassword(wrong))
                     .build()) {
            r.start();
            assertThatThrownBy(() -> r.awaitStableSync(Duration.ofSeconds(30)))
                    .isInstanceOf(AuthenticationException.class);
            assertThat(r.state()).isEqualTo(ReplicationState.FAILED);
            assertThat(r.failure()).isInstanceOf(AuthenticationException.class);
            assertThat(r.failure().isRetryable()).isFalse();
            assertThat(String.valueOf(r.failure().getMessage())).doesNotContain(wrong).doesNotContain(ADMIN);
            assertThat(r.toString()).doesNotContain(wrong);
        }
    }
}
