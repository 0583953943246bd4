package io.df2redis.protocol.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared TLS set-up: host-name verification on request, SNI/peer host, failure classification. */
class TlsHandlersTest {

    @Test
    void nettyHandlerChecksTheHostNameOnlyWhenAsked() throws Exception {
        SslContext ctx = SslContextBuilder.forClient().build();
        SslHandler on = TlsHandlers.newHandler(ctx, ByteBufAllocator.DEFAULT, "dragonfly.example", 6379, true);
        SslHandler off = TlsHandlers.newHandler(ctx, ByteBufAllocator.DEFAULT, "dragonfly.example", 6379, false);
        try {
            assertThat(on.engine().getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
            assertThat(on.engine().getPeerHost()).isEqualTo("dragonfly.example");
            assertThat(on.engine().getPeerPort()).isEqualTo(6379);
            assertThat(off.engine().getSSLParameters().getEndpointIdentificationAlgorithm()).isNull();
        } finally {
            ReferenceCountUtil.release(on.engine());
            ReferenceCountUtil.release(off.engine());
        }
    }

    @Test
    void blockingSocketChecksTheHostNameOnlyWhenAsked() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket a = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket b = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            SSLSocketFactory f = (SSLSocketFactory) SSLSocketFactory.getDefault();
            try (SSLSocket on = TlsHandlers.newSocket(f, a, "dragonfly.example", 6379, true);
                 SSLSocket off = TlsHandlers.newSocket(f, b, "dragonfly.example", 6379, false)) {
                assertThat(on.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
                assertThat(off.getSSLParameters().getEndpointIdentificationAlgorithm()).isNull();
            }
        }
    }

    @Test
    void failuresAreClassifiedAndDescribedWithAdvice() {
        SSLHandshakeException mismatch = new SSLHandshakeException(
                "No subject alternative names matching IP address 127.0.0.1 found");
        mismatch.initCause(new CertificateException("No subject alternative names matching IP address 127.0.0.1 found"));
        SSLHandshakeException untrusted = new SSLHandshakeException("PKIX path building failed: "
                + "unable to find valid certification path to requested target");
        assertThat(TlsHandlers.classify(mismatch)).isEqualTo(TlsHandlers.Failure.HOSTNAME_MISMATCH);
        assertThat(TlsHandlers.classify(new CertificateException("No name matching localhost found")))
                .isEqualTo(TlsHandlers.Failure.HOSTNAME_MISMATCH);
        assertThat(TlsHandlers.classify(untrusted)).isEqualTo(TlsHandlers.Failure.UNTRUSTED_CERTIFICATE);
        assertThat(TlsHandlers.classify(new SSLHandshakeException("Remote host terminated the handshake")))
                .isEqualTo(TlsHandlers.Failure.OTHER);
        assertThat(TlsHandlers.describe(mismatch, "127.0.0.1", "X.verifyHostname(false)"))
                .startsWith("TLS host name mismatch").contains("127.0.0.1").contains("X.verifyHostname(false)");
        assertThat(TlsHandlers.describe(untrusted, "h", "x")).contains("not trusted").contains("PKIX");
    }
}
