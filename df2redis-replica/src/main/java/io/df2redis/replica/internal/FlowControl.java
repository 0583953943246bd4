package io.df2redis.replica.internal;

import io.df2redis.replica.FlowStats;
import io.df2redis.replica.SlowConsumerPolicy;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The byte accounting of one flow's queue and what happens when it is over its limit, per the
 * {@link SlowConsumerPolicy}: {@code PAUSE_READING} stops reads until the applier drained the queue
 * to half the limit (the low-water mark); {@code SPILL} diverts the socket's bytes to the flow's
 * {@link FlowSpill} and feeds them back from the low-water mark on; {@code FAIL} is reported to the
 * caller. Reading is also paused, for as long as they last, by the spill's own limits (its hand-off
 * to the disk thread, its disk budget): {@link #pause} and {@link #resume} keep one flag per reason
 * and reading runs only when none is set and the session is not closing.
 *
 * <p>Thread ownership. "Event loop" is the flow channel's Netty event loop ({@link #added},
 * {@link #pause}, {@link #resume}, {@link #awaitDrain}, {@link #drainedOnLoop}); "applier" is the
 * flow's applier thread ({@link #removed}).
 * <ul>
 *   <li>event loop writes, others read (volatile): {@code pausedFor}, {@code pauseStartNanos},
 *       {@code maxQueued}, {@code drainWanted}</li>
 *   <li>shared, atomic: {@code queued}, {@code pauses}, {@code pausedNanos},
 *       {@code drainSignalled} (set by the applier, cleared by the event loop)</li>
 *   <li>any thread: {@code closing} (set by the close thread); {@code channel}, {@code spill} and
 *       {@code spillEmptied} are set by the supervisor before the flow's connection is handed over</li>
 * </ul>
 */
final class FlowControl {
    /** Reading paused because the queue is full ({@link SlowConsumerPolicy#PAUSE_READING}). */
    static final int QUEUE = 1;
    /** Reading paused because the spill's hand-off to its disk thread is full. */
    static final int HANDOFF = 2;
    /** Reading paused because the spill's disk budget is exhausted. */
    static final int BUDGET = 4;

    private static final Logger LOG = LoggerFactory.getLogger(FlowControl.class);

    private final int flow;
    private final long limit;
    private final SlowConsumerPolicy policy;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean drainSignalled = new AtomicBoolean();
    private final AtomicLong pauses = new AtomicLong();
    private final AtomicLong pausedNanos = new AtomicLong();
    private volatile Channel channel;
    private volatile FlowSpill spill;
    private volatile Runnable spillEmptied = () -> { };
    private volatile int pausedFor;
    private volatile long pauseStartNanos;
    private volatile long maxQueued;
    private volatile boolean drainWanted;
    private volatile boolean closing;

    FlowControl(int flow, long limit, SlowConsumerPolicy policy) {
        this.flow = flow;
        this.limit = limit;
        this.policy = policy;
    }

    void bind(Channel ch) {
        this.channel = ch;
    }

    /** Attaches the flow's spill ({@link SlowConsumerPolicy#SPILL}); before the flow starts. */
    void spill(FlowSpill s) {
        this.spill = s;
    }

    /** What to run (on the event loop) when the spill became empty: wakes a draining close. */
    void onSpillEmptied(Runnable r) {
        this.spillEmptied = r;
    }

    FlowSpill spill() {
        return spill;
    }

    long limit() {
        return limit;
    }

    int flow() {
        return flow;
    }

    /**
     * Event loop: {@code bytes} were queued. Over the limit: pauses reading (PAUSE_READING), starts
     * spilling (SPILL, when not spilling already) or reports it (FAIL).
     *
     * @return the bytes now queued when over the limit under FAIL, else -1
     */
    long added(long bytes) {
        long q = queued.addAndGet(bytes);
        if (q > maxQueued) {
            maxQueued = q;
        }
        if (q <= limit) {
            return -1;
        }
        FlowSpill s = spill;
        if (policy == SlowConsumerPolicy.FAIL) {
            return q;
        } else if (policy == SlowConsumerPolicy.SPILL && s != null) {
            s.startSpilling(q);
        } else if ((pausedFor & QUEUE) == 0) {
            pause(QUEUE);
            LOG.warn("flow {}: consumers are slower than the master; {} bytes queued (limit {}): pausing reads", flow,
                    q, limit);
            awaitDrain();
        }
        return -1;
    }

    /** Applier: {@code bytes} were applied; signals the event loop once the queue is at its low-water mark. */
    void removed(long bytes) {
        long q = queued.addAndGet(-bytes);
        Channel ch = channel;
        if (drainWanted && ch != null && q <= limit / 2 && drainSignalled.compareAndSet(false, true)) {
            ch.eventLoop().execute(this::drainedOnLoop);
        }
    }

    /**
     * Event loop: asks for {@link #drainedOnLoop} once the queue is at its low-water mark (at once
     * when it is already). The flag is set before the queue is read, and the applier reads the flag
     * after it changed the queue, so one of the two always sees the other: no wake-up is lost.
     */
    void awaitDrain() {
        drainWanted = true;
        Channel ch = channel;
        if (ch != null && queued.get() <= limit / 2 && drainSignalled.compareAndSet(false, true)) {
            ch.eventLoop().execute(this::drainedOnLoop);
        }
    }

    /** Event loop: the queue reached its low-water mark; resumes reading and tells the spill. */
    private void drainedOnLoop() {
        drainSignalled.set(false);
        if (queued.get() > limit / 2) {
            return; // refilled meanwhile (the spill's feeding): the applier signals again
        }
        drainWanted = false;
        if ((pausedFor & QUEUE) != 0 && resume(QUEUE)) {
            LOG.info("flow {}: queue drained to {} bytes: reading resumed", flow, queued.get());
        }
        FlowSpill s = spill;
        if (s != null) {
            s.drained();
        }
    }

    /** Event loop: the spill became empty. */
    void spillEmptied() {
        spillEmptied.run();
    }

    /** Event loop: stops reading for {@code reason} (one of the constants); counts a pause when it starts one. */
    void pause(int reason) {
        int before = pausedFor;
        pausedFor = before | reason;
        if (before == 0) {
            pauseStartNanos = System.nanoTime();
            pauses.incrementAndGet();
            Channel ch = channel;
            if (ch != null) {
                ch.config().setAutoRead(false);
            }
        }
    }

    /**
     * Event loop: {@code reason} no longer holds reading back; reading resumes when no other reason
     * does and the session is not closing.
     *
     * @return whether reading resumed
     */
    boolean resume(int reason) {
        int before = pausedFor;
        if ((before & reason) == 0) {
            return false;
        }
        int now = before & ~reason;
        pausedFor = now;
        if (now != 0) {
            return false;
        }
        pausedNanos.addAndGet(System.nanoTime() - pauseStartNanos);
        Channel ch = channel;
        if (closing || ch == null) {
            return false;
        }
        ch.config().setAutoRead(true);
        ch.read();
        return true;
    }

    /** Whether reading is paused for {@code reason}. */
    boolean isPausedFor(int reason) {
        return (pausedFor & reason) != 0;
    }

    /** The session is ending: never resume reading again (spilled bytes are still fed back). */
    void closing() {
        closing = true;
    }

    /** Whether every spilled byte was fed back (always true without a spill). */
    boolean spillEmpty() {
        FlowSpill s = spill;
        return s == null || s.isEmpty();
    }

    boolean isPaused() {
        return pausedFor != 0;
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

    /**
     * The flow's figures, with the applier's {@code applied}, the last ACK {@code acked} and the bytes
     * of the events the sink confirmed.
     */
    FlowStats stats(FlowConnection conn, long applied, long acked, long appliedBytes) {
        FlowSpill sp = spill;
        return new FlowStats(flow, conn == null ? 0 : conn.bytesReceived.get(), conn == null ? 0 : conn.entries.get(),
                conn == null ? 0 : conn.journalEntries.get(), conn == null ? 0 : conn.receivedLsn, applied, acked,
                queued(), maxQueued, pauses(), pausedMillis(), sp == null ? 0 : sp.spilledBytes(),
                sp == null ? 0 : sp.spilledTotal(), sp == null ? Duration.ZERO : sp.oldest(), appliedBytes,
                conn == null ? Duration.ZERO : Duration.ofNanos(conn.arrivals.lagNanos(applied, System.nanoTime())));
    }

    long pausedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(pausedNanos.get() + (pausedFor != 0 ? System.nanoTime() - pauseStartNanos : 0));
    }
}
