package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.sink.redis.RedisCommandException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Completion of one sink event: completes when every command the event produced was answered,
 * exceptionally with the first failure (an error reply becomes a {@link RedisCommandException}).
 */
final class Ack {
    /** The stage of every event that sent nothing (most snapshot events): one shared, already complete. */
    private static final CompletableFuture<Void> NOTHING_SENT = CompletableFuture.completedFuture(null);

    private final AtomicInteger remaining = new AtomicInteger(1);
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private boolean registered;
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

    void register(CompletableFuture<RespReply> f, String command, String key, int db) {
        registered = true;
        remaining.incrementAndGet();
        f.whenComplete((r, t) -> {
            if (t != null) {
                fail(t);
            } else if (r instanceof ErrorReply e) {
                fail(new RedisCommandException(endpoint, command, key, db, e.message()));
            }
            arrive();
        });
    }

    void fail(Throwable t) {
        synchronized (this) {
            if (first == null) {
                first = t;
            }
        }
        onError.accept(t);
    }

    boolean failed() {
        return first != null;
    }

    CompletableFuture<Void> seal() {
        if (!registered && first == null) {
            return NOTHING_SENT; // the thread that registers is the one that seals: no race
        }
        arrive();
        return done;
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
