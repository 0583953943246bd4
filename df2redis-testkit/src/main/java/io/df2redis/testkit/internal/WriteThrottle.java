package io.df2redis.testkit.internal;

import io.df2redis.testkit.ReleaseProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Dragonfly's back-pressure on the master's writers in stable sync (spec §7.2): each flow's
 * journal streamer keeps the bytes not yet written to the replica's socket, and a writer whose
 * journal entry leaves that at or above {@code --replication_stream_output_limit} waits until it
 * drains below it; a writer that waits {@code --replication_timeout} (30 s) cancels the
 * replication session ("JournalStreamer write operation timeout") and then completes. So a replica
 * that stops draining its socket stalls every write to that shard. (Dragonfly's
 * {@code src/server/journal/streamer.cc}: {@code JournalStreamer::ThrottleIfNeeded} waits while
 * {@code IsStalled()}, i.e. {@code pending_buf_.Size() >= replication_stream_output_limit}, up to
 * {@code replication_timeout}, then {@code ReportError}.)
 *
 * <p>Emulated per client connection without blocking an event loop: the write is applied and
 * journaled as usual, but its reply is held back ({@link #reply}) until every flow output it left
 * over the limit ({@link FlowOutput#stalled}) drained below it; meanwhile the connection reads
 * nothing and runs no further command (those that already arrived wait in order), as a client of
 * Dragonfly whose write did not return yet. The master's own writes (its Java API, active expiry)
 * are not throttled.
 *
 * <p>Threads: everything a held connection owns ({@code Conn.held}, {@code Conn.deferred}) is
 * touched on that connection's event loop only: the waits end there ({@code execute}), and so
 * does the timeout.
 */
final class WriteThrottle {
    /** {@code --replication_timeout}. */
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private static final Logger LOG = LoggerFactory.getLogger(WriteThrottle.class);

    private final long outputLimit;
    private final Consumer<List<FlowOutput>> cancelSessions;

    /**
     * @param profile the release: {@code --replication_stream_output_limit} is 64 KiB up to v1.33
     *     and 1 MiB since v1.34
     * @param cancelSessions cancels the sessions the given outputs belong to (takes the master's lock)
     */
    WriteThrottle(ReleaseProfile profile, Consumer<List<FlowOutput>> cancelSessions) {
        this.outputLimit = profile == ReleaseProfile.V1_30 ? 64 << 10 : 1 << 20;
        this.cancelSessions = cancelSessions;
    }

    /** {@code --replication_stream_output_limit} of this master. */
    long outputLimit() {
        return outputLimit;
    }

    /**
     * On {@code c}'s event loop, after a write: sends {@code reply} now, or once the flow outputs the
     * write left over the limit ({@code c.stalled}) drained.
     */
    void reply(Conn c, byte[] reply) {
        List<FlowOutput> stalled = c.stalled;
        c.stalled = List.of();
        if (stalled.isEmpty()) {
            c.reply(reply);
            return;
        }
        c.held = true;
        c.channel.config().setAutoRead(false);
        long since = System.nanoTime();
        Runnable[] done = new Runnable[1];
        boolean[] finished = new boolean[1];
        done[0] = () -> {
            if (finished[0]) {
                return;
            }
            finished[0] = true;
            c.reply(reply);
            release(c);
        };
        var timeout = c.channel.eventLoop().schedule(() -> {
            if (!finished[0]) {
                LOG.warn("{}: a write waited {} ms for the replica to drain its flow: JournalStreamer write operation "
                        + "timeout, cancelling the replication session", c,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
                cancelSessions.accept(stalled); // closes the outputs: the wait below ends
            }
        }, TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
        awaitAll(c, stalled, 0, () -> {
            timeout.cancel(false);
            done[0].run();
        });
    }

    /** Waits for {@code outs[i..]} one after the other, then runs {@code then} on {@code c}'s event loop. */
    private void awaitAll(Conn c, List<FlowOutput> outs, int i, Runnable then) {
        if (i == outs.size()) {
            then.run();
            return;
        }
        outs.get(i).whenBelow(outputLimit, () -> c.channel.eventLoop().execute(() -> awaitAll(c, outs, i + 1, then)));
    }

    /** The held write completed: runs the commands that arrived meanwhile, then reads again. */
    private static void release(Conn c) {
        c.held = false;
        while (!c.held && !c.deferred.isEmpty()) {
            c.dispatcher.accept(c.deferred.poll());
        }
        if (!c.held && c.channel.isActive()) {
            c.channel.config().setAutoRead(true);
            c.channel.read();
        }
    }
}
