package io.df2redis.replica.internal;

import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.SlowConsumerPolicy;
import io.df2redis.replica.SpillException;
import io.df2redis.replica.SpillFullException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One flow's spill to disk: the switch between decoding the socket's bytes directly and diverting
 * them to the flow's {@link SpillLog}, and the paced feeding of the spilled bytes back to the
 * decoder. When the flow's queue goes over its limit ({@link FlowControl#added}) the flow starts
 * spilling: every byte read from the socket after that goes to the log, so order is kept. Once the
 * applier drained the queue to its low-water mark, chunks are read back (on the spill thread) and
 * decoded (on the event loop) one after the other while the queue is under its limit; when every
 * spilled byte was fed back the flow decodes directly again.
 *
 * <p>Thread ownership. "Event loop" is the flow channel's event loop: {@link #startSpilling},
 * {@link #divert}, {@link #drained}, {@code feed} and the resume callbacks; it alone writes
 * {@code spilling}, {@code readPending}, {@code handoffWarned}, {@code starts} and the volatiles
 * {@code spilled}, {@code fed} and {@code oldestNanos} (read by any thread for statistics and by
 * the closing thread in {@link #isEmpty()}). "Spill thread" is the {@link Spiller}'s thread:
 * {@link #write}, {@link #serveRead}, {@link #discard}, {@link #handoffDrained}, {@link #budgetFreed};
 * it alone uses {@code log} and writes {@code readWaiting} and {@code failed}. Shared:
 * {@code closed} (volatile, set by the closing thread), the {@code *Paused} flags (volatile, set
 * by the event loop and read by the spill thread to decide whether to post a resume) and the
 * {@code *Posted} flags (atomic: at most one resume of each kind is on its way).
 */
final class FlowSpill {
    /** What the spill feeds and fails: the flow's connection. */
    interface Target {
        /** The flow's channel (bound before any byte is spilled). */
        Channel channel();

        /** Event loop: decodes {@code bytes} read back from the spill (ownership included). */
        void decodeSpilled(ByteBuf bytes);

        /** Event loop: the spill failed; ends the flow with {@code e}. */
        void spillFailed(ReplicationException e);
    }

    private static final Logger LOG = LoggerFactory.getLogger(FlowSpill.class);

    private final int flow;
    private final Spiller spiller;
    private final FlowControl control;
    private final Target target;
    private final SpillLog log;
    // event loop
    private boolean spilling;
    private boolean readPending;
    private boolean handoffWarned;
    private long starts;
    private volatile long spilled;
    private volatile long fed;
    private volatile long oldestNanos;
    private volatile boolean handoffPaused;
    private volatile boolean budgetPaused;
    // spill thread
    private boolean readWaiting;
    private boolean failed;
    // shared
    private volatile boolean closed;
    private final AtomicBoolean handoffPosted = new AtomicBoolean();
    private final AtomicBoolean budgetPosted = new AtomicBoolean();

    FlowSpill(int flow, Spiller spiller, FlowControl control, Target target, SpillLog log) {
        this.flow = flow;
        this.spiller = spiller;
        this.control = control;
        this.target = target;
        this.log = log;
    }

    // ------------------------------------------------------------ event loop

    /** Event loop: the queue is over its limit ({@code queued} bytes); from now on the socket's bytes are spilled. */
    void startSpilling(long queued) {
        if (spilling || closed) {
            return;
        }
        spilling = true;
        starts++;
        if (starts == 1) {
            LOG.info("flow {}: {} bytes queued (limit {}): the consumers are slower than the master; spilling the "
                    + "stream to {} (budget {} bytes) instead of pausing reads", flow, queued, control.limit(),
                    spiller.options().directory(), spiller.options().maxBytes());
        } else {
            LOG.debug("flow {}: {} bytes queued: spilling again", flow, queued);
        }
        control.awaitDrain();
    }

    /**
     * Event loop: a socket read. While spilling, takes {@code in} (its ownership too) for the log
     * and returns true; else returns false and the caller decodes it.
     */
    boolean divert(ByteBuf in) {
        if (!spilling) {
            return false;
        }
        int n = in.readableBytes();
        if (closed || n == 0) {
            in.release();
            return true;
        }
        long now = System.nanoTime();
        if (spilled == fed) {
            oldestNanos = now;
        }
        long disk = SpillLog.diskBytes(n);
        long used = spiller.reserve(disk);
        spilled += n;
        long waiting = spiller.handOff(this, in, now, disk);
        if (used > spiller.options().maxBytes()) {
            budgetFull(used);
        }
        if (waiting > Spiller.HANDOFF_MAX && !control.isPausedFor(FlowControl.HANDOFF)) {
            control.pause(FlowControl.HANDOFF);
            handoffPaused = true;
            if (!handoffWarned) {
                handoffWarned = true;
                LOG.warn("flow {}: the spill directory {} is slower than the network: {} bytes wait to be written; "
                        + "reading from the master pauses until they are", flow, spiller.options().directory(), waiting);
            }
            resumeHandoff(); // the spill thread may have caught up already
        }
        return true;
    }

    private void budgetFull(long used) {
        long max = spiller.options().maxBytes();
        if (spiller.options().whenFull() == SlowConsumerPolicy.FAIL) {
            target.spillFailed(new SpillFullException("flow " + flow + ": the spill budget of " + max + " bytes in "
                    + spiller.options().directory() + " is exhausted (" + used + " bytes; this flow holds "
                    + (spilled - fed) + " spilled bytes, the oldest " + oldest().toSeconds() + " s old) and "
                    + "SpillOptions.whenFull is FAIL: the target is slower than the master's writes for longer than the "
                    + "budget covers. Raise SpillOptions.maxBytes, speed up the target, or choose whenFull PAUSE_READING "
                    + "(which stalls the master's writes while it lasts)"));
            return;
        }
        if (control.isPausedFor(FlowControl.BUDGET)) {
            return;
        }
        control.pause(FlowControl.BUDGET);
        budgetPaused = true;
        LOG.warn("flow {}: SPILL BUDGET EXHAUSTED: {} of {} bytes in {} used (this flow holds {} spilled bytes, the "
                + "oldest {} s old): reading from the master is PAUSED, so Dragonfly now STALLS the writes of this "
                + "shard and cancels the replica after its replication_timeout (30 s by default). Raise "
                + "SpillOptions.maxBytes or speed up the target", flow, used, max, spiller.options().directory(),
                spilled - fed, oldest().toSeconds());
        resumeBudget(); // segments may have been freed already
    }

    /** Event loop: the queue drained to its low-water mark; feeds the next chunk, or decodes directly again. */
    void drained() {
        if (!spilling || closed) {
            return;
        }
        if (spilled == fed) {
            stopSpilling();
        } else if (!readPending) {
            requestRead();
        }
    }

    private void requestRead() {
        readPending = true;
        spiller.requestRead(this);
    }

    private void stopSpilling() {
        spilling = false;
        oldestNanos = 0;
        LOG.debug("flow {}: every spilled byte was fed back ({} in this session): decoding directly again", flow,
                spilled);
        control.spillEmptied();
    }

    /** Event loop: a chunk read back from the log. */
    private void feed(SpillLog.Chunk c) {
        readPending = false;
        if (closed) {
            c.data().release();
            return;
        }
        fed += c.data().readableBytes();
        oldestNanos = fed == spilled ? 0 : c.nextSpilledAtNanos();
        target.decodeSpilled(c.data());
        if (closed) {
            return;
        }
        if (fed == spilled) {
            if (spilling) {
                stopSpilling();
            }
        } else if (control.queued() < control.limit()) {
            requestRead();
        } else {
            control.awaitDrain();
        }
    }

    private void resumeHandoff() {
        handoffPosted.set(false);
        if (handoffPaused && spiller.handoff() <= Spiller.HANDOFF_MAX / 2) {
            handoffPaused = false;
            control.resume(FlowControl.HANDOFF);
        }
    }

    private void resumeBudget() {
        budgetPosted.set(false);
        if (budgetPaused && spiller.used() <= spiller.resumeMark()) {
            budgetPaused = false;
            if (control.resume(FlowControl.BUDGET)) {
                LOG.info("flow {}: spill budget available again ({} of {} bytes used): reading resumed", flow,
                        spiller.used(), spiller.options().maxBytes());
            }
        }
    }

    // ------------------------------------------------------------ spill thread

    /** Spill thread: appends a handed-over buffer (and releases it). */
    void write(ByteBuf buf, long spilledAtNanos, long diskBytes) {
        int n = buf.readableBytes();
        try {
            if (closed || failed) {
                spiller.freed(diskBytes);
                return;
            }
            log.append(buf, spilledAtNanos);
        } catch (SpillException e) {
            spiller.freed(diskBytes);
            failed(e);
            return;
        } finally {
            buf.release();
            spiller.written(n);
        }
        if (readWaiting) {
            serveRead();
        }
    }

    /** Spill thread: reads the next chunk back and posts it to the event loop, or waits for the next write. */
    void serveRead() {
        if (closed || failed) {
            return;
        }
        if (log.readableBytes() == 0) {
            readWaiting = true; // the bytes are still on their way through the hand-off
            return;
        }
        readWaiting = false;
        SpillLog.Chunk c;
        try {
            c = log.read(Spiller.READ_CHUNK);
        } catch (SpillException e) {
            failed(e);
            return;
        }
        spiller.freed(c.freedBytes());
        if (!post(() -> feed(c))) {
            c.data().release();
        }
    }

    /** Spill thread: deletes the log's files. */
    void discard() {
        spiller.freed(log.closeAndFree());
    }

    /** Spill thread: the hand-off has room again. */
    void handoffDrained() {
        if (handoffPaused && handoffPosted.compareAndSet(false, true)) {
            post(this::resumeHandoff);
        }
    }

    /** Spill thread: budget was freed. */
    void budgetFreed() {
        if (budgetPaused && budgetPosted.compareAndSet(false, true)) {
            post(this::resumeBudget);
        }
    }

    /** Spill thread: the log failed; the flow ends. */
    void failed(ReplicationException e) {
        failed = true;
        post(() -> target.spillFailed(e));
    }

    private boolean post(Runnable r) {
        Channel ch = target.channel();
        if (ch == null) {
            return false;
        }
        try {
            ch.eventLoop().execute(r);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    // ------------------------------------------------------------ any thread

    /** The session is ending: nothing more is spilled or fed back (the spill thread then discards the files). */
    void close() {
        closed = true;
    }

    /** Whether every spilled byte was fed back. */
    boolean isEmpty() {
        long f = fed; // first: fed never passes spilled, so equal values mean empty at that moment
        return spilled == f;
    }

    /** Spilled bytes not fed back yet. */
    long spilledBytes() {
        long f = fed;
        return Math.max(0, spilled - f);
    }

    /** Every byte spilled in this session. */
    long spilledTotal() {
        return spilled;
    }

    /** The age of the oldest byte not fed back; zero when there is none. */
    Duration oldest() {
        long o = oldestNanos;
        return o == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, System.nanoTime() - o));
    }
}
