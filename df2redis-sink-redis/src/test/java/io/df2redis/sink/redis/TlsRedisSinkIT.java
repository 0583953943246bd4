package io.df2redis.sink.redis;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.replica.Replicator;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.df2redis.sink.redis.CapturedCaseRedisSinkIT.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sink over TLS into a real {@code redis-server} with a TLS port (certificate made with the
 * {@code openssl} command for 127.0.0.1 only), with AUTH: trusted and named → replicates;
 * connected by another name or with an untrusted certificate → fails, typed, without retry storms.
 */
class TlsRedisSinkIT {
    private static Path dir;
    private static RedisServerProcess redis;
    private static int tlsPort;

    @BeforeAll
    static void start() throws Exception {
        boolean openssl = new File("/usr/bin/openssl").canExecute() || new File("/usr/local/bin/openssl").canExecute();
        if (!openssl && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("openssl not found: required when CI=true");
        }
        Assumptions.assumeTrue(openssl, "openssl not found: skipping the TLS tests");
        dir = Files.createTempDirectory("df2redis-tls-");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=df2redis-test", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("openssl.log"))).isZero();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            tlsPort = s.getLocalPort();
        }
        redis = RedisServerProcess.start("--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", dir.resolve("cert.pem").toString(),
                "--tls-key-file", dir.resolve("key.pem").toString(),
                "--tls-ca-cert-file", dir.resolve("cert.pem").toString(),
                "--tls-auth-clients", "no", "--requirepass", "tls-secret");
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    private static SslContext trusting() throws Exception {
        return SslContextBuilder.forClient().trustManager(dir.resolve("cert.pem").toFile()).build();
    }

    @Test
    void replicatesOverTlsWithAuth() throws Exception {
        redis.call("AUTH", "tls-secret");
        redis.call("FLUSHALL");
        RedisSink sink = RedisSink.standalone("rediss://:tls-secret@127.0.0.1:" + tlsPort).ssl(trusting()).build();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(sink).build()) {
            for (int i = 0; i < 100; i++) {
                m.put(0, RdbKeyValue.of("tls" + i, RdbValue.string("v" + i)));
            }
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).as("failure " + r.failure()).isTrue();
            m.write("SET", "live", "over tls");
            awaitTrue(() -> redis.call("GET", "live") instanceof BulkString, "live write over TLS");
            assertThat(((BulkString) redis.call("GET", "tls42")).asString()).isEqualTo("v42");
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefusedUnlessVerificationIsOff() throws Exception {
        redis.call("AUTH", "tls-secret");
        redis.call("FLUSHALL");
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(1).start()) {
            m.put(0, RdbKeyValue.of("k", RdbValue.string("v")));
            String byName = "rediss://:tls-secret@localhost:" + tlsPort;
            try (Replicator r = Replicator.builder().source(m.host(), m.port())
                    .options(o -> o.maxReconnectAttempts(0))
                    .ownedSink(RedisSink.standalone(byName).ssl(trusting()).connectTimeout(Duration.ofSeconds(2))
                            .build()).build()) {
                r.start();
                awaitTrue(() -> r.failure() != null, "failure");
                assertThat(r.failure()).isInstanceOf(TargetConnectionException.class)
                        .hasMessageContaining("No name matching localhost");
                assertThat(redis.call("GET", "k")).isNotInstanceOf(BulkString.class);
            }
            try (Replicator r = Replicator.builder().source(m.host(), m.port())
                    .ownedSink(RedisSink.standalone(byName).ssl(trusting()).verifyHostname(false).build()).build()) {
                r.start();
                assertThat(r.awaitStableSync(Duration.ofSeconds(30))).as("failure " + r.failure()).isTrue();
                awaitTrue(() -> redis.call("GET", "k") instanceof BulkString, "k over TLS without name check");
            }
        }
    }

    @Test
    void anUntrustedCertificateIsRefused() throws Exception {
        redis.call("AUTH", "tls-secret");
        redis.call("FLUSHALL");
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(1).start();
             Replicator r = Replicator.builder().source(m.host(), m.port()).options(o -> o.maxReconnectAttempts(0))
                     .ownedSink(RedisSink.standalone("rediss://:tls-secret@127.0.0.1:" + tlsPort)
                             .connectTimeout(Duration.ofSeconds(2)).build()).build()) {
            m.put(0, RdbKeyValue.of("k", RdbValue.string("v")));
            r.start();
            awaitTrue(() -> r.failure() != null, "failure");
            assertThat(r.failure()).isInstanceOf(TargetConnectionException.class)
                    .hasMessageContaining("PKIX");
            assertThat(redis.call("GET", "k")).isNotInstanceOf(BulkString.class);
        }
    }
}
