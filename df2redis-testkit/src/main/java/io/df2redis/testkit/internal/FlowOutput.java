package io.df2redis.testkit.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The ordered byte output of one flow connection. Everything written to a flow after its FLOW
 * reply goes through here: snapshot flushes, journal items, replies to stray commands. A pump on
 * the channel's event loop drains the queue while the channel is writable, asks the
 * {@link Producer} (the snapshot serializer) for more when the queue is empty, and applies the
 * fault hooks: stall (stop writing until a deadline) and drop (close after N bytes).
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
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile Producer producer;
    private long bytesWritten;
    private volatile long dropAfter = -1;
    private volatile long stalledUntilNanos;
    private volatile boolean closed;
    private boolean wakeScheduled;

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
        synchronized (queue) {
            closed = true;
            queue.clear();
        }
        channel.close();
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
            return false;
        }
        bytesWritten += b.length;
        channel.write(Unpooled.wrappedBuffer(b));
        return true;
    }

    private void wakeLater(long nanos) {
        if (wakeScheduled) {
            return;
        }
        wakeScheduled = true;
        channel.eventLoop().schedule(() -> {
            wakeScheduled = false;
            kick();
        }, Math.max(nanos, 100_000L), TimeUnit.NANOSECONDS);
    }
}
