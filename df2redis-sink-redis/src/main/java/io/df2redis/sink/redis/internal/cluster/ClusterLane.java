package io.df2redis.sink.redis.internal.cluster;

import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.ErrorKind;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.Redirect;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.sink.redis.TargetClusterException;
import io.df2redis.sink.redis.TargetConnectionException;
import io.df2redis.sink.redis.internal.Lane;
import io.df2redis.sink.redis.internal.TargetConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A lane into a Redis Cluster: one pipelined connection per master, commands routed by key slot.
 *
 * <p><b>Order across redirects.</b> A command answered with {@code MOVED}, {@code ASK},
 * {@code TRYAGAIN}, {@code CLUSTERDOWN} or {@code LOADING} did not run; it is parked and resolved
 * off the event loop, under the lane's lock (so nothing else is sent meanwhile): first every other
 * command already sent is waited for, then the parked ones are re-sent in their original order —
 * {@code MOVED} to the new owner (the shared slot map is updated and a full refresh requested),
 * {@code ASK} with {@code ASKING} to the importing node, the others after a back-off. While a
 * slot has commands outstanding, later commands for it follow them to the same node ("pinning")
 * even if the shared map changed meanwhile, so they can only be redirected after them, never
 * overtake them. The future of a command completes only with its final reply.
 *
 * <p>Thread ownership: {@code seq}, {@code pinned} and {@code backoffRound} are guarded by the
 * lane's lock (held by senders and by the resolver on a router worker thread); {@code outstanding},
 * {@code lastRan} and {@code inFlight} are atomics also updated by the event loops in
 * {@code onReply} (which never takes the lock); {@code parked} is a concurrent queue filled by the
 * event loops and drained under the lock; {@code conns} is a concurrent map; {@code closed} is
 * volatile.
 *
 * <p>Why one class: the per-lane order across redirects (a key's commands stay in order while a
 * MOVED/ASK is followed; a transaction moves whole) is one state machine over one lock; splitting
 * the redirect handling from the sending would spread that lock over two classes.
 */
public final class ClusterLane implements Lane {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterLane.class);
    private static final byte[] ASKING = "ASKING".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MULTI = "MULTI".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXEC = "EXEC".getBytes(StandardCharsets.US_ASCII);

    private final ClusterRouter router;
    private final String name;
    private final LongAdder commands;
    private final Map<HostAndPort, TargetConnection> conns = new ConcurrentHashMap<>();
    private final AtomicIntegerArray outstanding = new AtomicIntegerArray(SlotHash.SLOTS);
    /** Per slot, the highest sequence number that ran (answered with a final reply). */
    private final java.util.concurrent.atomic.AtomicLongArray lastRan =
            new java.util.concurrent.atomic.AtomicLongArray(SlotHash.SLOTS);
    private final HostAndPort[] pinned = new HostAndPort[SlotHash.SLOTS];
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ConcurrentLinkedQueue<Cmd> parked = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean resolveQueued = new AtomicBoolean();
    private long seq;
    private int backoffRound;
    private volatile boolean closed;

    public ClusterLane(ClusterRouter router, String name, LongAdder commands) {
        this.router = router;
        this.name = name;
        this.commands = commands;
    }

    @Override
    public CompletableFuture<RespReply> send(int db, byte[] routingKey, List<byte[]> args) {
        if (db != 0) {
            return CompletableFuture.failedFuture(new TargetClusterException(
                    router.endpoint(), "a Redis Cluster has only db 0; got a command for db " + db, null, false));
        }
        int slot = routingKey == null ? -1 : SlotHash.slot(routingKey);
        synchronized (this) {
            if (!parked.isEmpty()) {
                resolveLocked();
            }
            return enqueue(new Cmd(seq++, slot, args, null));
        }
    }

    /**
     * Sends a transaction: {@code MULTI}, {@code commands}, {@code EXEC} on the master of
     * {@code slot} (every key of every command must be in that slot: a cluster refuses a
     * transaction across slots). It takes part in the lane's order like one command: a redirect
     * ({@code MOVED}, {@code ASK} — then {@code ASKING} precedes the {@code MULTI} —, {@code TRYAGAIN},
     * {@code CLUSTERDOWN}, {@code LOADING}) of any of its commands aborts it on the node (nothing
     * ran) and it is sent again whole.
     *
     * @param slot the slot of every key in {@code commands}
     * @param commands the commands between {@code MULTI} and {@code EXEC}
     * @return the {@code EXEC} reply (an array of the commands' replies), or the error that aborted
     *     the transaction for good ({@code EXECABORT} and why)
     */
    public CompletableFuture<RespReply> sendTransaction(int slot, List<List<byte[]>> commands) {
        if (slot < 0 || slot >= SlotHash.SLOTS || commands.isEmpty()) {
            throw new IllegalArgumentException("a transaction needs a slot and commands");
        }
        synchronized (this) {
            if (!parked.isEmpty()) {
                resolveLocked();
            }
            return enqueue(new Cmd(seq++, slot, null, List.copyOf(commands)));
        }
    }

    /**
     * Sends one command to one master as it is (no routing, no redirect following): for commands
     * about a node rather than a key, such as {@code SCAN}.
     *
     * @param node a master
     * @param args the command
     * @return its reply
     */
    public CompletableFuture<RespReply> sendTo(HostAndPort node, List<byte[]> args) {
        try {
            commands.increment();
            return connection(node).send(args);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Routes and sends a new command or transaction; called with the lane's lock held. */
    private CompletableFuture<RespReply> enqueue(Cmd c) {
        int slot = c.slot;
        HostAndPort to;
        if (slot < 0) {
            to = anyMaster();
        } else {
            to = outstanding.getAndIncrement(slot) > 0 && pinned[slot] != null ? pinned[slot]
                    : router.topology().owner(slot);
        }
        if (to == null) {
            c.reply = new ErrorReply("CLUSTERDOWN Hash slot not served (df2redis: no node known for slot "
                    + slot + ")");
            parked.add(c);
            scheduleResolve();
        } else {
            attempt(c, to, false);
        }
        return c.done;
    }

    @Override
    public synchronized List<CompletableFuture<RespReply>> broadcast(int db, List<byte[]> args) {
        if (!parked.isEmpty()) {
            resolveLocked();
        }
        List<CompletableFuture<RespReply>> out = new ArrayList<>();
        for (HostAndPort m : router.topology().masters()) {
            try {
                commands.increment();
                out.add(connection(m).send(args));
            } catch (RuntimeException e) {
                out.add(CompletableFuture.failedFuture(e));
            }
        }
        return out;
    }

    @Override
    public String endpoint() {
        return router.endpoint();
    }

    @Override
    public boolean cluster() {
        return true;
    }

    /** Commands sent and not finally answered yet (for tests and stats). */
    @Override
    public int inFlight() {
        return inFlight.get() + parked.size();
    }

    @Override
    public void close() {
        closed = true;
        for (TargetConnection c : conns.values()) {
            c.close();
        }
        conns.clear();
        Cmd c;
        while ((c = parked.poll()) != null) {
            fail(c, new TargetConnectionException(router.endpoint(), name + ": Redis Cluster lane closed", null));
        }
    }

    // ------------------------------------------------------------------ sending

    private HostAndPort anyMaster() {
        List<HostAndPort> m = router.topology().masters();
        return m.isEmpty() ? null : m.get(0);
    }

    private TargetConnection connection(HostAndPort node) {
        if (closed) {
            throw new TargetConnectionException(router.endpoint(), name + ": Redis Cluster lane closed", null);
        }
        TargetConnection c = conns.computeIfAbsent(node, n -> router.connect(n, name + "@" + n));
        if (closed) { // closed while connecting: close() may not have seen this connection
            c.close();
            throw new TargetConnectionException(router.endpoint(), name + ": Redis Cluster lane closed", null);
        }
        return c;
    }

    /** Sends one attempt of {@code c}; called with the lane's lock held. */
    private void attempt(Cmd c, HostAndPort node, boolean asking) {
        TargetConnection conn;
        try {
            conn = connection(node);
        } catch (RuntimeException e) {
            fail(c, e);
            return;
        }
        if (c.slot >= 0 && !asking) {
            pinned[c.slot] = node;
        }
        c.node = node;
        inFlight.incrementAndGet();
        if (asking) {
            commands.increment();
            conn.send(List.of(ASKING)); // an error here makes the command itself redirect again
        }
        if (c.tx == null) {
            commands.increment();
            conn.send(c.args).whenComplete((r, t) -> onReply(c, r, t));
            return;
        }
        // ASKING holds through MULTI … EXEC (Redis keeps the flag while a transaction is open)
        commands.add(c.tx.size() + 2);
        List<CompletableFuture<RespReply>> queued = new ArrayList<>(c.tx.size() + 1);
        queued.add(conn.send(List.of(MULTI)));
        for (List<byte[]> cmd : c.tx) {
            queued.add(conn.send(cmd));
        }
        conn.send(List.of(EXEC)).whenComplete((r, t) -> onReply(c, t == null ? execOutcome(r, queued) : null, t));
    }

    /**
     * What a transaction's {@code EXEC} reply means: the array when it ran; else the first redirect
     * or retryable error among the replies to {@code MULTI} and the queued commands (the node did not
     * run it and says where to send it), else the first other error there, else the {@code EXEC}
     * error itself. Event loop; the queued replies all arrived before the {@code EXEC} reply.
     */
    private static RespReply execOutcome(RespReply exec, List<CompletableFuture<RespReply>> queued) {
        if (!(exec instanceof ErrorReply)) {
            return exec;
        }
        ErrorReply other = null;
        for (CompletableFuture<RespReply> q : queued) {
            RespReply r = q.getNow(null);
            if (r instanceof ErrorReply e) {
                if (resolvable(e.kind())) {
                    return e;
                }
                other = other == null ? e : other;
            }
        }
        return other != null ? new ErrorReply("EXECABORT " + other.message()) : exec;
    }

    /** On the event loop (or inline when the connection is already closed): never takes the lock. */
    private void onReply(Cmd c, RespReply r, Throwable t) {
        if (t == null && r instanceof ErrorReply e && resolvable(e.kind())) {
            c.reply = e;
            parked.add(c); // before the in-flight count drops: a resolver waiting for 0 then sees it
            inFlight.decrementAndGet();
            scheduleResolve();
            return;
        }
        if (t == null && c.slot >= 0) {
            lastRan.accumulateAndGet(c.slot, c.seq, Math::max);
        }
        inFlight.decrementAndGet();
        if (c.slot >= 0) {
            outstanding.decrementAndGet(c.slot);
        }
        if (t != null) {
            c.done.completeExceptionally(t);
        } else {
            c.done.complete(r);
        }
    }

    private static boolean resolvable(ErrorKind k) {
        return k == ErrorKind.MOVED || k == ErrorKind.ASK || k == ErrorKind.TRYAGAIN || k == ErrorKind.CLUSTERDOWN
                || k == ErrorKind.LOADING;
    }

    private void fail(Cmd c, Throwable t) {
        if (c.done.isDone()) {
            return;
        }
        if (c.slot >= 0) {
            outstanding.decrementAndGet(c.slot);
        }
        c.done.completeExceptionally(t);
    }

    // ------------------------------------------------------------------ redirects

    private void scheduleResolve() {
        if (resolveQueued.compareAndSet(false, true)) {
            router.execute(() -> {
                resolveQueued.set(false);
                synchronized (this) {
                    if (!parked.isEmpty()) {
                        resolveLocked();
                    }
                }
            });
        }
    }

    /** Re-sends every parked command in send order once nothing else is in flight. Lock held. */
    private void resolveLocked() {
        try {
            resolveRounds();
        } catch (Throwable t) {
            failParked(t instanceof RuntimeException ? t
                    : new TargetClusterException(router.endpoint(), name + ": resolving redirects failed: " + t, t));
            throw t;
        }
    }

    private void resolveRounds() {
        while (!parked.isEmpty()) {
            if (closed || Thread.currentThread().isInterrupted()) {
                failParked(new TargetConnectionException(router.endpoint(), name + ": Redis Cluster lane closed", null));
                return;
            }
            long deadline = System.nanoTime() + router.retryTimeout().toNanos();
            while (inFlight.get() > 0) {
                if (closed) {
                    failParked(new TargetConnectionException(router.endpoint(), name + ": Redis Cluster lane closed", null));
                    return;
                }
                if (System.nanoTime() > deadline) {
                    failParked(new TargetClusterException(router.endpoint(), name + ": " + inFlight.get()
                            + " commands unanswered for " + router.retryTimeout().toSeconds()
                            + " s while resolving redirects"));
                    return;
                }
                LockSupport.parkNanos(100_000);
            }
            List<Cmd> batch = new ArrayList<>();
            Cmd c;
            while ((c = parked.poll()) != null) {
                batch.add(c);
            }
            batch.sort(Comparator.comparingLong(x -> x.seq));
            boolean backoff = false;
            boolean refresh = false;
            for (Cmd b : batch) {
                ErrorKind k = b.reply.kind();
                backoff |= k != ErrorKind.MOVED && k != ErrorKind.ASK;
                refresh |= k == ErrorKind.CLUSTERDOWN;
            }
            if (backoff) {
                backOff(refresh);
            } else {
                backoffRound = 0;
            }
            for (int i = 0; i < batch.size(); i++) {
                try {
                    resend(batch.get(i));
                } catch (RuntimeException | Error t) {
                    for (int j = i; j < batch.size(); j++) {
                        fail(batch.get(j), t);
                    }
                    throw t;
                }
            }
        }
    }

    private void backOff(boolean refresh) {
        long ms = Math.min(1000, 10L << Math.min(backoffRound++, 7));
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (refresh) {
            try {
                router.refresh();
            } catch (RuntimeException e) {
                LOG.warn("{}: topology refresh after CLUSTERDOWN failed: {}", name, e.getMessage());
            }
        }
    }

    private void resend(Cmd c) {
        ErrorReply e = c.reply;
        long now = System.nanoTime();
        if (c.firstRedirectNanos == 0) {
            c.firstRedirectNanos = now;
        }
        c.redirects++;
        boolean redirect = e.kind() == ErrorKind.MOVED || e.kind() == ErrorKind.ASK;
        if (redirect && c.redirects > router.maxRedirects()
                || now - c.firstRedirectNanos > router.retryTimeout().toNanos()) {
            fail(c, new TargetClusterException(String.valueOf(c.node), name + ": gave up on " + c.commandName() + " after " + c.redirects
                    + " redirects/retries in " + TimeUnit.NANOSECONDS.toMillis(now - c.firstRedirectNanos)
                    + " ms; last reply: " + e.message()));
            return;
        }
        switch (e.kind()) {
            case MOVED, ASK -> {
                Redirect rd = e.redirect().orElse(null);
                if (rd == null) {
                    fail(c, new TargetClusterException(String.valueOf(c.node), name + ": unreadable redirect: " + e.message()));
                    return;
                }
                HostAndPort to = new HostAndPort(rd.host().isEmpty() ? c.node.host() : rd.host(), rd.port());
                if (e.kind() == ErrorKind.MOVED) {
                    router.moved.increment();
                    router.moved(rd.slot(), to);
                    attempt(c, to, false);
                } else {
                    router.asked.increment();
                    attempt(c, to, true);
                }
            }
            default -> {
                if (c.slot >= 0 && lastRan.get(c.slot) > c.seq) {
                    // a later command of the slot already ran (CLUSTERDOWN/LOADING/TRYAGAIN hit only part
                    // of the pipeline): re-sending would reorder writes; fail, so the session resumes from
                    // the last acknowledged position and replays both in order
                    fail(c, new TargetClusterException(String.valueOf(c.node), name + ": " + c.commandName() + " refused ("
                            + e.message() + ") after a later command of slot " + c.slot
                            + " already ran; not re-sent out of order"));
                    return;
                }
                router.retried.increment();
                HostAndPort to = e.kind() == ErrorKind.CLUSTERDOWN && c.slot >= 0 ? router.topology().owner(c.slot)
                        : c.node;
                if (to == null) {
                    to = c.node != null ? c.node : anyMaster();
                }
                if (to == null) {
                    parked.add(c); // still no node for the slot: wait for the next round
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                } else {
                    attempt(c, to, false);
                }
            }
        }
    }

    private void failParked(Throwable t) {
        Cmd c;
        while ((c = parked.poll()) != null) {
            fail(c, t);
        }
    }

    private static final class Cmd {
        final long seq;
        final int slot;
        final List<byte[]> args;
        final List<List<byte[]>> tx;
        final CompletableFuture<RespReply> done = new CompletableFuture<>();
        HostAndPort node;
        volatile ErrorReply reply;
        int redirects;
        long firstRedirectNanos;

        Cmd(long seq, int slot, List<byte[]> args, List<List<byte[]>> tx) {
            this.seq = seq;
            this.slot = slot;
            this.args = args;
            this.tx = tx;
        }

        String commandName() {
            return tx != null ? "a transaction (MULTI … EXEC) of " + tx.size() + " commands"
                    : new String(args.get(0), StandardCharsets.UTF_8);
        }
    }
}
