package io.df2redis.examples.cli;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The TLS options of one side as a Netty client context: CA file, client certificate and key,
 * or the explicit, loudly logged opt-out of verification. The files are checked first so that a
 * missing or unreadable one is a usage error naming it. Stateless.
 */
final class TlsFiles {
    private TlsFiles() {
    }

    /**
     * The client TLS context of one side ({@code side} is {@code --source} or {@code --target}):
     * trusting {@code ca} (else the JVM's trust store), presenting {@code cert}/{@code key} when
     * given, or trusting anything with {@code insecure} (logged as a warning).
     */
    static SslContext context(ConnectionOptions o, String side, Path ca, Path cert, Path key, boolean insecure) {
        if (cert != null && key == null || cert == null && key != null) {
            throw o.usage(side + "-cert and " + side + "-key go together (the client certificate and its key)");
        }
        if (insecure && ca != null) {
            throw o.usage(side + "-tls-insecure turns certificate checks off: it contradicts " + side + "-ca");
        }
        SslContextBuilder b = SslContextBuilder.forClient();
        if (insecure) {
            // the logger is looked up here, not in a static field: this class is loaded while the command line is
            // parsed, before --log-level takes effect (the simple logger reads its level once, at the first logger)
            Logger log = LoggerFactory.getLogger(ConnectionOptions.class);
            log.warn("{}-tls-insecure: TLS to the {} WITHOUT verification. Any certificate and any host name is "
                    + "accepted: a man in the middle can read and change the data and the password. Use {}-ca instead.",
                    side, side.substring(2), side);
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (ca != null) {
            readable(o, side + "-ca", ca);
            try {
                b.trustManager(ca.toFile());
            } catch (IllegalArgumentException e) {
                throw o.usage(side + "-ca " + ca + ": not a PEM file of CA certificates");
            }
        }
        if (cert != null) {
            readable(o, side + "-cert", cert);
            readable(o, side + "-key", key);
            try {
                b.keyManager(cert.toFile(), key.toFile());
            } catch (IllegalArgumentException e) {
                throw o.usage(side + "-cert " + cert + " / " + side + "-key " + key + ": not a PEM certificate and an "
                        + "unencrypted PKCS#8 PEM private key (" + e.getMessage() + ")");
            }
        }
        try {
            return b.build();
        } catch (javax.net.ssl.SSLException | RuntimeException e) {
            throw o.usage(side + ": cannot set up TLS from the given files: " + e.getMessage());
        }
    }

    private static void readable(ConnectionOptions o, String option, Path file) {
        if (Files.isDirectory(file)) {
            throw o.usage(option + " " + file + ": is a directory, not a PEM file");
        }
        if (!Files.isRegularFile(file)) {
            throw o.usage(option + " " + file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw o.usage(option + " " + file + ": not readable (permission denied)");
        }
    }
}
