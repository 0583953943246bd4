package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.Futures;
import io.df2redis.protocol.client.RespAuthenticationException;
import io.df2redis.protocol.client.RespClient;
import io.df2redis.protocol.client.RespClientException;
import io.df2redis.protocol.client.RespClientOptions;
import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.tls.TlsHandlers;
import io.df2redis.replica.ReplicationException;
import io.netty.channel.EventLoopGroup;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One pipelined connection of the sink (or the verifier, or a probe) to a Redis-protocol server:
 * the protocol module's {@link RespClient} (decoding, FIFO of pending replies, reply timeout, TLS
 * with host-name verification, {@code AUTH}) plus what the sink adds on top of it:
 * <ul>
 * <li>a window: at most {@code window} commands unanswered; {@link #send} blocks the
 *     <em>calling</em> thread (never an event loop, from which it must not be called) while the
 *     window is full, so a fast source cannot queue unbounded memory in front of a slow target;</li>
 * <li>typed failures: a failed command completes with the exception {@link ConnectFailures} makes
 *     of the client's failure (for the sink a retryable {@code TargetConnectionException} naming the
 *     endpoint), never with a protocol-module type the replicator would not classify.</li>
 * </ul>
 *
 * <p>Thread ownership: thread-safe. {@code client} and {@code window} are thread-safe and final;
 * reply callbacks run on the channel's event loop and only release a permit and complete a
 * future; {@code last} (the translated failure reused for every command failed by
 * the same cause) is one volatile immutable pair, written by whichever thread translates.
 */
public final class TargetConnection implements AutoCloseable {
    /** Permits a close adds to the window, so that every blocked sender wakes up and sees it closed. */
    private static final int CLOSED_PERMITS = Integer.MAX_VALUE / 2;

    private final RespClient client;
    private final Semaphore window;
    private final String name;
    private final String endpoint;
    private final ConnectFailures failures;
    private final Throttle throttle;
    /** The last failure translated, reused for every command the same cause fails. */
    private volatile Translated last;

    private TargetConnection(RespClient client, int window, String name, ConnectFailures failures,
                             Throttle throttle) {
        this.client = client;
        this.throttle = throttle;
        this.window = new Semaphore(window);
        this.name = name;
        this.endpoint = client.endpoint().toString();
        this.failures = failures;
        // no sender may wait for replies that will never come: a closed connection opens the window
        client.closeFuture().whenComplete((v, t) -> this.window.release(CLOSED_PERMITS));
    }

    /**
     * Connects (TCP, TLS, {@code AUTH} as {@code options} say), then checks with {@code PING} that
     * the server takes commands (a server wanting a password that was not given answers
     * {@code NOAUTH}) and selects {@code db} when it is not 0. Blocks the calling thread for at most
     * the connect timeout plus one reply.
     *
     * @param options the client options; their name is replaced by {@code name}
     * @param window the most commands unanswered at once (at least 1)
     * @param db the db to select, or 0
     * @throws RuntimeException what {@code failures} makes of a connection or authentication failure;
     *     a {@code RedisCommandException} when {@code SELECT} is refused
     */
    public static TargetConnection connect(EventLoopGroup group, HostAndPort at, RespClientOptions options,
                                           String name, int window, int db, ConnectFailures failures) {
        return connect(group, at, options, name, window, db, failures, null);
    }

    /**
     * {@link #connect(EventLoopGroup, HostAndPort, RespClientOptions, String, int, int, ConnectFailures)}
     * with every command of the connection, from its {@code PING} on, passing {@code throttle} first.
     *
     * @param throttle the rate limits shared with the other connections of a sink, or null for none
     */
    public static TargetConnection connect(EventLoopGroup group, HostAndPort at, RespClientOptions options,
                                           String name, int window, int db, ConnectFailures failures,
                                           Throttle throttle) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1: " + window);
        }
        RespClientOptions o = options.mutate().name(name).build();
        Duration wait = o.connectTimeout().plusSeconds(1);
        RespClient client;
        try {
            client = RespClient.connect(group, at, o).toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failures.connection(at.toString(), name + ": interrupted connecting to " + at, e);
        } catch (TimeoutException e) {
            throw failures.connection(at.toString(), "cannot connect to " + at + ": no answer within "
                    + o.connectTimeout().toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw connectFailure(at, o, failures, e.getCause());
        }
        TargetConnection c = new TargetConnection(client, window, name, failures, throttle);
        try {
            RespReply pong = c.call(wait, "PING");
            if (pong instanceof ErrorReply e && e.message().startsWith("NOAUTH")) {
                throw failures.passwordRequired(at.toString(), e.message());
            } else if (pong instanceof ErrorReply e) {
                throw new io.df2redis.sink.redis.RedisCommandException(at.toString(), "PING", null, 0, e.message());
            }
            if (db != 0) {
                RespReply r = c.call(wait, "SELECT", Integer.toString(db));
                if (r instanceof ErrorReply e) {
                    throw new io.df2redis.sink.redis.RedisCommandException(at.toString(), "SELECT", null, db,
                            e.message());
                }
            }
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static RuntimeException connectFailure(HostAndPort at, RespClientOptions o, ConnectFailures failures,
                                                   Throwable t) {
        if (t instanceof RespAuthenticationException a) {
            return failures.rejected(at.toString(), o.user(), a.serverError());
        }
        Throwable cause = t instanceof RespClientException && t.getCause() != null ? t.getCause() : t;
        String why = cause.getMessage() != null ? cause.getMessage() : TlsHandlers.rootMessage(t);
        boolean tls = t instanceof RespClientException && String.valueOf(t.getMessage()).contains("TLS handshake");
        if (tls && TlsHandlers.classify(t) == TlsHandlers.Failure.HOSTNAME_MISMATCH) {
            why += " (the certificate does not name " + at.host() + ": connect by a name it holds, or turn the "
                    + "check off knowingly with verifyHostname(false))";
        }
        return failures.connection(at.toString(), (tls ? "TLS handshake with " + at + " failed: "
                : "cannot connect to " + at + ": ") + why, t);
    }


    /** What the connection is for, e.g. {@code flow-0}. */
    public String name() {
        return name;
    }

    /** {@code host:port} of the server. */
    public String endpoint() {
        return endpoint;
    }

    /** Whether the connection is open. */
    public boolean isActive() {
        return client.isActive();
    }

    /** Commands written but not yet answered. */
    public int inFlight() {
        return client.pendingReplies();
    }

    /**
     * Sends one command; blocks while the rate limits ({@link Throttle}) hold it back, then while the
     * window is full. The future completes with the reply (an
     * error reply is a normal completion) on the event loop, or exceptionally with the typed
     * connection failure.
     *
     * @throws IllegalStateException when called on the connection's event loop
     */
    public CompletableFuture<RespReply> send(List<byte[]> args) {
        if (client.channel().eventLoop().inEventLoop()) {
            throw new IllegalStateException("send() must not be called from the event loop");
        }
        try {
            if (throttle != null && !throttle.acquire(args, client::isActive)) {
                return CompletableFuture.failedFuture(failures.connection(endpoint, name + " at " + endpoint
                        + ": connection to Redis closed", null));
            }
            window.acquire(); // a close releases every waiter (see the constructor)
            if (!client.isActive()) {
                window.release();
                return CompletableFuture.failedFuture(failures.connection(endpoint, name + " at " + endpoint
                        + ": connection to Redis closed", null));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(failures.connection(endpoint, name + " at " + endpoint
                    + ": interrupted while waiting for the rate limit or the window", e));
        }
        CompletableFuture<RespReply> out = new CompletableFuture<>();
        client.send(args).whenComplete((r, t) -> {
            window.release();
            if (t == null) {
                out.complete(r);
            } else {
                out.completeExceptionally(translate(t));
            }
        });
        return out;
    }

    /** {@link #send(List)} with text arguments. */
    public CompletableFuture<RespReply> send(String... args) {
        List<byte[]> a = new ArrayList<>(args.length);
        for (String s : args) {
            a.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return send(a);
    }

    /**
     * Sends one command and waits for its reply (an error reply is returned, not thrown).
     *
     * @throws RuntimeException the typed connection failure, also when no reply came within {@code timeout}
     */
    public RespReply call(Duration timeout, String... args) {
        try {
            return send(args).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failures.connection(endpoint, name + " at " + endpoint + ": interrupted waiting for the reply to "
                    + args[0], e);
        } catch (TimeoutException e) {
            throw failures.connection(endpoint, name + " at " + endpoint + ": no reply to " + args[0] + " within "
                    + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw translate(e.getCause());
        }
    }

    /** The typed failure for a failure of the client (one exception per distinct cause). */
    private RuntimeException translate(Throwable t) {
        Throwable cause = Futures.unwrap(t);
        if (cause instanceof ReplicationException r) {
            return r;
        }
        Translated l = last;
        if (l != null && l.cause() == cause) {
            return l.failure();
        }
        RuntimeException e = failures.connection(endpoint, cause instanceof RespClientException ? cause.getMessage()
                : name + " at " + endpoint + ": " + cause, cause);
        last = new Translated(cause, e);
        return e;
    }

    private record Translated(Throwable cause, RuntimeException failure) {
    }

    /** Closes the connection (waits briefly unless on the event loop); outstanding commands fail. */
    @Override
    public void close() {
        client.close();
    }

    /** Name and endpoint. */
    @Override
    public String toString() {
        return "TargetConnection[" + name + " at " + endpoint + "]";
    }
}
