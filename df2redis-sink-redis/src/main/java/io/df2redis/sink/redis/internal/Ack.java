package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.sink.redis.RedisCommandException;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Completion of one sink event: completes when every command the event produced was answered,
 * exceptionally with the first failure (an error reply becomes a {@link RedisCommandException}).
 *
 * <p>Cheap for the common snapshot events: one that sent nothing gets a shared completed stage, and
 * one whose only command is its key's share of a batched {@code MSET} gets the batch's own stage
 * ({@link #registerShared}); neither allocates a future or a callback, and the writer reuses the
 * Ack for its next event ({@link #reusable}). The command name and key of a
 * registration become text only for an error.
 *
 * <p>Thread ownership: registered and sealed by the event's applier thread; the reply callbacks
 * run on event loops ({@code remaining} and {@code first} are thread-safe).
 */
final class Ack {
    /** The stage of every event that sent nothing (most snapshot events): one shared, already complete. */
    private static final CompletableFuture<Void> NOTHING_SENT = CompletableFuture.completedFuture(null);

    private final AtomicInteger remaining = new AtomicInteger(1);
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private boolean registered;
    /** {@link #seal} returned {@code done}: never reused. */
    private boolean escaped;
    /** The one shared stage registered so far, while it is the only registration. */
    private CompletableFuture<Void> only;
    private final Consumer<Throwable> onError;
    private final String endpoint;
    private volatile Throwable first;

    /**
     * @param onError told of every failure
     * @param endpoint the target the commands go to, named in a {@link RedisCommandException}
     */
    Ack(Consumer<Throwable> onError, String endpoint) {
        this.onError = onError;
        this.endpoint = endpoint;
    }

    /**
     * One command's reply.
     *
     * @param command the command name as sent (any case)
     * @param key the key it is about, or null
     */
    void register(CompletableFuture<RespReply> f, byte[] command, byte[] key, int db) {
        unshare();
        registered = true;
        remaining.incrementAndGet();
        f.whenComplete((r, t) -> {
            if (t != null) {
                fail(t);
            } else if (r instanceof ErrorReply e) {
                fail(new RedisCommandException(endpoint, new String(command, StandardCharsets.UTF_8)
                        .toUpperCase(Locale.ROOT), key == null ? null : new String(key, StandardCharsets.UTF_8), db,
                        e.message()));
            }
            arrive();
        });
    }

    /**
     * A stage shared with other events (a batched {@code MSET}'s), which reports its own failures to
     * the sink: while it is this event's only registration, it is this event's stage.
     */
    void registerShared(CompletableFuture<Void> shared) {
        if (!registered) {
            registered = true;
            only = shared;
            return;
        }
        unshare();
        remaining.incrementAndGet();
        shared.whenComplete((v, t) -> {
            if (t != null) {
                remember(t);
            }
            arrive();
        });
    }

    /** A second registration: the shared stage becomes an ordinary one. */
    private void unshare() {
        CompletableFuture<Void> s = only;
        if (s != null) {
            only = null;
            remaining.incrementAndGet();
            s.whenComplete((v, t) -> {
                if (t != null) {
                    remember(t);
                }
                arrive();
            });
        }
    }

    void fail(Throwable t) {
        remember(t);
        onError.accept(t);
    }

    private void remember(Throwable t) {
        synchronized (this) {
            if (first == null) {
                first = t;
            }
        }
    }

    boolean failed() {
        return first != null;
    }

    CompletableFuture<Void> seal() {
        if (!registered && first == null) {
            return NOTHING_SENT; // the thread that registers is the one that seals: no race
        }
        if (only != null && first == null) {
            return only;
        }
        escaped = true;
        unshare();
        arrive();
        return done;
    }

    /**
     * Whether {@link #seal} gave nothing of this Ack's own (the shared stage of nothing sent, or the
     * one batch stage it was given) and no reply callback holds it: it may serve the next event
     * ({@link #reset}). Every other seal returns {@code done}, which reply callbacks complete.
     */
    boolean reusable() {
        return first == null && !escaped;
    }

    /** Ready for another event (only when {@link #reusable}). */
    void reset() {
        only = null;
        registered = false;
    }

    private void arrive() {
        if (remaining.decrementAndGet() == 0) {
            Throwable t = first;
            if (t == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(t);
            }
        }
    }
}
