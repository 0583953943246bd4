package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.sink.redis.RedisCommandException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Snapshot strings written by the hundred: whole string values without a TTL are collected into one
 * {@code MSET} per target db (standalone targets; a cluster runs {@code MSET} only within a slot).
 * Redis runs one {@code MSET} of {@link #MAX_KEYS} keys several times faster than as many pipelined
 * {@code SET}s, and the sink sends and completes one command instead of a hundred. {@code MSET}
 * replaces a key of any type and clears its TTL, exactly as the {@code SET} it stands for.
 *
 * <p>A batch is sent when it holds {@link #MAX_KEYS} keys or {@link #MAX_BYTES} bytes, when the
 * db changes, {@link #LINGER} after its first key (on the sink's timer, so the last keys of a
 * flow are not held back: one timer task at a time, which on expiry flushes the open batch if it
 * is old enough and otherwise waits for it, so a busy flow schedules one task per linger period
 * instead of one per batch), and before any other command of the flow ({@link CommandSender} calls
 * {@link #flush()} under this object's lock before every other send, which keeps the flow's
 * order: a journal write to a key comes after the snapshot's). Every key's future completes with
 * the {@code MSET}'s reply.
 *
 * <p>Thread ownership: {@link #add} on the flow's applier thread; {@link #flush()} there or on the
 * sink's timer thread; all state is guarded by this object's lock, which is also held while the
 * batch is handed to the lane (so no other command of the flow can overtake it).
 */
final class StringBatch {
    /** Keys per {@code MSET} at most. */
    static final int MAX_KEYS = 128;
    /** Key and value bytes per {@code MSET} at most. */
    static final int MAX_BYTES = 64 * 1024;
    /** How long an open batch waits for more keys. */
    static final Duration LINGER = Duration.ofMillis(1);
    private static final byte[] MSET = "MSET".getBytes(StandardCharsets.US_ASCII);

    private final Lane lane;
    private final ScheduledExecutorService timer;
    private final Consumer<Throwable> onError;
    private int db = -1;
    private List<byte[]> args;
    private CompletableFuture<Void> reply;
    private int bytes;
    /** Nanotime the open batch got its first key. */
    private long openedAt;
    /** A linger task is scheduled (it clears this when it runs). */
    private boolean lingering;
    private final Runnable lingerTask = this::lingerExpired;

    /**
     * @param lane the flow's lane (standalone)
     * @param timer the sink's timer for the linger
     * @param onError told once of a batch that failed
     */
    StringBatch(Lane lane, ScheduledExecutorService timer, Consumer<Throwable> onError) {
        this.lane = lane;
        this.timer = timer;
        this.onError = onError;
    }

    /**
     * Adds {@code SET key value} (applier).
     *
     * @param targetDb the target db
     * @return completes when the {@code MSET} that carries it was answered; exceptionally, with a
     *     {@link RedisCommandException} for an error reply (already reported to {@code onError})
     */
    synchronized CompletableFuture<Void> add(int targetDb, byte[] key, byte[] value) {
        if (args != null && targetDb != db) {
            flush();
        }
        if (args == null) {
            args = new ArrayList<>(2 * MAX_KEYS + 1);
            args.add(MSET);
            db = targetDb;
            reply = new CompletableFuture<>();
            openedAt = System.nanoTime();
        }
        args.add(key);
        args.add(value);
        bytes += key.length + value.length;
        CompletableFuture<Void> r = reply;
        if (args.size() >= 2 * MAX_KEYS + 1 || bytes >= MAX_BYTES) {
            flush();
        } else if (!lingering) {
            timer.schedule(lingerTask, LINGER.toNanos(), TimeUnit.NANOSECONDS);
            lingering = true;
        }
        return r;
    }

    /** The linger task (timer): flushes the open batch once it is {@link #LINGER} old, else waits for that. */
    private synchronized void lingerExpired() {
        lingering = false;
        if (args == null) {
            return;
        }
        long wait = openedAt + LINGER.toNanos() - System.nanoTime();
        if (wait <= 0) {
            flush();
        } else {
            timer.schedule(lingerTask, wait, TimeUnit.NANOSECONDS);
            lingering = true;
        }
    }

    /** Sends the open batch, if any (applier, timer, or before another command of the flow). */
    synchronized void flush() {
        if (args == null) {
            return;
        }
        List<byte[]> a = args;
        CompletableFuture<Void> r = reply;
        int d = db;
        args = null;
        reply = null;
        bytes = 0;
        try {
            lane.send(d, a.get(1), a).whenComplete((v, t) -> {
                if (t == null && !(v instanceof ErrorReply)) {
                    r.complete(null);
                    return;
                }
                Throwable e = t != null ? t : new RedisCommandException(lane.endpoint(), "MSET",
                        new String(a.get(1), StandardCharsets.UTF_8), d, ((ErrorReply) v).message());
                onError.accept(e);
                r.completeExceptionally(e);
            });
        } catch (RuntimeException e) {
            onError.accept(e);
            r.completeExceptionally(e);
        }
    }
}
