package io.df2redis.examples.cli;

import io.df2redis.examples.cli.ConnectionOptions.HostPort;
import io.df2redis.protocol.inspect.BlockingRespClient;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.replica.AuthenticationException;
import io.df2redis.replica.FlowStats;
import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.ReplicationListener;
import io.df2redis.replica.ReplicationState;
import io.df2redis.replica.ReplicationStats;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.RedisSinkStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One run of {@code replicate} or {@code migrate}: checks that source and target answer, counts
 * the source's keys (for the progress percentage), runs a {@link Replicator} into a
 * {@link RedisSink}, shows progress (full sync) and status (stable sync) on stderr, and stops
 * cleanly on {@link #requestStop()} — which the JVM shutdown hook (SIGINT/SIGTERM) calls, waiting
 * until the replicator and the sink are closed and the summary is printed.
 */
final class SyncRun {
    private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);
    private static final Pattern KEYS = Pattern.compile("^db(\\d+):keys=(\\d+)", Pattern.MULTILINE);
    private static final int MAX_DBS = 16;

    /** Whether the run ends at stable sync ({@code migrate}) or follows the master until stopped. */
    enum Mode { MIGRATE, REPLICATE }

    private final Mode mode;
    private final ConnectionOptions conn;
    private final SyncOptions opts;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean tty;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicInteger exitCode = new AtomicInteger(Df2RedisCli.FAILURE);
    private final AtomicLong sessionErrors = new AtomicLong();
    private final AtomicLong fullSyncs = new AtomicLong();
    private final Object print = new Object();
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();
    private volatile Replicator replicator;
    private volatile RedisSink sink;
    private volatile long sourceKeys = -1;
    private volatile long startNanos;
    private volatile long fullSyncStartNanos;
    private volatile long fullSyncEndNanos;
    private volatile long lastStatusNanos;
    private volatile ReplicationStats snapshotStats;
    private volatile String lastError;
    private boolean lineOpen;
    private int lastLineLength;
    private boolean stableAnnounced;
    private ReplicationState lastShownState;

    SyncRun(Mode mode, ConnectionOptions conn, SyncOptions opts, PrintWriter out, PrintWriter err, boolean tty) {
        this.mode = mode;
        this.conn = conn;
        this.opts = opts;
        this.out = out;
        this.err = err;
        this.tty = tty;
    }

    /** Asks the run to stop (what SIGINT/SIGTERM do). Returns at once; idempotent. */
    void requestStop() {
        stop.countDown();
    }

    /** Waits until the run finished (replicator and sink closed, summary printed). */
    boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs to the end and returns the exit code. */
    int run() {
        conn.validate();
        Thread hook = new Thread(this::onShutdown, "df2redis-shutdown");
        boolean hooked = addHook(hook);
        try {
            exitCode.set(execute());
            return exitCode.get();
        } finally {
            finished.countDown();
            if (hooked) {
                removeHook(hook);
            }
        }
    }

    private int execute() {
        startNanos = System.nanoTime();
        Integer failed = preflight();
        if (failed != null) {
            return failed;
        }
        if (stop.getCount() == 0) {
            err.println("df2redis: stopped before replication started");
            return mode == Mode.REPLICATE ? Df2RedisCli.OK : Df2RedisCli.FAILURE;
        }
        RedisSink s = conn.sinkBuilder().unsupportedDataPolicy(opts.unsupported).build();
        sink = s;
        Replicator r;
        try {
            r = Replicator.builder().source(conn.sourceEndpoint()).listener(new Listener()).ownedSink(s).build();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        replicator = r;
        ScheduledExecutorService progress = null;
        boolean reached = false;
        try {
            r.start();
            if (!opts.noProgress) {
                progress = Executors.newSingleThreadScheduledExecutor(task -> {
                    Thread t = new Thread(task, "df2redis-progress");
                    t.setDaemon(true);
                    return t;
                });
                long period = tty ? Math.min(500, opts.statusInterval.toMillis()) : opts.statusInterval.toMillis();
                progress.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
            }
            reached = mode == Mode.MIGRATE ? awaitSnapshot(r) : awaitStop(r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ReplicationException e) {
            LOG.debug("replication ended", e);
        } finally {
            if (progress != null) {
                progress.shutdownNow();
                try {
                    progress.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            snapshotStats = r.stats();
            close(r);
        }
        endLine();
        ReplicationException failure = r.failure();
        int code;
        if (failure != null) {
            err.println("df2redis: replication failed: " + failure.getMessage());
            code = failure instanceof AuthenticationException ? Df2RedisCli.CONNECT : Df2RedisCli.FAILURE;
        } else if (mode == Mode.MIGRATE && !reached) {
            err.println("df2redis: stopped before the target held the snapshot");
            code = Df2RedisCli.FAILURE;
        } else {
            code = Df2RedisCli.OK;
        }
        summary(r, s);
        return code;
    }

    /**
     * Closes the replicator (and so the sink): after a stop it drains what was received and sends the
     * last ACKs; after a failure nothing more can be applied, so it is not waited for long.
     */
    private static void close(Replicator r) {
        if (r.failure() == null) {
            r.close();
            return;
        }
        try {
            r.closeAsync().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.debug("closing the failed replicator", e);
        }
    }

    /** Until the replicator reached stable sync: every snapshot write confirmed by the target. */
    private boolean awaitSnapshot(Replicator r) throws InterruptedException {
        while (true) {
            if (r.awaitStableSync(Duration.ofMillis(200))) {
                return true;
            }
            if (stop.getCount() == 0) {
                return false;
            }
        }
    }

    /** Until a stop is requested (then true) or the replicator failed for good (false). */
    private boolean awaitStop(Replicator r) throws InterruptedException {
        while (!stop.await(200, TimeUnit.MILLISECONDS)) {
            if (r.state() == ReplicationState.FAILED) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ preflight

    /** Connects to both ends once (fast, clear failures); counts the source's keys. Null when fine. */
    private Integer preflight() {
        HostPort src = conn.sourceAddress();
        try (BlockingRespClient c = new BlockingRespClient(src.host(), src.port(),
                conn.sourceUser, conn.sourcePassword(), conn.sourceTls)) {
            sourceKeys = countKeys(c);
        } catch (IOException e) {
            err.println("df2redis: cannot connect to the source " + src + ": " + e.getMessage());
            return Df2RedisCli.CONNECT;
        }
        String lastFailure = null;
        for (HostPort t : conn.targetAddresses()) {
            try (BlockingRespClient c = new BlockingRespClient(t.host(), t.port(),
                    conn.targetUser, conn.targetPassword(), conn.targetTls)) {
                RespReply pong = c.call("PING");
                if (pong instanceof ErrorReply e) {
                    lastFailure = t + ": " + e.message();
                    continue;
                }
                lastFailure = null;
                long held = opts.force ? 0 : conn.targetCluster ? countClusterKeys(c, t) : countKeys(c);
                if (held > 0) {
                    err.println("df2redis: the target " + t + " holds " + count(held) + " keys and the full sync "
                            + "flushes it: pass --force to use it anyway");
                    return Df2RedisCli.USAGE;
                }
                break;
            } catch (IOException e) {
                lastFailure = t + ": " + e.getMessage();
            }
        }
        if (lastFailure != null) {
            err.println("df2redis: cannot connect to the target " + lastFailure);
            return Df2RedisCli.CONNECT;
        }
        if (!opts.noProgress) {
            err.println("df2redis " + mode.name().toLowerCase(Locale.ROOT) + ": " + conn.describe()
                    + (sourceKeys >= 0 ? "; the source holds " + count(sourceKeys) + " keys" : ""));
            err.flush();
        }
        return null;
    }

    /**
     * The source's key count: {@code INFO keyspace} when it has a Keyspace section, else
     * {@code DBSIZE} in dbs 0–15; -1 when neither answers.
     */
    /**
     * Keys held by every master of the cluster {@code seed} belongs to (each master answers only for
     * its own slots), from {@code CLUSTER NODES}: {@code id host:port@bus flags master …}.
     */
    private long countClusterKeys(BlockingRespClient seed, HostPort seedAddress) throws IOException {
        RespReply nodes = seed.call("CLUSTER", "NODES");
        if (!(nodes instanceof BulkString b)) {
            throw new IOException("CLUSTER NODES answered " + nodes + " (is the target a cluster?)");
        }
        long total = 0;
        for (String line : b.asString().split("\r?\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 3 || !(("," + f[2] + ",").contains(",master,")) || f[2].contains("fail")) {
                continue;
            }
            String addr = f[1].contains("@") ? f[1].substring(0, f[1].indexOf('@')) : f[1];
            int colon = addr.lastIndexOf(':');
            String host = colon <= 0 ? seedAddress.host() : addr.substring(0, colon);
            int port = Integer.parseInt(addr.substring(colon + 1));
            try (BlockingRespClient m = new BlockingRespClient(host, port, conn.targetUser, conn.targetPassword(),
                    conn.targetTls)) {
                total += Math.max(0, countKeys(m));
            }
        }
        return total;
    }

    static long countKeys(BlockingRespClient c) throws IOException {
        RespReply info = c.call("INFO", "keyspace");
        if (info instanceof BulkString b && b.asString().contains("# Keyspace")) {
            long total = 0;
            Matcher m = KEYS.matcher(b.asString().replace("\r", ""));
            while (m.find()) {
                total += Long.parseLong(m.group(2));
            }
            return total;
        }
        long total = -1;
        for (int db = 0; db < MAX_DBS; db++) {
            if (c.call("SELECT", Integer.toString(db)) instanceof ErrorReply) {
                break;
            }
            if (!(c.call("DBSIZE") instanceof IntegerReply n)) {
                break;
            }
            total = Math.max(total, 0) + n.value();
        }
        return total;
    }

    // ------------------------------------------------------------------ progress and status

    private final class Listener implements ReplicationListener {
        @Override
        public void onFullSyncStart(MasterInfo master) {
            fullSyncs.incrementAndGet();
            fullSyncStartNanos = System.nanoTime();
            fullSyncEndNanos = 0;
            synchronized (print) {
                stableAnnounced = false;
            }
        }

        @Override
        public void onStateChange(ReplicationState from, ReplicationState to) {
            if (to == ReplicationState.STABLE_SYNC && fullSyncEndNanos == 0) {
                fullSyncEndNanos = System.nanoTime();
            }
        }

        @Override
        public void onError(ReplicationException error) {
            sessionErrors.incrementAndGet();
            lastError = error.getMessage();
        }
    }

    private void tick() {
        try {
            Replicator r = replicator;
            if (r == null) {
                return;
            }
            ReplicationStats st = r.stats();
            long now = System.nanoTime();
            synchronized (print) {
                switch (st.state()) {
                    case FULL_SYNC -> show(fullSyncLine(st, now), false);
                    case STABLE_SYNC -> {
                        if (!stableAnnounced) {
                            stableAnnounced = true;
                            show(fullSyncDoneLine(st), true);
                            lastStatusNanos = now;
                            sample(st, now);
                        } else if (tty || now - lastStatusNanos >= opts.statusInterval.toNanos() - 50_000_000L) {
                            lastStatusNanos = now;
                            show(statusLine(st, now), false);
                        }
                    }
                    case CONNECTING, NEW -> {
                        if (lastShownState != ReplicationState.CONNECTING) {
                            show("connecting to " + conn.sourceAddress() + " …", false);
                        }
                    }
                    case RECONNECTING -> {
                        if (lastShownState != ReplicationState.RECONNECTING) {
                            show("reconnecting (" + sessionErrors.get() + " session errors; last: " + lastError + ")",
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
        double secs = Math.max(1e-3, (now - fullSyncStartNanos) / 1e9);
        double rate = keys / secs;
        StringBuilder sb = new StringBuilder("full sync: ").append(count(keys));
        if (sourceKeys > 0) {
            double pct = Math.min(100.0, 100.0 * keys / sourceKeys);
            sb.append('/').append(count(sourceKeys)).append(" keys (").append(String.format(Locale.ROOT, "%.1f%%", pct))
                    .append(')');
        } else {
            sb.append(" keys");
        }
        sb.append(", ").append(bytes(bytes)).append(", ").append(count(Math.round(rate))).append(" keys/s");
        if (sourceKeys > 0 && rate > 0 && keys < sourceKeys) {
            sb.append(", ETA ").append(duration(Math.round((sourceKeys - keys) / rate * 1000)));
        }
        sb.append(" | flows ");
        List<FlowStats> flows = st.flows();
        if (tty && flows.size() > 8) {
            long min = flows.stream().mapToLong(FlowStats::entries).min().orElse(0);
            long max = flows.stream().mapToLong(FlowStats::entries).max().orElse(0);
            sb.append(flows.size()).append(" × ").append(count(min)).append('–').append(count(max)).append(" keys");
        } else {
            sb.append(flows.stream().map(f -> f.flow() + ":" + count(f.entries()) + "/" + bytes(f.bytesReceived()))
                    .collect(Collectors.joining(" ")));
        }
        return sb.toString();
    }

    private String fullSyncDoneLine(ReplicationStats st) {
        long keys = st.flows().stream().mapToLong(FlowStats::entries).sum();
        long end = fullSyncEndNanos != 0 ? fullSyncEndNanos : System.nanoTime();
        long ms = Math.max(1, (end - fullSyncStartNanos) / 1_000_000);
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
        RedisSink s = sink;
        RedisSinkStats ss = s == null ? null : s.stats();
        sb.append(", errors ").append(sessionErrors.get() + (ss == null ? 0 : ss.errors()));
        if (ss != null) {
            sb.append(", skipped ").append(count(ss.skippedTotal()));
            if (conn.targetCluster) {
                sb.append(", redirects ").append(count(ss.movedRedirects())).append(" MOVED/")
                        .append(count(ss.askRedirects())).append(" ASK");
            }
        }
        return sb.toString();
    }

    /** Records (time, applied LSN sum) and returns the oldest sample within the status interval. */
    private long[] sample(ReplicationStats st, long now) {
        long applied = st.flows().stream().mapToLong(FlowStats::appliedLsn).sum();
        samples.addLast(new long[] {now, applied});
        long window = Math.max(opts.statusInterval.toNanos(), 1_000_000_000L);
        while (samples.size() > 2 && now - samples.peekFirst()[0] > window) {
            samples.removeFirst();
        }
        return samples.peekFirst();
    }

    /** Prints a status line: redrawn in place on a terminal unless {@code keep}, else one line each. */
    private void show(String line, boolean keep) {
        if (tty) {
            int pad = Math.max(0, lastLineLength - line.length());
            err.print("\r" + line + " ".repeat(pad));
            lastLineLength = line.length();
            lineOpen = true;
            if (keep) {
                err.println();
                lineOpen = false;
                lastLineLength = 0;
            }
        } else {
            err.println(line);
        }
        err.flush();
    }

    private void endLine() {
        synchronized (print) {
            if (lineOpen) {
                err.println();
                err.flush();
                lineOpen = false;
            }
        }
    }

    // ------------------------------------------------------------------ summary

    private void summary(Replicator r, RedisSink s) {
        ReplicationStats st = r.stats();
        if (st.flows().isEmpty() && snapshotStats != null) {
            st = snapshotStats;
        }
        long keys = st.flows().stream().mapToLong(FlowStats::entries).sum();
        long journal = st.flows().stream().mapToLong(FlowStats::journalEntries).sum();
        long bytes = st.totalBytesReceived();
        long totalMs = Math.max(1, (System.nanoTime() - startNanos) / 1_000_000);
        RedisSinkStats ss = s.stats();
        if (mode == Mode.MIGRATE) {
            long end = fullSyncEndNanos != 0 ? fullSyncEndNanos : System.nanoTime();
            long ms = fullSyncStartNanos == 0 ? totalMs : Math.max(1, (end - fullSyncStartNanos) / 1_000_000);
            out.printf(Locale.ROOT, "migrated %s keys (%s received) in %s, %s keys/s%n", count(keys), bytes(bytes),
                    duration(ms), count(keys * 1000 / ms));
        } else {
            out.printf(Locale.ROOT, "replicated for %s: snapshot %s keys, %s journal entries, %s received; "
                            + "applied LSN per flow %s%n", duration(totalMs), count(keys), count(journal), bytes(bytes),
                    st.flows().stream().map(f -> Long.toString(f.appliedLsn())).collect(Collectors.joining("/")));
        }
        out.printf(Locale.ROOT, "skipped %s keys%s; %s full sync%s, %d session errors; target: %s commands, %d errors"
                        + "%s%n", count(ss.skippedTotal()), ss.skippedByReason().isEmpty() ? ""
                        : " " + ss.skippedByReason(), count(fullSyncs.get()), fullSyncs.get() == 1 ? "" : "s",
                sessionErrors.get(), count(ss.commands()), ss.errors(), conn.targetCluster
                        ? ", " + ss.movedRedirects() + " MOVED / " + ss.askRedirects() + " ASK redirects" : "");
        out.flush();
    }

    // ------------------------------------------------------------------ shutdown hook

    private void onShutdown() {
        requestStop();
        try {
            Duration wait = replicator == null ? Duration.ofSeconds(30)
                    : replicator.options().drainTimeout().plusSeconds(30);
            if (!awaitFinished(wait)) {
                err.println("df2redis: did not stop within " + duration(wait.toMillis()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.flush();
        err.flush();
        if (Df2RedisCli.isProcess() && finished.getCount() == 0) {
            // a requested stop is a success: keep the run's exit code rather than the signal's
            Runtime.getRuntime().halt(exitCode.get());
        }
    }

    private static boolean addHook(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException e) {
            return false; // already shutting down
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook is running and waits for this run
        }
    }

    // ------------------------------------------------------------------ formatting

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String duration(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        long s = ms / 1000;
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, (s % 3600) / 60, s % 60);
    }
}
