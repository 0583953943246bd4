package io.df2redis.replica;

import io.df2redis.protocol.tls.TlsHandlers;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.df2redis.replica.CapturedCaseReplicationIT.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replicator's TLS connections to Dragonfly check the certificate's host name by default:
 * the embedded master serving a trusted certificate issued for another name is refused with a
 * typed, non-retryable error saying "TLS host name mismatch", and accepted only with
 * {@code DragonflyEndpoint.verifyHostname(false)} (logged at WARN once per session). Certificates
 * are made with the {@code openssl} command, as in the sink's TLS tests.
 */
class TlsHostnameVerificationIT {
    private static Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        boolean openssl = new File("/usr/bin/openssl").canExecute() || new File("/usr/local/bin/openssl").canExecute();
        if (!openssl && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("openssl not found: required when CI=true");
        }
        Assumptions.assumeTrue(openssl, "openssl not found: skipping the TLS tests");
        dir = Files.createTempDirectory("df2redis-replica-tls-");
        openssl("other", "/CN=df2redis-other.example", "subjectAltName=DNS:df2redis-other.example");
        openssl("loopback", "/CN=df2redis-loopback", "subjectAltName=IP:127.0.0.1");
    }

    private static void openssl(String name, String subject, String san) throws Exception {
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", subject, "-addext", san, "-keyout", dir.resolve(name + "-key.pem").toString(),
                "-out", dir.resolve(name + ".pem").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve(name + ".log"))).isZero();
    }

    private static EmbeddedDragonflyMaster master(String cert) throws Exception {
        SslContext server = SslContextBuilder.forServer(dir.resolve(cert + ".pem").toFile(),
                dir.resolve(cert + "-key.pem").toFile()).build();
        EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).sslContext(server).start();
        m.write("SET", "k", "over tls");
        return m;
    }

    private static SslContext trusting(String cert) throws Exception {
        return SslContextBuilder.forClient().trustManager(dir.resolve(cert + ".pem").toFile()).build();
    }

    private static ReplicationException refused(DragonflyEndpoint ep) throws Exception {
        List<ReplicationException> errors = new CopyOnWriteArrayList<>();
        try (Replicator r = Replicator.builder().source(ep).listener(new ReplicationListener() {
            @Override
            public void onError(ReplicationException error) {
                errors.add(error);
            }
        }).build()) {
            r.start();
            awaitTrue(() -> r.state() == ReplicationState.FAILED, "FAILED");
            assertThat(r.failure().isRetryable()).as("a refused certificate is not retried").isFalse();
            assertThat(errors).containsExactly(r.failure());
            assertThat(r.stats().sessions()).isEqualTo(1);
            return r.failure();
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefusedByDefault() throws Exception {
        try (EmbeddedDragonflyMaster m = master("other")) {
            DragonflyEndpoint ep = DragonflyEndpoint.of("127.0.0.1", m.port()).withTls(trusting("other"));
            assertThat(ep.isVerifyHostname()).isTrue();
            ReplicationException e = refused(ep);
            assertThat(e).isInstanceOfSatisfying(TlsHandshakeException.class, t -> {
                assertThat(t.hostnameMismatch()).isTrue();
                assertThat(t.reason()).isEqualTo(TlsHandlers.Failure.HOSTNAME_MISMATCH);
            });
            assertThat(e).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("TLS host name mismatch")
                    .hasMessageContaining("Dragonfly source at 127.0.0.1:" + m.port())
                    .hasMessageContaining("DragonflyEndpoint.verifyHostname(false)");
        }
    }

    @Test
    void theSameCertificateIsAcceptedWithVerificationTurnedOffAndThatIsLogged() throws Exception {
        try (EmbeddedDragonflyMaster m = master("other"); CapturedStderr err = new CapturedStderr()) {
            DragonflyEndpoint ep = DragonflyEndpoint.of("127.0.0.1", m.port()).withTls(trusting("other"))
                    .verifyHostname(false);
            assertThat(ep.toString()).contains("no host-name check");
            List<String> keys = new CopyOnWriteArrayList<>();
            try (Replicator r = Replicator.builder().source(ep).listener(new ReplicationListener() {
                @Override
                public void onEntryStart(int flow, io.df2redis.protocol.rdb.RdbEntry entry) {
                    keys.add(entry.keyAsString());
                }
            }).build()) {
                r.start();
                assertThat(r.awaitStableSync(Duration.ofSeconds(30))).as("failure " + r.failure()).isTrue();
                assertThat(keys).containsExactly("k");
            }
            assertThat(err.count("TLS host-name verification is OFF for the Dragonfly source 127.0.0.1:" + m.port()))
                    .as("one warning for the session, not one per connection").isEqualTo(1);
        }
    }

    @Test
    void aCertificateThatNamesTheHostIsAcceptedByDefault() throws Exception {
        try (EmbeddedDragonflyMaster m = master("loopback");
             Replicator r = Replicator.builder()
                     .source(DragonflyEndpoint.of("127.0.0.1", m.port()).withTls(trusting("loopback"))).build()) {
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).as("failure " + r.failure()).isTrue();
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedEvenWithoutTheNameCheck() throws Exception {
        try (EmbeddedDragonflyMaster m = master("loopback")) {
            ReplicationException e = refused(DragonflyEndpoint.of("127.0.0.1", m.port())
                    .withTls(SslContextBuilder.forClient().build()).verifyHostname(false));
            assertThat(e).isInstanceOfSatisfying(TlsHandshakeException.class,
                    t -> assertThat(t.reason()).isEqualTo(TlsHandlers.Failure.UNTRUSTED_CERTIFICATE))
                    .hasMessageContaining("not trusted");
        }
    }
}
