package io.df2redis.protocol.client;

import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.SimpleString;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.df2redis.protocol.client.RespClientIT.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS against a real {@code redis-server} with a TLS port and a certificate (made with
 * {@code openssl}) that names 127.0.0.1 only: the host name is verified unless turned off.
 */
@Timeout(120)
class RespClientTlsIT {
    private static EventLoopGroup group;
    private static TestRedisServer redis;
    private static Path dir;
    private static int tlsPort;

    @BeforeAll
    static void start() throws Exception {
        boolean openssl = new File("/usr/bin/openssl").canExecute() || new File("/usr/local/bin/openssl").canExecute();
        if (!openssl && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("openssl not found: required when CI=true");
        }
        Assumptions.assumeTrue(openssl, "openssl not found: skipping the TLS tests");
        dir = Files.createTempDirectory("df2redis-protocol-tls-");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=df2redis-test", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("openssl.log"))).isZero();
        tlsPort = TestRedisServer.freePort();
        redis = TestRedisServer.start("--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", dir.resolve("cert.pem").toString(),
                "--tls-key-file", dir.resolve("key.pem").toString(),
                "--tls-ca-cert-file", dir.resolve("cert.pem").toString(),
                "--tls-auth-clients", "no", "--requirepass", "tls-pw");
        redis.awaitListening(tlsPort);
        group = new NioEventLoopGroup(1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static SslContext trusting() throws Exception {
        return SslContextBuilder.forClient().trustManager(dir.resolve("cert.pem").toFile()).build();
    }

    private static RespClient connect(String host, RespClientOptions options) throws Exception {
        return await(RespClient.connect(group, HostAndPort.of(host, tlsPort), options));
    }

    @Test
    void connectsAndAuthenticatesWhenTheCertificateNamesTheHost() throws Exception {
        RespClientOptions o = RespClientOptions.builder().sslContext(trusting()).password("tls-pw").build();
        try (RespClient c = connect("127.0.0.1", o)) {
            assertThat(await(c.send("PING"))).isEqualTo(new SimpleString("PONG"));
            assertThat(c.channel().pipeline().names()).startsWith(RespClient.TLS_NAME, RespClient.DECODER_NAME,
                    RespClient.HANDLER_NAME);
        }
    }

    @Test
    void hostNameVerificationIsOnByDefault() throws Exception {
        RespClientOptions o = RespClientOptions.builder().name("Redis target").sslContext(trusting())
                .password("tls-pw").build();
        assertThatThrownBy(() -> connect("localhost", o)).isInstanceOf(RespConnectionException.class)
                .hasMessageStartingWith("Redis target at localhost:" + tlsPort + ": TLS handshake failed");
        try (RespClient c = connect("localhost", o.mutate().verifyHostname(false).build())) {
            assertThat(await(c.send("PING"))).isEqualTo(new SimpleString("PONG"));
        }
    }

    @Test
    void anUntrustedCertificateIsRejected() throws Exception {
        RespClientOptions o = RespClientOptions.builder().sslContext(SslContextBuilder.forClient().build()).build();
        assertThatThrownBy(() -> connect("127.0.0.1", o)).isInstanceOf(RespConnectionException.class)
                .hasMessageContaining("TLS handshake failed");
    }
}
