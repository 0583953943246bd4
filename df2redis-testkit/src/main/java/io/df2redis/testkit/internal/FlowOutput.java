package io.df2redis.testkit.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ordered byte output of one flow connection. Everything written to a flow after its FLOW
 * reply goes through here: snapshot flushes, journal items, replies to stray commands. A pump on
 * the channel's event loop drains the queue while the channel is writable, asks the
 * {@link Producer} (the snapshot serializer) for more when the queue is empty, and applies the
 * fault hooks: stall (stop writing until a deadline) and drop (close after N bytes).
 *
 * <p>It also counts the bytes not yet written to the socket ({@link #pendingBytes()}: queued, or
 * handed to Netty and not yet accepted by the kernel), which is what Dragonfly's journal streamer
 * compares with {@code --replication_stream_output_limit} to decide whether writers must wait
 * ({@link #stalled}, {@link #whenBelow}; see {@code WriteThrottle}).
 *
 * <p>Threads: {@code queue}, {@code closed} and {@code waiters} are guarded by {@code queue}'s
 * monitor; {@code pending} is atomic; the pump's own state ({@code bytesWritten},
 * {@code wakeScheduled}, {@code wakeAtNanos}) belongs to the channel's event loop.
 */
public final class FlowOutput {
    private static final int MAX_ITERATIONS_PER_RUN = 256;

    /** Produces more bytes on demand (the snapshot). Called on the event loop. */
    public interface Producer {
        /** Nanoseconds to wait before the next {@link #step} (pacing); 0 to go now. */
        long delayNanos();

        /** Appends the next piece to the output; false when there is nothing to produce now. */
        boolean step();
    }

    private final Channel channel;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final AtomicLong pending = new AtomicLong();
    private final List<Waiter> waiters = new ArrayList<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile Producer producer;
    private long bytesWritten;
    private volatile long dropAfter = -1;
    private volatile long stalledUntilNanos;
    private volatile boolean closed;
    private boolean wakeScheduled;
    private long wakeAtNanos;

    private record Waiter(long limit, Runnable action) {
    }

    public FlowOutput(Channel channel) {
        this.channel = channel;
    }

    public Channel channel() {
        return channel;
    }

    /** Appends bytes and wakes the pump. */
    public void enqueue(byte[] bytes) {
        if (bytes.length == 0) {
            return;
        }
        synchronized (queue) {
            if (closed) {
                return;
            }
            queue.add(bytes);
            pending.addAndGet(bytes.length);
        }
        kick();
    }

    /** Appends bytes without waking the pump (for producers, which run inside it). */
    void enqueueQuiet(byte[] bytes) {
        if (bytes.length == 0) {
            return;
        }
        synchronized (queue) {
            if (!closed) {
                queue.add(bytes);
                pending.addAndGet(bytes.length);
            }
        }
    }

    public void producer(Producer p) {
        this.producer = p;
        kick();
    }

    /** Closes the connection once {@code limit} bytes (counted from the first byte after the FLOW reply) were written. */
    public void dropAfter(long limit) {
        this.dropAfter = limit;
        kick();
    }

    /** Stops writing for {@code nanos} from now. */
    public void stall(long nanos) {
        this.stalledUntilNanos = System.nanoTime() + nanos;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    public boolean isClosed() {
        return closed;
    }

    public void close() {
        List<Waiter> released;
        synchronized (queue) {
            closed = true;
            queue.clear();
            released = new ArrayList<>(waiters);
            waiters.clear();
        }
        channel.close();
        released.forEach(w -> w.action().run());
    }

    /** Bytes enqueued and not yet accepted by the socket. */
    public long pendingBytes() {
        return pending.get();
    }

    /** Whether at least {@code limit} bytes wait to be written (never once closed). */
    public boolean stalled(long limit) {
        synchronized (queue) {
            return !closed && pending.get() >= limit;
        }
    }

    /**
     * Runs {@code action} once fewer than {@code limit} bytes wait to be written, or the output is
     * closed: at once on the caller's thread when that is already so, else on the thread that
     * completed the write or closed the output.
     */
    public void whenBelow(long limit, Runnable action) {
        synchronized (queue) {
            if (!closed && pending.get() >= limit) {
                waiters.add(new Waiter(limit, action));
                return;
            }
        }
        action.run();
    }

    /** A write of {@code n} bytes completed (or failed): wakes the waiters whose limit is now met. */
    private void written(long n) {
        long now = pending.addAndGet(-n);
        List<Waiter> ready = null;
        synchronized (queue) {
            for (var it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (now < w.limit()) {
                    if (ready == null) {
                        ready = new ArrayList<>();
                    }
                    ready.add(w);
                    it.remove();
                }
            }
        }
        if (ready != null) {
            ready.forEach(w -> w.action().run());
        }
    }

    /** Schedules a pump run on the event loop (at most one pending). */
    public void kick() {
        if (closed || !scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            channel.eventLoop().execute(this::pump);
        } catch (RuntimeException e) {
            scheduled.set(false);
        }
    }

    private void pump() {
        scheduled.set(false);
        if (closed) {
            return;
        }
        boolean wrote = false;
        try {
            for (int i = 0; i < MAX_ITERATIONS_PER_RUN; i++) {
                long limit = dropAfter;
                if (limit >= 0 && bytesWritten >= limit) {
                    close();
                    return;
                }
                long wait = stalledUntilNanos - System.nanoTime();
                if (wait > 0) {
                    wakeLater(wait);
                    return;
                }
                if (!channel.isWritable()) {
                    return; // channelWritabilityChanged kicks again
                }
                byte[] next;
                synchronized (queue) {
                    next = queue.poll();
                }
                if (next == null) {
                    Producer p = producer;
                    if (p == null) {
                        return;
                    }
                    long delay = p.delayNanos();
                    if (delay > 0) {
                        wakeLater(delay);
                        return;
                    }
                    if (!p.step()) {
                        return;
                    }
                    continue;
                }
                wrote = true;
                if (!write(next)) {
                    return;
                }
            }
            kick();
        } finally {
            if (wrote && !closed) {
                channel.flush();
            }
        }
    }

    /** Writes a segment, honouring the drop limit; false when the connection was dropped. */
    private boolean write(byte[] b) {
        long limit = dropAfter;
        if (limit >= 0 && bytesWritten + b.length >= limit) {
            int n = (int) Math.max(0, limit - bytesWritten);
            bytesWritten += n;
            synchronized (queue) {
                closed = true;
                queue.clear();
            }
            channel.writeAndFlush(Unpooled.wrappedBuffer(b, 0, n)).addListener(ChannelFutureListener.CLOSE);
            pending.addAndGet(-b.length);
            return false;
        }
        bytesWritten += b.length;
        channel.write(Unpooled.wrappedBuffer(b)).addListener(f -> written(b.length));
        return true;
    }

    private void wakeLater(long nanos) {
        long delay = Math.max(nanos, 100_000L);
        long at = System.nanoTime() + delay;
        if (wakeScheduled && wakeAtNanos - at <= 0) {
            return; // an earlier wake is already scheduled
        }
        // a sooner wake than the one scheduled (the pace was made faster): the later one still runs, harmlessly
        wakeScheduled = true;
        wakeAtNanos = at;
        channel.eventLoop().schedule(() -> {
            if (wakeAtNanos == at) {
                wakeScheduled = false;
            }
            kick();
        }, delay, TimeUnit.NANOSECONDS);
    }
}
