package io.df2redis.replica.internal;

import io.df2redis.protocol.resp.ErrorKind;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReplies;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.resp.SimpleString;
import io.df2redis.replica.AuthenticationException;
import io.df2redis.replica.ConnectionException;
import io.df2redis.replica.DragonflyEndpoint;
import io.df2redis.replica.HandshakeException;
import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.ReplicatorOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Commands to the Dragonfly source as the session's supervisor thread sends them: waiting for a
 * reply within the command timeout, checking it, and turning an unwanted reply into the typed
 * error that names the source and says what to do ({@link #replyError}). A wait that ends because
 * the session is stopping throws {@link SessionStopped}.
 *
 * <p>Thread ownership: immutable; used by the supervisor thread only (its waits block).
 */
final class SourceCommands {
    private static final Logger LOG = LoggerFactory.getLogger(SourceCommands.class);

    /** Sends one command on some connection to the source. */
    interface Commander {
        CompletableFuture<RespReply> command(Object... args);
    }

    private final ReplicatorOptions options;
    private final BooleanSupplier stopping;

    SourceCommands(ReplicatorOptions options, BooleanSupplier stopping) {
        this.options = options;
        this.stopping = stopping;
    }

    /** Waits for a sink stage with the command timeout; a failure is thrown as it is (for the guard). */
    void awaitStage(CompletionStage<Void> st, String what) {
        try {
            st.toCompletableFuture().get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicationException("interrupted while waiting for " + what);
        } catch (TimeoutException e) {
            throw new ConnectionException(what + " was not confirmed within " + options.commandTimeout());
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        }
    }

    /** Waits for {@code f} within the command timeout. */
    <T> T get(CompletableFuture<T> f, String what) {
        try {
            return f.get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (stopping.getAsBoolean()) {
                throw new SessionStopped();
            }
            throw new ReplicationException("interrupted during " + what);
        } catch (TimeoutException e) {
            throw new ConnectionException("no reply from the Dragonfly source at " + options.source().address()
                    + " to " + what + " within " + options.commandTimeout());
        } catch (ExecutionException e) {
            if (stopping.getAsBoolean()) {
                throw new SessionStopped();
            }
            throw wrap(e.getCause(), what);
        }
    }

    static ReplicationException wrap(Throwable t, String what) {
        if (t instanceof ReplicationException r) {
            return r;
        }
        return new ConnectionException(what + " failed: " + t, t);
    }

    /** The text of a simple or bulk string reply; "null" for anything else (reported as a bad reply). */
    static String text(RespReply r) {
        return String.valueOf(RespReplies.text(r));
    }

    /** Sends AUTH when the source has a password; a refusal is an {@link AuthenticationException}. */
    void auth(Commander c) {
        DragonflyEndpoint ep = options.source();
        if (ep.password() == null) {
            return;
        }
        RespReply r = get(ep.user() != null ? c.command("AUTH", ep.user(), ep.password())
                : c.command("AUTH", ep.password()), "AUTH");
        if (!(r instanceof SimpleString s && s.value().equals("OK"))) {
            throw replyError("AUTH", r);
        }
    }

    /**
     * Sends a DFLY command, again after {@link ReplicatorOptions#loadingRetryDelay()} while the
     * master answers LOADING (at most a minute, or the command timeout when longer).
     */
    RespReply commandRetryingLoading(ControlConnection c, Object... args) {
        long deadline = System.nanoTime() + Math.max(options.commandTimeout().toNanos(), 60_000_000_000L);
        while (true) {
            RespReply r = get(c.command(args), args[0] + " " + args[1]);
            if (r instanceof ErrorReply e && e.kind() == ErrorKind.LOADING && System.nanoTime() < deadline) {
                LOG.info("master is loading its dataset; retrying {} {} in {}", args[0], args[1],
                        options.loadingRetryDelay());
                sleep(options.loadingRetryDelay().toMillis());
                continue;
            }
            return r;
        }
    }

    /** A fixed retry delay (not a wait for an event). */
    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (stopping.getAsBoolean()) {
                throw new SessionStopped();
            }
            throw new ReplicationException("interrupted");
        }
    }

    void expectOk(CompletableFuture<RespReply> f, String what) {
        expectOk(get(f, what), what);
    }

    void expectOk(RespReply r, String what) {
        if (!(r instanceof SimpleString s && s.value().equals("OK"))) {
            throw replyError(what, r);
        }
    }

    /**
     * The typed error for an unwanted reply to {@code what}. Authentication problems say that the
     * Dragonfly source refused, and what to set; they never contain the password.
     */
    ReplicationException replyError(String what, RespReply r) {
        DragonflyEndpoint ep = options.source();
        String src = "the Dragonfly source at " + ep.address();
        String who = ep.user() != null ? "user '" + ep.user() + "'" : "the default user";
        if (r instanceof ErrorReply e) {
            switch (e.kind()) {
                case NOAUTH:
                    return new AuthenticationException(src + " requires authentication (" + e.message() + ", in reply to "
                            + what + ")" + (ep.password() == null
                            ? ": no password is configured for the source; set the source's password "
                            + "(DragonflyEndpoint.withPassword, or withUser for an ACL user)"
                            : ": the configured credentials were not accepted; check the source's password and user "
                            + "(DragonflyEndpoint.withPassword / withUser)"));
                case WRONGPASS:
                    return new AuthenticationException(src + " rejected the credentials of " + who + " ("
                            + e.message() + "): check the source's password" + (ep.user() != null ? " and user" : "")
                            + " (DragonflyEndpoint.withPassword / withUser)");
                case NOPERM:
                    return new AuthenticationException(src + " does not allow " + what + " to " + who + " ("
                            + e.message() + "): the source user needs the permissions of a Dragonfly replica "
                            + "(PING, INFO, REPLCONF, DFLY)");
                default:
                    if (what.equals("AUTH")) {
                        return new AuthenticationException(src + " refused AUTH for " + who + " (" + e.message()
                                + "): check the source's password and user (DragonflyEndpoint.withPassword / "
                                + "withUser), or configure none if the source needs none");
                    }
                    return new HandshakeException(src + " answered " + what + " with an error: " + e.message());
            }
        }
        return new HandshakeException("unexpected reply from " + src + " to " + what + ": " + r);
    }
}
