package io.df2redis.sink.redis.internal.cluster;

import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.sink.redis.TargetClusterException;
import io.df2redis.sink.redis.internal.TargetConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;

/**
 * The shared view of a Redis Cluster target: the slot map (refreshed from {@code CLUSTER SHARDS},
 * or {@code CLUSTER SLOTS} on servers without it), single-slot updates from {@code MOVED}
 * redirects, the worker threads that resolve redirects off the event loops, and the counters.
 * Every {@link ClusterLane} of a sink shares one router.
 *
 * <p>Thread ownership: thread-safe. {@code topology} is volatile and replaced under this object's
 * monitor (a {@code MOVED} update) or after a refresh; refreshes run one at a time under
 * {@code refreshLock} (on the session thread at open, on the timer thread when requested);
 * {@code workers} run redirect resolution of the lanes; the counters are {@link LongAdder}s.
 */
public final class ClusterRouter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRouter.class);
    private static final long MIN_REFRESH_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final List<HostAndPort> seeds;
    private final BiFunction<HostAndPort, String, TargetConnection> connector;
    private final boolean tls;
    private final int maxRedirects;
    private final Duration retryTimeout;
    private final Duration callTimeout;
    private final ExecutorService workers;
    private final java.util.concurrent.ScheduledExecutorService timer;
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final Object refreshLock = new Object();
    private volatile long lastRefreshNanos;
    private volatile ClusterTopology topology = ClusterTopology.empty();
    private volatile boolean closed;

    final LongAdder moved = new LongAdder();
    final LongAdder asked = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder refreshes = new LongAdder();

    /**
     * @param connector opens an authenticated connection to a node (blocking; never called on an event loop)
     */
    public ClusterRouter(List<HostAndPort> seeds, BiFunction<HostAndPort, String, TargetConnection> connector,
                         boolean tls, int maxRedirects, Duration retryTimeout, Duration callTimeout) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no cluster seed node");
        }
        this.seeds = List.copyOf(seeds);
        this.connector = connector;
        this.tls = tls;
        this.maxRedirects = maxRedirects;
        this.retryTimeout = retryTimeout;
        this.callTimeout = callTimeout;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "df2redis-cluster-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "df2redis-cluster-topology");
            t.setDaemon(true);
            return t;
        });
    }

    /** The cluster for messages: its seed nodes, {@code host:port,host:port}. */
    public String endpoint() {
        return seeds.stream().map(HostAndPort::toString).collect(java.util.stream.Collectors.joining(","));
    }

    /** The current slot map. */
    public ClusterTopology topology() {
        return topology;
    }

    public int maxRedirects() {
        return maxRedirects;
    }

    public Duration retryTimeout() {
        return retryTimeout;
    }

    /** Opens an authenticated connection to a node. */
    TargetConnection connect(HostAndPort node, String name) {
        return connector.apply(node, name);
    }

    /** Runs redirect resolution off the event loop. */
    void execute(Runnable r) {
        if (!closed) {
            workers.execute(r);
        }
    }

    /**
     * Reads the slot map from the first node that answers — known masters first, then the seeds —
     * and fails when none does or the cluster serves no slot.
     */
    public ClusterTopology refresh() {
        synchronized (refreshLock) { // one refresh at a time; MOVED updates are not held up by its I/O
            return refreshLocked();
        }
    }

    private ClusterTopology refreshLocked() {
        Set<HostAndPort> candidates = new LinkedHashSet<>(topology.masters());
        candidates.addAll(seeds);
        List<String> failures = new ArrayList<>();
        for (HostAndPort n : candidates) {
            try {
                ClusterTopology t = read(n);
                if (t.masters().isEmpty()) {
                    failures.add(n + ": serves no slot");
                    continue;
                }
                if (!t.toString().equals(topology.toString())) {
                    LOG.info("Redis Cluster topology: {}", t);
                }
                synchronized (this) {
                    topology = t;
                }
                lastRefreshNanos = System.nanoTime();
                refreshes.increment();
                return t;
            } catch (RuntimeException e) {
                failures.add(n + ": " + e.getMessage());
            }
        }
        throw new TargetClusterException(endpoint(), "cannot read the Redis Cluster topology: " + String.join("; ", failures));
    }

    /** Asks for a refresh soon (at most one queued, at most one per 500 ms), on the timer thread. */
    void requestRefresh() {
        if (closed || !refreshQueued.compareAndSet(false, true)) {
            return;
        }
        long wait = Math.max(0, lastRefreshNanos + MIN_REFRESH_GAP_NANOS - System.nanoTime());
        try {
            timer.schedule(() -> {
                refreshQueued.set(false);
                try {
                    refresh();
                } catch (RuntimeException e) {
                    LOG.warn("Redis Cluster topology refresh failed: {}", e.getMessage());
                }
            }, wait, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            refreshQueued.set(false); // closed meanwhile
        }
    }

    /** Records a {@code MOVED}: the slot is served by {@code node} now; a full refresh follows. */
    synchronized void moved(int slot, HostAndPort node) {
        ClusterTopology t = topology.withSlot(slot, node);
        if (t != topology) {
            topology = t;
            requestRefresh();
        }
    }

    private ClusterTopology read(HostAndPort n) {
        TargetConnection c = connect(n, "topology");
        try {
            RespReply r = call(c, "CLUSTER", "SHARDS");
            if (r instanceof ErrorReply e) {
                RespReply slots = call(c, "CLUSTER", "SLOTS");
                if (slots instanceof ErrorReply e2) {
                    throw new TargetClusterException(n.toString(), "CLUSTER SLOTS: " + e2.message()
                            + " (CLUSTER SHARDS: " + e.message() + ") — is this a cluster node?");
                }
                return ClusterTopology.fromSlots(slots, n);
            }
            return ClusterTopology.fromShards(r, n, tls);
        } finally {
            c.close();
        }
    }

    private RespReply call(TargetConnection c, String... args) {
        List<byte[]> a = new ArrayList<>();
        for (String s : args) {
            a.add(s.getBytes(StandardCharsets.UTF_8));
        }
        try {
            return c.send(a).get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetClusterException(c.endpoint(), "interrupted reading the cluster topology");
        } catch (Exception e) {
            throw new TargetClusterException(c.endpoint(), String.join(" ", args) + " failed: " + e.getMessage(), e);
        }
    }

    public long moved() {
        return moved.sum();
    }

    public long asked() {
        return asked.sum();
    }

    public long retried() {
        return retried.sum();
    }

    public long refreshes() {
        return refreshes.sum();
    }

    @Override
    public void close() {
        closed = true;
        workers.shutdownNow();
        timer.shutdownNow();
    }
}
