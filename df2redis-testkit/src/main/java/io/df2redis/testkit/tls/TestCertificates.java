package io.df2redis.testkit.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate and key for TLS tests, made with the {@code openssl} command for the
 * names given (IP addresses and DNS names as subject alternative names), with the client and
 * server contexts that trust and serve it. With {@code CI=true} a missing {@code openssl} is a
 * failure, elsewhere an {@link IllegalStateException} the caller may turn into a skip.
 */
public final class TestCertificates {
    private final Path cert;
    private final Path key;

    private TestCertificates(Path cert, Path key) {
        this.cert = cert;
        this.key = key;
    }

    /** Whether the {@code openssl} command is available. */
    public static boolean opensslAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "openssl"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Makes a certificate valid for two days for {@code names} (e.g. {@code 127.0.0.1},
     * {@code localhost}) in a new temporary directory.
     */
    public static TestCertificates generate(String... names) throws IOException, InterruptedException {
        if (!opensslAvailable()) {
            throw new IllegalStateException("openssl not found: TLS tests need it (apt-get install openssl)");
        }
        Path dir = Files.createTempDirectory("df2redis-tls");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        List<String> san = new ArrayList<>();
        for (String n : names) {
            san.add((n.matches("[0-9.]+") || n.contains(":") ? "IP:" : "DNS:") + n);
        }
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", key.toString(), "-out", cert.toString(), "-subj", "/CN=" + names[0],
                "-addext", "subjectAltName=" + String.join(",", san))
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl failed: " + Files.readString(dir.resolve("openssl.log")));
        }
        return new TestCertificates(cert, key);
    }

    /** The PEM certificate. */
    public Path cert() {
        return cert;
    }

    /** The PEM private key. */
    public Path key() {
        return key;
    }

    /** A Netty server context serving this certificate. */
    public SslContext serverContext() throws IOException {
        return SslContextBuilder.forServer(cert.toFile(), key.toFile()).build();
    }

    /** A Netty client context trusting this certificate (and nothing else). */
    public SslContext clientContext() throws IOException {
        return SslContextBuilder.forClient().trustManager(cert.toFile()).build();
    }

    /** A blocking-socket factory trusting this certificate (and nothing else). */
    public SSLSocketFactory socketFactory() throws IOException {
        return trusting(cert).getSocketFactory();
    }

    /** A client TLS context trusting the PEM certificate(s) in {@code pem} (and nothing else). */
    public static SSLContext trusting(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("cert-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust " + pem + ": " + e.getMessage(), e);
        }
    }
}
