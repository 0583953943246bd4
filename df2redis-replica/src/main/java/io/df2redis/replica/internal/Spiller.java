package io.df2redis.replica.internal;

import io.df2redis.replica.SpillOptions;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The spill to disk of one session ({@link io.df2redis.replica.SlowConsumerPolicy#SPILL}): its
 * directory, its disk budget, and the {@code df2redis-spill-N} thread that does every file
 * operation of every flow's {@link SpillLog}, so that no Netty event loop ever touches a file.
 * The event loops hand it socket buffers ({@link #handOff}) and read requests ({@link #requestRead});
 * the hand-off is bounded in bytes ({@link #HANDOFF_MAX}: beyond it the flow pauses reading until
 * the disk caught up), the disk use by {@link SpillOptions#maxBytes()}. Sessions of a replicator
 * run one after the other and each closes its spill before the next opens one, so the budget is
 * the replicator's.
 *
 * <p>Thread ownership. The spill thread runs the tasks (each {@link FlowSpill}'s spill-thread
 * methods, hence every {@link SpillLog}). Shared, atomic: {@code handoff} (added by event loops,
 * subtracted by the spill thread), {@code used} (reserved by event loops when they hand bytes
 * over, released by the spill thread when segments are deleted); {@code tasks} is a concurrent
 * queue; {@code stopped} is guarded by {@code tasks}' monitor, so no task is queued after the
 * thread drained the queue for the last time; {@code flows} is copy-on-write, filled by the
 * supervisor before the flows start.
 */
final class Spiller {
    /** Most socket bytes waiting for the spill thread before reading pauses. */
    static final long HANDOFF_MAX = 8L << 20;
    /** Bytes read back per request (whole records: one more record at most). */
    static final int READ_CHUNK = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(Spiller.class);

    /** A task of the spill thread; {@link #drop} frees what it holds when it never runs. */
    interface Task extends Runnable {
        default void drop() {
        }
    }

    private static final Task STOP = () -> { };

    private final SpillOptions options;
    private final long number;
    private final long segmentBytes;
    private final LinkedBlockingQueue<Task> tasks = new LinkedBlockingQueue<>();
    private final AtomicLong handoff = new AtomicLong();
    private final AtomicLong used = new AtomicLong();
    private final List<FlowSpill> flows = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private boolean stopped;

    private Spiller(SpillOptions options, long number) {
        this.options = options;
        this.number = number;
        this.segmentBytes = Math.max(256L << 10, Math.min(64L << 20, options.maxBytes() / 16));
        this.thread = new Thread(this::run, "df2redis-spill-" + number);
        this.thread.setDaemon(true);
    }

    /**
     * Prepares the directory (created when missing; stale segment files of ended processes and
     * sessions deleted) and starts the spill thread.
     *
     * @throws io.df2redis.replica.SpillException when the directory cannot be used
     */
    static Spiller open(SpillOptions options) {
        SpillFiles.prepare(options.directory());
        long n = SpillFiles.register();
        SpillFiles.deleteStale(options.directory(), SpillFiles::alive);
        Spiller s = new Spiller(options, n);
        s.thread.start();
        return s;
    }

    /** Creates the spill of one flow (supervisor, before the flow's connection is handed over). */
    FlowSpill attach(int flow, FlowControl control, FlowSpill.Target target) {
        FlowSpill f = new FlowSpill(flow, this, control, target,
                new SpillLog(flow, options.directory(), SpillFiles.prefix(number, flow), segmentBytes));
        control.spill(f);
        flows.add(f);
        return f;
    }

    SpillOptions options() {
        return options;
    }

    // ------------------------------------------------------------ event loops

    /** Reserves {@code diskBytes} of the budget; returns the bytes now reserved (maybe over the budget). */
    long reserve(long diskBytes) {
        return used.addAndGet(diskBytes);
    }

    /** Hands {@code buf} (ownership included) to the spill thread; returns the bytes now waiting. */
    long handOff(FlowSpill f, ByteBuf buf, long spilledAtNanos, long diskBytes) {
        int n = buf.readableBytes();
        long waiting = handoff.addAndGet(n);
        submit(new Task() {
            @Override
            public void run() {
                f.write(buf, spilledAtNanos, diskBytes);
            }

            @Override
            public void drop() {
                buf.release();
                handoff.addAndGet(-n);
                used.addAndGet(-diskBytes);
            }
        });
        return waiting;
    }

    /** Asks the spill thread for the next chunk of {@code f}. */
    void requestRead(FlowSpill f) {
        submit(f::serveRead);
    }

    /** The bytes the segment files hold or will hold once the hand-off is written. */
    long used() {
        return used.get();
    }

    /** Below this, reading paused for the budget resumes. */
    long resumeMark() {
        return options.maxBytes() / 4 * 3;
    }

    long handoff() {
        return handoff.get();
    }

    private void submit(Task t) {
        synchronized (tasks) {
            if (!stopped) {
                tasks.add(t);
                return;
            }
        }
        t.drop();
    }

    // ------------------------------------------------------------ spill thread

    /** Spill thread: {@code n} handed-over bytes were written (or dropped). */
    void written(long n) {
        if (handoff.addAndGet(-n) <= HANDOFF_MAX / 2) {
            for (FlowSpill f : flows) {
                f.handoffDrained();
            }
        }
    }

    /** Spill thread: {@code bytes} of the budget are free again (segments deleted, or a write dropped). */
    void freed(long bytes) {
        if (bytes > 0 && used.addAndGet(-bytes) <= resumeMark()) {
            for (FlowSpill f : flows) {
                f.budgetFreed();
            }
        }
    }

    private void run() {
        try {
            while (true) {
                Task t = tasks.take();
                if (t == STOP) {
                    break;
                }
                t.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("spill thread failed", e);
            for (FlowSpill f : flows) {
                f.failed(new io.df2redis.replica.SpillException("the spill thread failed: " + e, e));
            }
        } finally {
            ArrayDeque<Task> left = new ArrayDeque<>();
            synchronized (tasks) {
                stopped = true;
                tasks.drainTo(left);
            }
            left.forEach(Task::drop);
            for (FlowSpill f : flows) {
                f.discard();
            }
        }
    }

    /**
     * Ends the spill: every flow's spill is discarded (its files deleted), the spill thread ends.
     * Waits a bounded time for that; a thread stuck in the file system is left behind with a
     * warning (its files are stale from now on and deleted by a later session).
     */
    void close() {
        for (FlowSpill f : flows) {
            f.close();
        }
        submit(STOP);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("the spill thread did not end within 10 s; spill files in {} are left for a later session to "
                    + "delete", options.directory());
        }
        SpillFiles.unregister(number);
    }
}
