package io.df2redis.protocol.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import java.io.IOException;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The one place where df2redis sets up a client TLS connection, so that every connection the
 * library opens — to the Dragonfly source (replicator), to the Redis target (sink, verifier) and
 * the blocking inspection client — checks the server the same way.
 *
 * <p>With {@code verifyHostname} the server certificate must name the host connected to, by the
 * HTTPS rules of RFC 2818 (a DNS subject alternative name for a host name, an IP address
 * alternative name for an address; wild cards in the left-most label only). The trust check (is
 * the certificate signed by a trusted CA?) is the trust manager's and always on; turning the
 * host-name check off only accepts a trusted certificate issued for another name, and should be
 * a deliberate, logged choice of the caller.
 *
 * <p>Public because the sink and replica modules share it; not meant as a general TLS toolkit.
 * Stateless and thread-safe.
 */
public final class TlsHandlers {

    /** Why a TLS handshake failed, as far as the exception tells. */
    public enum Failure {
        /** The certificate is trusted but does not name the host connected to. */
        HOSTNAME_MISMATCH,
        /** The certificate chain is not trusted (unknown CA, self-signed, expired…). */
        UNTRUSTED_CERTIFICATE,
        /** Anything else (the peer closed the connection, no common protocol or cipher, timeout…). */
        OTHER
    }

    private TlsHandlers() {
    }

    /**
     * A Netty client TLS handler for {@code host:port} (the host is also sent as SNI when it is
     * a name).
     *
     * @param ctx a client context
     * @param alloc the channel's allocator
     * @param host the host name or address connected to, which the certificate must name when
     *     {@code verifyHostname}
     * @param port the port connected to
     * @param verifyHostname whether the certificate must name {@code host} (HTTPS endpoint
     *     identification)
     * @return a handler to put first in the channel pipeline
     */
    public static SslHandler newHandler(SslContext ctx, ByteBufAllocator alloc, String host, int port,
                                        boolean verifyHostname) {
        Objects.requireNonNull(ctx, "ctx");
        if (!ctx.isClient()) {
            throw new IllegalArgumentException("a client TLS context is required, got a server context");
        }
        SslHandler handler = ctx.newHandler(alloc, host, port);
        if (verifyHostname) {
            SSLEngine engine = handler.engine();
            SSLParameters p = engine.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(p);
        }
        return handler;
    }

    /**
     * Waits for the TLS handshake of a connected channel: runs {@code ready} once the channel's
     * {@link SslHandler} reports success, or at once when the channel has none (plain TCP); hands
     * the handshake's failure to {@code failed} otherwise. The channel is left as it is: closing it
     * on failure is the caller's. The callbacks run on the channel's event loop (or, without TLS,
     * on the calling thread) and must not block.
     *
     * @param channel a connected channel, with the handler of {@link #newHandler} when TLS is used
     * @param ready what to do when the connection is ready for its first bytes of payload
     * @param failed what to do with the handshake failure (classify it with {@link #classify})
     */
    public static void whenHandshaken(Channel channel, Runnable ready, Consumer<Throwable> failed) {
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls == null) {
            ready.run();
            return;
        }
        tls.handshakeFuture().addListener(h -> {
            if (h.isSuccess()) {
                ready.run();
            } else {
                failed.accept(h.cause());
            }
        });
    }

    /**
     * Layers TLS over a connected plain socket (blocking clients), with the same host-name rule as
     * {@link #newHandler}. The handshake is left to the first read or write, or to
     * {@link SSLSocket#startHandshake()}.
     *
     * @param factory the socket factory (e.g. {@code SSLSocketFactory.getDefault()})
     * @param plain a connected socket, closed with the returned one
     * @param host the host connected to
     * @param port the port connected to
     * @param verifyHostname whether the certificate must name {@code host}
     * @return the TLS socket
     * @throws IOException if the socket cannot be layered
     */
    public static SSLSocket newSocket(SSLSocketFactory factory, Socket plain, String host, int port,
                                      boolean verifyHostname) throws IOException {
        SSLSocket ssl = (SSLSocket) factory.createSocket(plain, host, port, true);
        if (verifyHostname) {
            SSLParameters p = ssl.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(p);
        }
        return ssl;
    }

    /**
     * Classifies a TLS handshake failure by its cause chain.
     *
     * @param error the handshake failure (any wrapping)
     * @return what went wrong
     */
    public static Failure classify(Throwable error) {
        boolean untrusted = false;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof CertificateException
                    && (m.startsWith("no name matching") || m.startsWith("no subject alternative"))) {
                return Failure.HOSTNAME_MISMATCH;
            }
            if (t instanceof CertificateException || m.contains("pkix path") || m.contains("unable to find valid "
                    + "certification path") || t.getClass().getName().endsWith("CertPathValidatorException")) {
                untrusted = true;
            }
        }
        return untrusted ? Failure.UNTRUSTED_CERTIFICATE : Failure.OTHER;
    }

    /**
     * A sentence describing a handshake failure with {@code host}: what happened and what to do.
     * Contains no secret (certificates and TLS errors carry none).
     *
     * @param error the handshake failure
     * @param host the host connected to
     * @param hostnameSwitch how the caller turns the host-name check off (e.g.
     *     {@code DragonflyEndpoint.verifyHostname(false)}), named in the advice
     * @return the description
     */
    public static String describe(Throwable error, String host, String hostnameSwitch) {
        String detail = rootMessage(error);
        switch (classify(error)) {
            case HOSTNAME_MISMATCH:
                return "TLS host name mismatch: the server certificate does not name " + host + " (" + detail
                        + "); connect by a name the certificate holds, use a certificate that names " + host
                        + ", or turn the check off knowingly with " + hostnameSwitch;
            case UNTRUSTED_CERTIFICATE:
                return "the server certificate is not trusted (" + detail + "); trust its CA in the TLS context";
            default:
                return detail;
        }
    }

    /**
     * The message of the innermost cause of {@code error} (a TLS failure is usually wrapped several
     * times), or its class name when it has none.
     *
     * @param error a failure
     * @return the root cause's message
     */
    public static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
