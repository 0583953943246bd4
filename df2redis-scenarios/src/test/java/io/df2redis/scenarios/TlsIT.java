package io.df2redis.scenarios;

import io.df2redis.replica.DragonflyEndpoint;
import io.df2redis.replica.ReplicationState;
import io.df2redis.replica.Replicator;
import io.df2redis.replica.TlsHandshakeException;
import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest.Kind;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest;
import io.df2redis.testkit.tls.TestCertificates;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A master that serves TLS only (with a password): replication over TLS is exact; a certificate
 * for another host name is refused by default with a typed error, never retried.
 */
@Timeout(300)
class TlsIT {
    private static TestCertificates good;
    private static TestCertificates wrongName;

    @BeforeAll
    static void certificates() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!TestCertificates.opensslAvailable() && ci) {
            throw new AssertionError("openssl not found: required when CI=true");
        }
        Assumptions.assumeTrue(TestCertificates.opensslAvailable(), "openssl not found: skipping the TLS scenarios");
        good = TestCertificates.generate("127.0.0.1", "localhost");
        wrongName = TestCertificates.generate("wrong.example");
    }

    static List<Kind> kinds() {
        return DragonflyUnderTest.kinds();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void replicationOverTls(Kind kind) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).password("tls-Secret-9")
                .tls(good.cert(), good.key()).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target target = Target.standalone();
             SyncRespClient c = m.client()) {
            Data.allTypes(c, "tls:", 500, 20_000);
            try (Scenario s = Scenario.of(m, target, b -> b, good.clientContext()).start()) {
                s.awaitStable();
                Data.mixedWrites(c, "tls:", 300, 11);
                s.assertConverged();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void certificateForAnotherNameIsRefused(Kind kind) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(1).tls(wrongName.cert(), wrongName.key()).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec.mutate().build());
             Replicator r = Replicator.builder()
                     .source(DragonflyEndpoint.of("127.0.0.1", m.port()).withTls(wrongName.clientContext()))
                     .build()) {
            r.start();
            assertThatThrownBy(() -> r.awaitStableSync(Duration.ofSeconds(30)))
                    .isInstanceOf(TlsHandshakeException.class).hasMessageContaining("host name");
            assertThat(r.state()).isEqualTo(ReplicationState.FAILED);
            assertThat(((TlsHandshakeException) r.failure()).hostnameMismatch()).isTrue();
        }
    }
}
