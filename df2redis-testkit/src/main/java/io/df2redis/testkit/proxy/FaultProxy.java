package io.df2redis.testkit.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A TCP proxy for end-to-end tests that injects network faults: it listens on a loopback port and
 * forwards each accepted connection to one upstream {@code host:port}, byte for byte, until told to
 * cut, stall or slow a connection (see {@link FaultTarget}), to refuse new connections or to stop
 * accepting them.
 *
 * <pre>{@code
 * try (RedisServerProcess redis = RedisServerProcess.start();
 *      FaultProxy proxy = FaultProxy.start("127.0.0.1", redis.port())) {
 *     // point the code under test at proxy.host():proxy.port(), then for example
 *     ProxiedConnection flow = proxy.awaitConnection(c -> c.sentCommand("DFLY", "FLOW"), Duration.ofSeconds(10));
 *     long at = flow.cutAtRandomByte(new Random(seed), Direction.UPSTREAM_TO_CLIENT, 1 << 20);
 *     System.out.println("seed " + seed + ": cut at byte " + at + "; " + proxy.faultCount() + " faults so far");
 * }
 * }</pre>
 *
 * <p>Faults called on the proxy apply to every live connection; {@link #stall() stall} and
 * {@link #throttle(long) throttle} also apply to connections accepted later, until
 * {@link #resume()} / {@link #unthrottle()}; the others ({@link #cut()}, {@link #cutAfter}, {@link
 * #after}) only to the connections live at the call. Calls on a {@link ProxiedConnection} apply to
 * that connection only; {@link #resume()} and {@link #unthrottle()} on the proxy also end the
 * per-connection stalls and limits.
 *
 * <p>Without faults the proxy is transparent: bytes pass unchanged, a half-close (FIN) of one side
 * is passed on after the last byte, and when one side closes or resets its socket, the other side
 * gets the bytes already forwarded and then end-of-stream. When the upstream server cannot be
 * reached, the client's connection is reset.
 *
 * <p><b>Back-pressure and memory.</b> The proxy never reads from a sender faster than it can
 * forward: a socket is read only while nothing read from it is held back and the receiving socket
 * is writable (Netty's write-buffer water marks), by switching the channel's {@code autoRead}. So
 * per direction at most one read buffer (64 KiB) is held back plus the receiving socket's write
 * buffer (64 KiB), whatever the fault; a stalled or throttled or slow receiver makes the sender's
 * writes block in the ordinary TCP way.
 *
 * <p><b>Threads.</b> The proxy owns a Netty event loop group ({@link Builder#ioThreads(int) one thread} by
 * default, daemon threads named {@code fault-proxy-N}). The listening socket lives on one of its
 * event loops; each connection's two sockets live together on one event loop, which alone owns that
 * connection's forwarding state (see {@link ProxiedConnection}). Nothing on the event loops blocks.
 * The public methods may be called from any thread; the fault methods, {@link #pause()},
 * {@link #unpause()} and {@link #close()} wait (briefly) for the event loops to apply them, except
 * when called on one of the proxy's own event loops, where they only start them. The settings
 * inherited by new connections (stalled, rate limits) are guarded by {@code defaultsLock}; the
 * connection registry, counters and flags are concurrent collections, atomics or volatiles.
 *
 * <p>Pieces: the listening socket is {@link ProxyListener}'s, the proxy-wide faults {@link ProxyDefaults}',
 * each connection a {@link ProxiedConnection}. <b>Why one class:</b> the proxy's life cycle and
 * public surface (500 lines, a third of them Javadoc).
 */
public final class FaultProxy extends FaultOps implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final long AWAIT_SECONDS = 10;

    // immutable (serverChannel and local: written once by bind(), before any connection is accepted)
    private final String label;
    private final String name;
    private final InetSocketAddress upstream;
    private final EventLoopGroup group;
    private final Bootstrap upstreamTemplate;
    private volatile Channel serverChannel;
    private volatile InetSocketAddress local;

    // any thread
    private final ConcurrentSkipListMap<Integer, ProxiedConnection> live = new ConcurrentSkipListMap<>();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong faults = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean refuseNew;
    private volatile boolean paused;

    // the settings new connections inherit
    private final ProxyDefaults defaults;

    private FaultProxy(Builder b, InetSocketAddress upstream) {
        int id = IDS.incrementAndGet();
        this.upstream = upstream;
        this.group = new NioEventLoopGroup(b.ioThreads, new DefaultThreadFactory("fault-proxy-" + id, true));
        this.upstreamTemplate = new Bootstrap()
                .channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, b.connectTimeout.toMillis()));
        this.defaults = new ProxyDefaults(group, closed::get);
        this.label = "fault-proxy-" + id;
        this.name = label + " (→ " + upstream.getHostString() + ":" + upstream.getPort() + ")";
    }

    /**
     * Starts a proxy with the default settings on a free loopback port.
     *
     * @param upstreamHost the host to forward to (resolved once, now)
     * @param upstreamPort the port to forward to
     * @return the running proxy
     * @throws IllegalArgumentException if the host cannot be resolved or the port is out of range
     * @throws IllegalStateException    if the listening socket cannot be bound
     */
    public static FaultProxy start(String upstreamHost, int upstreamPort) {
        return builder().start(upstreamHost, upstreamPort);
    }

    /**
     * A builder for a proxy with non-default settings.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private void bind() {
        try {
            serverChannel = ProxyListener.bind(group, accepted, this::accept);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException(name + ": cannot listen on a loopback port: " + e.getMessage(), e);
        }
        local = (InetSocketAddress) serverChannel.localAddress();
        LOG.info("{} listening on {}:{}", name, host(), port());
    }

    /** On the new connection's event loop. */
    private void accept(SocketChannel ch) {
        track(ch);
        int index = ch.attr(ProxyListener.INDEX).get();
        if (closed.get()) {
            ProxiedConnection.rst(ch);
        } else if (refuseNew) {
            faultInjected();
            LOG.info("{}: refused connection #{} from {}", this, index, ch.remoteAddress());
            ProxiedConnection.rst(ch);
        } else {
            ProxiedConnection c = new ProxiedConnection(this, index, ch);
            LOG.debug("{}: accepted {}", this, c);
            c.start(upstreamTemplate, upstream);
        }
    }

    /**
     * The address the proxy listens on.
     *
     * @return the loopback address, as text ({@code 127.0.0.1} normally)
     */
    public String host() {
        return local.getAddress().getHostAddress();
    }

    /**
     * The port the proxy listens on.
     *
     * @return the port (chosen by the system at start)
     */
    public int port() {
        return local.getPort();
    }

    /**
     * The upstream server the proxy forwards to.
     *
     * @return the resolved upstream address
     */
    public InetSocketAddress upstream() {
        return upstream;
    }

    /**
     * The live connections, in accept order.
     *
     * @return a snapshot: an unmodifiable list of the connections open at the call
     */
    public List<ProxiedConnection> connections() {
        List<ProxiedConnection> out = new ArrayList<>();
        for (ProxiedConnection c : live.values()) {
            if (c.isOpen()) {
                out.add(c);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Waits until a live connection matches {@code condition} and returns the first one in accept
     * order (polling every few milliseconds). Blocks the calling thread: call it from a test thread,
     * never from an event loop.
     *
     * @param condition what to wait for, for example {@code c -> c.sentCommand("DFLY", "FLOW")}
     * @param timeout   how long to wait at most
     * @return the first matching live connection
     * @throws AssertionError        if none matches within {@code timeout} (the message lists the live connections)
     * @throws IllegalStateException if called on one of the proxy's event loops, or interrupted
     */
    public ProxiedConnection awaitConnection(Predicate<? super ProxiedConnection> condition, Duration timeout) {
        Objects.requireNonNull(condition, "condition");
        if (onProxyThread()) {
            throw new IllegalStateException(name + ": awaitConnection would block the proxy's own event loop");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (ProxiedConnection c : connections()) {
                if (condition.test(c)) {
                    return c;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(name + ": no live connection matched within " + timeout
                        + "; live connections: " + connections());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(name + ": interrupted while waiting for a connection", e);
            }
        }
    }

    /**
     * How many connections the proxy has accepted so far, refused ones included.
     *
     * @return the number of accepted connections
     */
    public int acceptedCount() {
        return accepted.get();
    }

    /**
     * How many faults have taken effect so far: each counts once per connection it hit (a cut, a
     * stall beginning, a new rate limit), plus each connection refused by {@link #refuseNew} and
     * each {@link #pause()}. Deferred faults count when their trigger fires; ending a fault
     * ({@code resume}, {@code unthrottle}, {@code unpause}) does not count.
     *
     * @return the number of faults injected
     */
    public long faultCount() {
        return faults.get();
    }

    /**
     * Makes the proxy accept new connections and reset them at once (SO_LINGER 0), as a server
     * that refuses clients would; or back to normal with {@code false}. Live connections are not
     * affected. Each refused connection counts as a fault.
     *
     * @param refuse true to refuse new connections, false to forward them again
     * @throws IllegalStateException if the proxy is closed
     */
    public void refuseNew(boolean refuse) {
        ensureOpen();
        refuseNew = refuse;
        LOG.info("{}: {}", this, refuse ? "refusing new connections" : "accepting new connections again");
    }

    /**
     * Stops accepting connections (the listening socket stays bound: the system still completes up
     * to a backlog of TCP handshakes, whose clients then wait) until {@link #unpause()}. Live
     * connections are not affected.
     *
     * @throws IllegalStateException if the proxy is closed
     */
    public void pause() {
        ensureOpen();
        setAccepting(false);
    }

    /**
     * Accepts connections again after {@link #pause()}, the waiting ones first.
     *
     * @throws IllegalStateException if the proxy is closed
     */
    public void unpause() {
        ensureOpen();
        setAccepting(true);
    }

    /**
     * Whether the listener is paused.
     *
     * @return true between {@link #pause()} and {@link #unpause()}
     */
    public boolean isPaused() {
        return paused;
    }

    private void setAccepting(boolean accept) {
        Channel server = serverChannel;
        await(List.of(ProxyListener.onLoop(server, () -> {
            if (paused == accept) {
                paused = !accept;
                if (!accept) {
                    faultInjected();
                }
                LOG.info("{}: listener {}", this, accept ? "accepting again" : "paused");
            }
            server.config().setAutoRead(accept);
        })));
    }

    @Override
    void inject(Fault fault) {
        ensureOpen();
        await(defaults.inject(fault, live.values()));
    }

    /**
     * Lists a new connection as live with the proxy-wide stall and rate limits applied, as one step
     * against concurrent proxy-wide faults; on its event loop.
     */
    void admit(ProxiedConnection c) {
        defaults.admit(c, () -> live.put(c.index(), c));
    }

    void unregister(ProxiedConnection c) {
        live.remove(c.index(), c);
    }

    void track(Channel ch) {
        channels.add(ch);
        ch.closeFuture().addListener(f -> channels.remove(ch));
    }

    void faultInjected() {
        faults.incrementAndGet();
    }

    /** Waits for faults to be applied, unless on one of the proxy's event loops (which must not block). */
    void await(List<CompletableFuture<Void>> applied) {
        if (applied.isEmpty() || onProxyThread()) {
            return;
        }
        try {
            CompletableFuture.allOf(applied.toArray(CompletableFuture[]::new)).get(AWAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + ": the proxy's event loop did not apply a fault within "
                    + AWAIT_SECONDS + " s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + ": applying a fault failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted while applying a fault", e);
        }
    }

    private boolean onProxyThread() {
        for (EventExecutor e : group) {
            if (e.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException(name + " is closed");
        }
    }

    /**
     * Closes the listener and resets every connection, then stops the event loops. Safe to call more
     * than once (later calls do nothing) and from any thread (on one of the proxy's own event loops
     * it does not wait for the shutdown).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean wait = !onProxyThread();
        ChannelFuture listener = serverChannel.close();
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (ProxiedConnection c : live.values()) {
            closing.add(c.submitClose());
            closing.add(c.closedFuture());
        }
        for (Channel ch : channels) {
            ProxiedConnection.rst(ch);
        }
        if (wait) {
            listener.awaitUninterruptibly(AWAIT_SECONDS, TimeUnit.SECONDS);
            try {
                CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(AWAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("{}: connections did not close within {} s: {}", this, AWAIT_SECONDS, String.valueOf(e));
            }
        }
        io.netty.util.concurrent.Future<?> stopped = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (wait) {
            stopped.awaitUninterruptibly(AWAIT_SECONDS, TimeUnit.SECONDS);
        }
        LOG.info("{} closed after {} connections and {} faults", this, accepted.get(), faults.get());
    }

    /**
     * A summary: the listening and upstream addresses.
     *
     * @return for example {@code fault-proxy-1 127.0.0.1:40211 → 127.0.0.1:6379}
     */
    @Override
    public String toString() {
        return label + " " + (local == null ? "?" : host() + ":" + port())
                + " → " + upstream.getHostString() + ":" + upstream.getPort();
    }

    /** Settings of a proxy; mutable until {@link #start}, which copies them. */
    public static final class Builder {
        private int ioThreads = 1;
        private Duration connectTimeout = Duration.ofSeconds(5);

        private Builder() {
        }

        /**
         * The number of event-loop threads (default 1, plenty for a test's handful of connections).
         *
         * @param n at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
        public Builder ioThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("ioThreads must be at least 1, got " + n);
            }
            this.ioThreads = n;
            return this;
        }

        /**
         * How long to wait for the upstream server to accept each connection (default 5 s); when it
         * does not, the client's connection is reset.
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is not positive
         */
        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive, got " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Starts a proxy on a free loopback port forwarding to {@code upstreamHost:upstreamPort}.
         *
         * @param upstreamHost the host to forward to (resolved once, now, so that no event loop waits for DNS)
         * @param upstreamPort the port to forward to
         * @return the running proxy
         * @throws IllegalArgumentException if the host cannot be resolved or the port is out of range
         * @throws IllegalStateException    if the listening socket cannot be bound
         */
        public FaultProxy start(String upstreamHost, int upstreamPort) {
            Objects.requireNonNull(upstreamHost, "upstreamHost");
            InetSocketAddress upstream = new InetSocketAddress(upstreamHost, upstreamPort);
            if (upstream.isUnresolved()) {
                throw new IllegalArgumentException("cannot resolve the upstream host " + upstreamHost);
            }
            FaultProxy p = new FaultProxy(this, upstream);
            p.bind();
            return p;
        }
    }
}
