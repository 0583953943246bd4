package io.df2redis.examples.cli;

import io.df2redis.replica.FlowStats;
import io.df2redis.replica.ReplicationState;
import io.df2redis.replica.ReplicationStats;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.RedisSinkStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static io.df2redis.examples.cli.CliFormat.bytes;
import static io.df2redis.examples.cli.CliFormat.count;
import static io.df2redis.examples.cli.CliFormat.duration;

/**
 * The progress rendering of a {@link SyncRun} on stderr: the full-sync progress line, the
 * stable-sync status line (redrawn in place on a terminal, one line each otherwise) and the lines
 * of their own that interrupt it.
 *
 * <p><b>Threads.</b> {@link #tick()} runs on the run's progress thread, {@link #announce} and
 * {@link #fullSyncStarted()} on replicator threads, {@link #endLine()} on the run's thread. Every
 * field is guarded by this object's monitor, which also serialises the writes to stderr.
 */
final class ProgressDisplay {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressDisplay.class);

    private final SyncRun run;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();
    private long lastStatusNanos;
    private boolean lineOpen;
    private int lastLineLength;
    private boolean stableAnnounced;
    private ReplicationState lastShownState;

    ProgressDisplay(SyncRun run) {
        this.run = run;
    }

    /** A full sync began: its end is announced again (replicator thread). */
    synchronized void fullSyncStarted() {
        stableAnnounced = false;
    }

    /** A line of its own on stderr (ends a redrawn progress line first). */
    void announce(String line) {
        synchronized (this) {
            if (lineOpen) {
                run.err.println();
                lineOpen = false;
                lastLineLength = 0;
            }
            run.err.println(line);
            run.err.flush();
        }
    }


    /** One tick of the progress thread: shows the line the replicator's state calls for. */
    void tick() {
        try {
            Replicator r = run.replicator;
            if (r == null) {
                return;
            }
            ReplicationStats st = r.stats();
            long now = System.nanoTime();
            synchronized (this) {
                switch (st.state()) {
                    case FULL_SYNC -> show(fullSyncLine(st, now), false);
                    case STABLE_SYNC -> {
                        if (!stableAnnounced && run.fullSyncs.get() == 0 && run.startReport == null) {
                            // a partial sync from the checkpoint: the listener announces it first
                        } else if (!stableAnnounced) {
                            stableAnnounced = true;
                            if (run.fullSyncs.get() > 0) {
                                show(fullSyncDoneLine(st), true);
                            }
                            lastStatusNanos = now;
                            sample(st, now);
                        } else if (run.tty || now - lastStatusNanos >= run.opts.statusInterval.toNanos() - 50_000_000L) {
                            lastStatusNanos = now;
                            show(statusLine(st, now), false);
                        }
                    }
                    case CONNECTING, NEW -> {
                        if (lastShownState != ReplicationState.CONNECTING) {
                            show("connecting to " + run.conn.sourceAddress() + " …", false);
                        }
                    }
                    case RECONNECTING -> {
                        if (lastShownState != ReplicationState.RECONNECTING) {
                            show("reconnecting (" + run.sessionErrors.get() + " session errors; last: " + run.lastError + ")",
                                    false);
                        }
                    }
                    default -> {
                    }
                }
                lastShownState = st.state() == ReplicationState.NEW ? ReplicationState.CONNECTING : st.state();
            }
        } catch (RuntimeException e) {
            LOG.debug("progress display failed", e);
        }
    }

    private String fullSyncLine(ReplicationStats st, long now) {
        long keys = st.flows().stream().mapToLong(FlowStats::entries).sum();
        long bytes = st.totalBytesReceived();
        double secs = Math.max(1e-3, (now - run.fullSyncStartNanos) / 1e9);
        double rate = keys / secs;
        StringBuilder sb = new StringBuilder("full sync: ").append(count(keys));
        if (run.sourceKeys > 0) {
            double pct = Math.min(100.0, 100.0 * keys / run.sourceKeys);
            sb.append('/').append(count(run.sourceKeys)).append(" keys (").append(String.format(Locale.ROOT, "%.1f%%", pct))
                    .append(')');
        } else {
            sb.append(" keys");
        }
        sb.append(", ").append(bytes(bytes)).append(", ").append(count(Math.round(rate))).append(" keys/s");
        if (run.sourceKeys > 0 && rate > 0 && keys < run.sourceKeys) {
            sb.append(", ETA ").append(duration(Math.round((run.sourceKeys - keys) / rate * 1000)));
        }
        sb.append(" | flows ");
        List<FlowStats> flows = st.flows();
        if (run.tty && flows.size() > 8) {
            long min = flows.stream().mapToLong(FlowStats::entries).min().orElse(0);
            long max = flows.stream().mapToLong(FlowStats::entries).max().orElse(0);
            sb.append(flows.size()).append(" × ").append(count(min)).append('–').append(count(max)).append(" keys");
        } else {
            sb.append(flows.stream().map(f -> f.flow() + ":" + count(f.entries()) + "/" + bytes(f.bytesReceived()))
                    .collect(Collectors.joining(" ")));
        }
        RedisSink s = run.sink;
        return sb.append(s == null ? "" : rateLimits(s.stats())).toString();
    }

    private String fullSyncDoneLine(ReplicationStats st) {
        long keys = st.flows().stream().mapToLong(FlowStats::entries).sum();
        long end = run.fullSyncEndNanos != 0 ? run.fullSyncEndNanos : System.nanoTime();
        long ms = Math.max(1, (end - run.fullSyncStartNanos) / 1_000_000);
        return "full sync done: " + count(keys) + " keys, " + bytes(st.totalBytesReceived()) + " in " + duration(ms)
                + " (" + count(keys * 1000 / ms) + " keys/s); following the journal";
    }

    private String statusLine(ReplicationStats st, long now) {
        long applied = st.flows().stream().mapToLong(FlowStats::appliedLsn).sum();
        long[] oldest = sample(st, now);
        double secs = (now - oldest[0]) / 1e9;
        long ops = secs <= 0 ? 0 : Math.round(Math.max(0, applied - oldest[1]) / secs);
        StringBuilder sb = new StringBuilder("stable sync: ").append(count(ops)).append(" ops/s applied, lag ")
                .append(st.flows().stream().map(f -> Long.toString(f.lagEntries())).collect(Collectors.joining("/")))
                .append(" entries, acked LSN ")
                .append(st.flows().stream().map(f -> Long.toString(f.ackedLsn())).collect(Collectors.joining("/")));
        if (st.totalSpilledBytes() > 0) {
            // Redis is slower than Dragonfly: the stream waits on disk, so that Dragonfly's writes do not
            sb.append(", spilled ").append(bytes(st.totalSpilledBytes())).append(" (oldest ")
                    .append(duration(st.oldestSpilled().toMillis())).append(")");
        }
        RedisSink s = run.sink;
        RedisSinkStats ss = s == null ? null : s.stats();
        sb.append(", errors ").append(run.sessionErrors.get() + (ss == null ? 0 : ss.errors()));
        if (ss != null) {
            sb.append(", skipped ").append(count(ss.skippedTotal()));
            if (run.conn.targetCluster) {
                sb.append(", redirects ").append(count(ss.movedRedirects())).append(" MOVED/")
                        .append(count(ss.askRedirects())).append(" ASK");
            }
            sb.append(rateLimits(ss));
        }
        return sb.toString();
    }

    /**
     * The sink's rate limits when set, and how long its senders waited for them so far:
     * {@code , limit 2,000 ops/s 10.0 MiB/s (senders waited 3.2 s)}; empty without limits.
     */
    static String rateLimits(RedisSinkStats ss) {
        if (ss.maxOpsPerSecond() == 0 && ss.maxBytesPerSecond() == 0) {
            return "";
        }
        return ", limit" + (ss.maxOpsPerSecond() > 0 ? " " + count(ss.maxOpsPerSecond()) + " ops/s" : "")
                + (ss.maxBytesPerSecond() > 0 ? " " + bytes(ss.maxBytesPerSecond()) + "/s" : "")
                + " (senders waited " + duration(ss.rateLimitWaitNanos() / 1_000_000) + ")";
    }

    /** Records (time, applied LSN sum) and returns the oldest sample within the status interval. */
    private long[] sample(ReplicationStats st, long now) {
        long applied = st.flows().stream().mapToLong(FlowStats::appliedLsn).sum();
        samples.addLast(new long[] {now, applied});
        long window = Math.max(run.opts.statusInterval.toNanos(), 1_000_000_000L);
        while (samples.size() > 2 && now - samples.peekFirst()[0] > window) {
            samples.removeFirst();
        }
        return samples.peekFirst();
    }

    /** Prints a status line: redrawn in place on a terminal unless {@code keep}, else one line each. */
    private void show(String line, boolean keep) {
        if (run.tty) {
            int pad = Math.max(0, lastLineLength - line.length());
            run.err.print("\r" + line + " ".repeat(pad));
            lastLineLength = line.length();
            lineOpen = true;
            if (keep) {
                run.err.println();
                lineOpen = false;
                lastLineLength = 0;
            }
        } else {
            run.err.println(line);
        }
        run.err.flush();
    }

    /** Ends a redrawn line, so that what follows starts on a line of its own. */
    void endLine() {
        synchronized (this) {
            if (lineOpen) {
                run.err.println();
                run.err.flush();
                lineOpen = false;
            }
        }
    }
}
