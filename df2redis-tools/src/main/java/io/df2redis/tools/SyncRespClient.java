package io.df2redis.tools;

import io.df2redis.protocol.Futures;
import io.df2redis.protocol.client.RespClient;
import io.df2redis.protocol.client.RespClientException;
import io.df2redis.protocol.client.RespClientOptions;
import io.df2redis.protocol.client.RespConnectionException;
import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import javax.net.ssl.SSLContext;

/**
 * A blocking facade over the library's one RESP client, {@link RespClient}, for command-line tools,
 * verification work and test fixtures: each call sends one command and waits for its reply.
 * Connecting, TLS (through the protocol's one TLS set-up, host-name verification on), {@code AUTH},
 * the reply timeout and the failures are {@link RespClient}'s: a failure is a typed
 * {@link RespClientException} naming the connection and its endpoint
 * ({@link io.df2redis.protocol.client.RespConnectionException},
 * {@link io.df2redis.protocol.client.RespTimeoutException},
 * {@link io.df2redis.protocol.client.RespAuthenticationException}), and {@link #ok} turns an error
 * reply into a {@link RespErrorReplyException}.
 *
 * <p><b>Threads.</b> The connections share one daemon event loop thread of this class (so a tool
 * needs no shutdown); calls block the calling thread, which must therefore not be that event loop.
 * May be used from several threads (commands are pipelined in call order), though it is meant for
 * one. Fields: all final.
 */
public final class SyncRespClient implements AutoCloseable {
    /** Connect timeout of the convenience factories (connect, TLS handshake and AUTH). */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Reply timeout of the convenience factories. */
    public static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

    private final RespClient client;

    private SyncRespClient(RespClient client) {
        this.client = client;
    }

    /**
     * Connects to {@code endpoint} with {@code options}, waiting until connected (and
     * authenticated).
     *
     * @param endpoint the server
     * @param options name, timeouts, TLS and credentials of the connection
     * @return the connected client
     * @throws RespClientException when the connection cannot be made or {@code AUTH} is rejected
     */
    public static SyncRespClient connect(HostAndPort endpoint, RespClientOptions options) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(options, "options");
        return new SyncRespClient(await(RespClient.connect(SharedLoop.GROUP, endpoint, options), options.name(),
                endpoint, "connect"));
    }

    /**
     * Connects in plain text to {@code host:port} (5 s to connect, 60 s reply
     * timeout) and authenticates when {@code password} is not null ({@code AUTH user password}
     * when {@code user} is given, else {@code AUTH password}).
     *
     * @param host the server's host name or address
     * @param port its port
     * @param user the ACL user, or null for the default user
     * @param password the password, or null to send no {@code AUTH}
     * @return the connected client
     * @throws RespClientException when the connection cannot be made or {@code AUTH} is rejected
     */
    public static SyncRespClient connect(String host, int port, String user, String password) {
        return connect(host, port, user, password, null);
    }

    /**
     * Like {@link #connect(String, int, String, String)}, over TLS when {@code tls} is not null:
     * its trust decides which server certificates are accepted, and the certificate must name
     * {@code host}.
     *
     * @param host the server's host name or address, which its certificate must name
     * @param port its port
     * @param user the ACL user, or null for the default user
     * @param password the password, or null to send no {@code AUTH}
     * @param tls the client TLS context (e.g. one trusting a test certificate), or null for plain text
     * @return the connected client
     * @throws RespClientException when the connection cannot be made (TLS handshake included) or
     *     {@code AUTH} is rejected
     */
    public static SyncRespClient connect(String host, int port, String user, String password, SSLContext tls) {
        return connect(new HostAndPort(host, port), defaults(user, password, tls));
    }

    /**
     * The options of the convenience factories: name {@code "server"}, 5 s to connect, 60 s reply
     * timeout, TLS through {@code tls} when not null, {@code AUTH} when {@code password} is not null.
     *
     * @param user the ACL user, or null for the default user
     * @param password the password, or null to send no {@code AUTH}
     * @param tls the client TLS context, or null for plain text
     * @return the options
     */
    public static RespClientOptions defaults(String user, String password, SSLContext tls) {
        RespClientOptions.Builder b = RespClientOptions.builder().name("server").connectTimeout(CONNECT_TIMEOUT)
                .replyTimeout(REPLY_TIMEOUT);
        if (password != null) {
            b.credentials(user, password);
        }
        if (tls != null) {
            // the JDK context as it is: its ciphers and protocols, no ALPN, no client auth, no STARTTLS
            b.sslContext(new JdkSslContext(tls, true, null, IdentityCipherSuiteFilter.INSTANCE, null, ClientAuth.NONE,
                    null, false));
        }
        return b.build();
    }

    /**
     * Sends one command ({@code byte[]} arguments verbatim, anything else as its UTF-8 text) and
     * waits for the reply; an error reply is returned, not thrown.
     *
     * @param args the command name and its arguments
     * @return the reply, an {@link ErrorReply} included
     * @throws RespClientException when the connection fails or the reply does not come in time
     */
    public RespReply call(Object... args) {
        return await(client.send(args), client.options().name(), client.endpoint(), "command");
    }

    /**
     * Like {@link #call} but an error reply becomes a {@link RespErrorReplyException}.
     *
     * @param args the command name and its arguments
     * @return the reply, never an {@link ErrorReply}
     * @throws RespClientException when the connection fails, or the server answers with an error
     */
    public RespReply ok(Object... args) {
        RespReply r = call(args);
        if (r instanceof ErrorReply e) {
            throw new RespErrorReplyException(client.options().name(), client.endpoint(), commandName(args), e);
        }
        return r;
    }

    /**
     * The asynchronous client underneath, for what this facade does not offer.
     *
     * @return the client; closing this facade closes it
     */
    public RespClient async() {
        return client;
    }

    /** Closes the connection and waits for it to close. */
    @Override
    public void close() {
        client.close();
    }

    /** The connection's name and endpoint. */
    @Override
    public String toString() {
        return "SyncRespClient[" + client + "]";
    }

    private static String commandName(Object[] args) {
        if (args.length == 0) {
            return "(empty command)";
        }
        return args[0] instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
                : String.valueOf(args[0]);
    }

    private static <T> T await(CompletionStage<T> stage, String name, HostAndPort endpoint, String what) {
        try {
            return stage.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RespConnectionException(name, endpoint, "interrupted while waiting for the " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = Futures.unwrap(e);
            if (cause instanceof RespClientException rce) {
                throw rce;
            }
            throw new RespConnectionException(name, endpoint, what + " failed: " + cause, cause);
        }
    }

    /** The shared daemon event loop (created on first use, never shut down). */
    private static final class SharedLoop {
        static final EventLoopGroup GROUP = new NioEventLoopGroup(1, new DefaultThreadFactory("sync-resp-client", true));
    }
}
