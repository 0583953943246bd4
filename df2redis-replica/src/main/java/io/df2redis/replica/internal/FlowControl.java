package io.df2redis.replica.internal;

import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The byte accounting of one flow's queue and the pausing of reads from the master when it is
 * over its limit ({@link io.df2redis.replica.SlowConsumerPolicy#PAUSE_READING}): reads stop when
 * the queue exceeds the limit and resume once the applier drained it to half the limit.
 *
 * <p>Thread ownership. "Event loop" is the flow channel's Netty event loop ({@link #added},
 * {@link #resumeOnLoop}); "applier" is the flow's applier thread ({@link #removed}).
 * <ul>
 *   <li>event loop writes, others read (volatile): {@code paused}, {@code pauseStartNanos},
 *       {@code maxQueued}</li>
 *   <li>shared, atomic: {@code queued}, {@code pauses}, {@code pausedNanos},
 *       {@code resumeRequested} (set by the applier, cleared by the event loop)</li>
 *   <li>any thread: {@code closing} (set by the close thread); {@code channel} is set by the
 *       supervisor before the applier starts</li>
 * </ul>
 */
final class FlowControl {
    private static final Logger LOG = LoggerFactory.getLogger(FlowControl.class);

    private final int flow;
    private final long limit;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean resumeRequested = new AtomicBoolean();
    private final AtomicLong pauses = new AtomicLong();
    private final AtomicLong pausedNanos = new AtomicLong();
    private volatile Channel channel;
    private volatile boolean paused;
    private volatile long pauseStartNanos;
    private volatile long maxQueued;
    private volatile boolean closing;

    FlowControl(int flow, long limit) {
        this.flow = flow;
        this.limit = limit;
    }

    void bind(Channel ch) {
        this.channel = ch;
    }

    long limit() {
        return limit;
    }

    /**
     * Event loop: {@code bytes} were queued. Pauses reading when the queue is over its limit, unless
     * {@code failOnLimit}.
     *
     * @return the bytes now queued when over the limit and {@code failOnLimit}, else -1
     */
    long added(long bytes, boolean failOnLimit) {
        long q = queued.addAndGet(bytes);
        if (q > maxQueued) {
            maxQueued = q;
        }
        if (q > limit && !paused) {
            if (failOnLimit) {
                return q;
            }
            paused = true;
            pauseStartNanos = System.nanoTime();
            pauses.incrementAndGet();
            Channel ch = channel;
            if (ch != null) {
                ch.config().setAutoRead(false);
            }
            LOG.warn("flow {}: consumers are slower than the master; {} bytes queued (limit {}): pausing reads", flow,
                    q, limit);
        }
        return -1;
    }

    /** Applier: {@code bytes} were applied; asks the event loop to resume reading once drained to half the limit. */
    void removed(long bytes) {
        queued.addAndGet(-bytes);
        Channel ch = channel;
        if (paused && !closing && ch != null && queued.get() <= limit / 2 && resumeRequested.compareAndSet(false, true)) {
            ch.eventLoop().execute(this::resumeOnLoop);
        }
    }

    /** Event loop: the only place {@code paused} becomes false again. */
    private void resumeOnLoop() {
        resumeRequested.set(false);
        Channel ch = channel;
        if (paused && !closing && ch != null && queued.get() <= limit / 2) {
            paused = false;
            pausedNanos.addAndGet(System.nanoTime() - pauseStartNanos);
            ch.config().setAutoRead(true);
            ch.read();
            LOG.info("flow {}: queue drained to {} bytes: reading resumed", flow, queued.get());
        }
    }

    /** The session is ending: never resume reading again. */
    void closing() {
        closing = true;
    }

    boolean isPaused() {
        return paused;
    }

    long queued() {
        return queued.get();
    }

    long maxQueued() {
        return maxQueued;
    }

    long pauses() {
        return pauses.get();
    }

    long pausedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(pausedNanos.get() + (paused ? System.nanoTime() - pauseStartNanos : 0));
    }
}
