package io.df2redis.testkit.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One direction of a {@link ProxiedConnection}: the bytes read from its source and not yet forwarded, its counters, rate limit
 * and triggers. Owned by the event loop (only {@link #forwarded} is read by other threads).
 */
final class Pump {
/** A fault to apply once the forwarded byte count of this direction reaches {@code at}. */
record Trigger(long at, Fault then) {
}

private final ProxiedConnection conn;
    final Direction direction;
    final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    final List<Trigger> triggers = new ArrayList<>();
    long pendingBytes;
    /** Written by the event loop only. */
    volatile long forwarded;
    boolean eof;
    boolean eofSent;
    long rate;
    double tokens;
    long refilledAt;
    ScheduledFuture<?> refill;

    Pump(ProxiedConnection conn, Direction direction) {
        this.conn = conn;
        this.direction = direction;
    }

    Channel source() {
        return direction == Direction.CLIENT_TO_UPSTREAM ? conn.client : conn.upstream;
    }

    Channel sink() {
        return direction == Direction.CLIENT_TO_UPSTREAM ? conn.upstream : conn.client;
    }

    Trigger nextTrigger() {
        Trigger best = null;
        for (Trigger t : triggers) {
            if (best == null || t.at() < best.at()) {
                best = t;
            }
        }
        return best;
    }

    long untilNextTrigger() {
        Trigger t = nextTrigger();
        return t == null ? Long.MAX_VALUE : Math.max(0, t.at() - forwarded);
    }

    void setRate(long bytesPerSecond) {
        rate = bytesPerSecond;
        tokens = 0;
        refilledAt = System.nanoTime();
        cancelRefill();
    }

    /** At most 20 ms worth of bytes accumulate while idle. */
    long burst() {
        return Math.max(1, rate / 50);
    }

    long availableTokens() {
        long now = System.nanoTime();
        tokens = Math.min(burst(), tokens + (now - refilledAt) * (double) rate / 1e9);
        refilledAt = now;
        return (long) tokens;
    }

    void scheduleRefill() {
        if (refill != null) {
            return;
        }
        double need = Math.min(burst(), Math.max(1, pendingBytes)) - tokens;
        long delayNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), (long) Math.ceil(need * 1e9 / rate));
        refill = conn.loop.schedule(() -> {
            refill = null;
            conn.pump();
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    void cancelRefill() {
        if (refill != null) {
            refill.cancel(false);
            refill = null;
        }
    }

    void clear() {
        cancelRefill();
        triggers.clear();
        for (Iterator<ByteBuf> it = pending.iterator(); it.hasNext(); ) {
            ReferenceCountUtil.safeRelease(it.next());
            it.remove();
        }
        pendingBytes = 0;
    }

    /** Forwards what may be forwarded now (event loop): up to the next trigger, within the rate, while the sink is writable. */
    void drain() {
        Pump p = this;
        conn.fireDue(p);
        if (conn.ended || !conn.connected) {
            return;
        }
        Channel sink = p.sink();
        boolean wrote = false;
        while (!conn.ended && !conn.stalled && !p.pending.isEmpty() && sink.isWritable()) {
            ByteBuf head = p.pending.peek();
            long allowed = Math.min(head.readableBytes(), p.untilNextTrigger());
            if (p.rate > 0 && allowed > 0) {
                long tokens = p.availableTokens();
                if (tokens <= 0) {
                    p.scheduleRefill();
                    break;
                }
                allowed = Math.min(allowed, tokens);
            }
            if (allowed > 0) {
                ByteBuf out = allowed == head.readableBytes() ? p.pending.poll() : head.readRetainedSlice((int) allowed);
                p.pendingBytes -= allowed;
                p.forwarded += allowed;
                p.tokens -= allowed;
                sink.write(out);
                wrote = true;
            }
            if (p.untilNextTrigger() == 0) {
                if (wrote) {
                    sink.flush();
                    wrote = false;
                }
                conn.fireDue(p);
            }
        }
        if (wrote) {
            sink.flush();
        }
        if (!conn.ended && !conn.stalled && p.eof && !p.eofSent && p.pending.isEmpty()) {
            conn.propagateEof(p);
        }
    }
}
