package io.df2redis.examples.cli;

import io.df2redis.examples.cli.CliSyncFixture.Result;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.df2redis.examples.cli.CliSyncFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI's TLS options against a real redis-server with a TLS port that requires client
 * certificates and the embedded master over TLS with client certificates required: a private CA,
 * a server certificate for 127.0.0.1 only and a client certificate, all made with {@code openssl}.
 * The pre-flight checks use the same TLS settings as the replication.
 */
@Timeout(180)
class CliTlsIT {
    private static Path dir;
    private static RedisServerProcess redis;
    private static int tlsPort;

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + Files.readString(log)).isZero();
    }

    /** A key and a certificate signed by the test CA, with these X.509 extensions. */
    private static void signed(String name, String extensions) throws Exception {
        Files.writeString(dir.resolve(name + ".ext"), extensions + "\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=df2redis-" + name, "-keyout", name + ".key",
                "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-out", name + ".pem", "-extfile", name + ".ext");
    }

    @BeforeAll
    static void start() throws Exception {
        boolean openssl = new File("/usr/bin/openssl").canExecute() || new File("/usr/local/bin/openssl").canExecute();
        if (!openssl && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("openssl not found: required when CI=true");
        }
        Assumptions.assumeTrue(openssl, "openssl not found: skipping the TLS tests");
        dir = Files.createTempDirectory("df2redis-cli-tls-");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=df2redis-test-ca",
                "-keyout", "ca.key", "-out", "ca.pem");
        signed("server", "subjectAltName=IP:127.0.0.1");
        signed("client", "extendedKeyUsage=clientAuth");
        Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            tlsPort = s.getLocalPort();
        }
        redis = RedisServerProcess.start("--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", pem("server"), "--tls-key-file", dir.resolve("server.key").toString(),
                "--tls-ca-cert-file", pem("ca"), "--tls-auth-clients", "yes");
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void emptyTarget() {
        redis.call("FLUSHALL");
    }

    private static String pem(String name) {
        return dir.resolve(name + ".pem").toString();
    }

    /** The embedded master over TLS, requiring a client certificate signed by the test CA. */
    private static EmbeddedDragonflyMaster tlsMaster() throws Exception {
        EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2)
                .sslContext(SslContextBuilder.forServer(new File(pem("server")), dir.resolve("server.key").toFile())
                        .trustManager(new File(pem("ca"))).clientAuth(ClientAuth.REQUIRE).build()).start();
        for (int i = 0; i < 30; i++) {
            m.put(0, RdbKeyValue.of("tls" + i, RdbValue.string("v" + i)));
        }
        return m;
    }

    private static String[] args(String command, String source, String target, String... more) {
        List<String> a = new ArrayList<>(List.of(command, "--source", source, "--target", target));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }


    private static List<String> sourceMtls() {
        return List.of("--source-ca", pem("ca"), "--source-cert", pem("client"), "--source-key",
                dir.resolve("client.key").toString());
    }

    private static List<String> targetMtls() {
        return List.of("--target-ca", pem("ca"), "--target-cert", pem("client"), "--target-key",
                dir.resolve("client.key").toString());
    }

    private static String[] with(String command, String source, String target, List<String> a, List<String> b,
                                 String... more) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(List.of(more));
        return args(command, source, target, all.toArray(String[]::new));
    }

    @Test
    void mutualTlsOnBothSidesWithCaFilesForMigrateAndVerify() throws Exception {
        try (EmbeddedDragonflyMaster m = tlsMaster()) {
            String src = "127.0.0.1:" + m.port();
            String tgt = "127.0.0.1:" + tlsPort;
            Result r = run(with("migrate", src, tgt, sourceMtls(), targetMtls(), "--no-progress"));
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("migrated 30 keys");
            assertThat(((IntegerReply) redis.call("DBSIZE")).value()).isEqualTo(30);
            assertThat(((BulkString) redis.call("GET", "tls7")).asString()).isEqualTo("v7");

            Result v = run(with("verify", src, "rediss://" + tgt, sourceMtls(), targetMtls()));
            assertThat(v.code()).as(v.out() + v.err()).isZero();
        }
    }

    @Test
    void aTargetThatIsNotTrustedOrWantsAClientCertificateIsRefusedByThePreflight() throws Exception {
        try (EmbeddedDragonflyMaster m = tlsMaster()) {
            String src = "127.0.0.1:" + m.port();
            String tgt = "127.0.0.1:" + tlsPort;
            Result jvmTrust = run(with("migrate", src, tgt, sourceMtls(), List.of("--target-tls")));
            assertThat(jvmTrust.code()).isEqualTo(Df2RedisCli.CONNECT);
            assertThat(jvmTrust.err()).contains("cannot connect to the target Redis at " + tgt)
                    .contains("TLS handshake failed").contains("PKIX").contains("--target-ca");
            Result noClientCert = run(with("migrate", src, tgt, sourceMtls(), List.of("--target-ca", pem("ca"))));
            assertThat(noClientCert.code()).isEqualTo(Df2RedisCli.CONNECT);
            assertThat(noClientCert.err()).contains("cannot connect to the target Redis at " + tgt)
                    .contains("--target-cert");
            assertThat(((IntegerReply) redis.call("DBSIZE")).value()).isZero();
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefusedUnlessVerificationIsExplicitlyOff() throws Exception {
        try (EmbeddedDragonflyMaster m = tlsMaster()) {
            String src = "127.0.0.1:" + m.port();
            String byName = "localhost:" + tlsPort;
            Result refused = run(with("migrate", src, byName, sourceMtls(), targetMtls()));
            assertThat(refused.code()).isEqualTo(Df2RedisCli.CONNECT);
            assertThat(refused.err()).contains("cannot connect to the target Redis at " + byName)
                    .contains("No name matching localhost");
            try (StderrCapture log = new StderrCapture()) {
                List<String> insecure = List.of("--target-tls-insecure", "--target-cert", pem("client"), "--target-key",
                        dir.resolve("client.key").toString());
                Result ok = run(with("migrate", src, byName, sourceMtls(), insecure, "--no-progress"));
                assertThat(ok.code()).as(ok.err()).isZero();
                assertThat(log.text()).contains("WARN").contains("--target-tls-insecure: TLS to the target WITHOUT "
                        + "verification");
            }
            assertThat(((IntegerReply) redis.call("DBSIZE")).value()).isEqualTo(30);
        }
    }

    /**
     * The source by a name its certificate does not hold: refused before replicating (the pre-flight
     * check verifies the host name with the replication's TLS context), unless explicitly insecure.
     */
    @Test
    void aSourceCertificateForAnotherNameIsRefusedUnlessVerificationIsExplicitlyOff() throws Exception {
        try (EmbeddedDragonflyMaster m = tlsMaster()) {
            String byName = "localhost:" + m.port();
            String tgt = "127.0.0.1:" + tlsPort;
            Result refused = run(with("migrate", byName, tgt, sourceMtls(), targetMtls()));
            assertThat(refused.code()).isEqualTo(Df2RedisCli.CONNECT);
            assertThat(refused.err()).contains("cannot connect to the source Dragonfly at " + byName)
                    .contains("No name matching localhost").contains("--source-ca");
            Result noClientCert = run(with("migrate", "127.0.0.1:" + m.port(), tgt, List.of("--source-ca", pem("ca")),
                    targetMtls()));
            assertThat(noClientCert.code()).isEqualTo(Df2RedisCli.CONNECT);
            assertThat(noClientCert.err()).contains("cannot connect to the source Dragonfly at");
            List<String> insecure = List.of("--source-tls-insecure", "--source-cert", pem("client"), "--source-key",
                    dir.resolve("client.key").toString());
            Result ok = run(with("migrate", byName, tgt, insecure, targetMtls(), "--no-progress"));
            assertThat(ok.code()).as(ok.err()).isZero();
        }
    }

    @Test
    void badTlsOptionsAreUsageErrorsNamingTheFile() {
        String t = "127.0.0.1:" + tlsPort;
        Result missing = run("migrate", "--source", t, "--target", t, "--target-ca", dir + "/nope.pem");
        assertThat(missing.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(missing.err()).contains("--target-ca " + dir + "/nope.pem: no such file");
        Result garbage = run("migrate", "--source", t, "--target", t, "--source-ca", pem("garbage"));
        assertThat(garbage.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(garbage.err()).contains("--source-ca " + pem("garbage") + ": not a PEM file");
        Result certOnly = run("migrate", "--source", t, "--target", t, "--target-cert", pem("client"));
        assertThat(certOnly.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(certOnly.err()).contains("--target-cert and --target-key go together");
        Result both = run("migrate", "--source", t, "--target", t, "--target-tls-insecure", "--target-ca", pem("ca"));
        assertThat(both.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(both.err()).contains("contradicts --target-ca");
        Result keyAsCert = run("migrate", "--source", t, "--target", t, "--target-cert", dir + "/client.key",
                "--target-key", dir + "/client.key");
        assertThat(keyAsCert.code()).isEqualTo(Df2RedisCli.USAGE);
    }
}
