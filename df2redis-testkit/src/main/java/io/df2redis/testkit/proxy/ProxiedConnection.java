package io.df2redis.testkit.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * One client connection accepted by a {@link FaultProxy} and its connection to the upstream
 * server, with its byte counters, the first bytes the client sent, and the faults that can be
 * injected into it ({@link FaultTarget}).
 *
 * <p><b>Threads.</b> Both sockets of a connection are registered on the same Netty event loop
 * (chosen when the client was accepted), which owns all the forwarding state: the pending buffers,
 * the stall flag, the rate limits, the byte triggers and the channel references. The public
 * methods may be called from any thread: the getters read {@code volatile} copies (the byte
 * counters, the captured first bytes, the open and stalled flags) written only by that event loop,
 * and the fault methods hand the fault to the event loop and wait for it to be applied (without
 * waiting when called on one of the proxy's own event loops).
 *
 * <p>Each direction's buffers, counters, rate limit and triggers are a {@link Pump}; the faults are
 * applied by {@link ConnectionFaults}; the sockets' handlers are {@link ProxySide}s. All three run
 * on the connection's event loop and use its package-private event-loop-owned fields.
 *
 * <p><b>Why one class:</b> over 400 lines (a quarter of it Javadoc of the public API), it is the
 * connection's event-loop-owned state and its public view, which read and write the same fields.
 */
public final class ProxiedConnection extends FaultOps {
    /** How many of the client's first bytes are kept for {@link #firstClientBytes()}. */
    static final int CAPTURE_LIMIT = 256;
    private static final Logger LOG = LoggerFactory.getLogger(ProxiedConnection.class);

    // immutable
    final FaultProxy proxy;
    private final int index;
    final Channel client;
    final EventLoop loop;
    private final InetSocketAddress clientAddress;
    final Pump c2u = new Pump(this, Direction.CLIENT_TO_UPSTREAM);
    final Pump u2c = new Pump(this, Direction.UPSTREAM_TO_CLIENT);
    /** Completed (on the event loop) once both sockets are closed. */
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final ConnectionFaults faults = new ConnectionFaults(this);

    // written by the event loop only, read by any thread
    private volatile boolean open = true;
    volatile boolean stalledView;
    private volatile byte[] captured = new byte[0];

    // owned by the event loop
    Channel upstream;
    boolean connected;
    boolean ended;
    boolean stalled;
    long stallGeneration;
    private int liveChannels;
    private int outputsShut;
    private boolean pumping;
    private boolean repump;

    ProxiedConnection(FaultProxy proxy, int index, Channel client) {
        this.proxy = proxy;
        this.index = index;
        this.client = client;
        this.loop = client.eventLoop();
        this.clientAddress = (InetSocketAddress) client.remoteAddress();
    }

    // ---------------------------------------------------------------- public API

    /**
     * The position of this connection in the proxy's accept order, from 0 (refused connections
     * take a number too).
     *
     * @return the accept index
     */
    public int index() {
        return index;
    }

    /**
     * The client's address (its ephemeral port tells connections of one client apart).
     *
     * @return the remote address of the accepted socket
     */
    public InetSocketAddress clientAddress() {
        return clientAddress;
    }

    /**
     * The bytes forwarded so far in {@code direction} (handed to the receiving socket; bytes the
     * proxy holds back because of a stall, a rate limit or a cut are not counted).
     *
     * @param direction the direction
     * @return the number of bytes forwarded
     */
    public long bytes(Direction direction) {
        return pump(Objects.requireNonNull(direction, "direction")).forwarded;
    }

    /**
     * The bytes forwarded so far from the client to the upstream server.
     *
     * @return {@code bytes(Direction.CLIENT_TO_UPSTREAM)}
     */
    public long bytesClientToUpstream() {
        return c2u.forwarded;
    }

    /**
     * The bytes forwarded so far from the upstream server to the client.
     *
     * @return {@code bytes(Direction.UPSTREAM_TO_CLIENT)}
     */
    public long bytesUpstreamToClient() {
        return u2c.forwarded;
    }

    /**
     * The first bytes the client sent (up to 256; fewer while fewer have arrived). Raw bytes: they
     * may contain a password (AUTH), so do not print them; {@link #clientCommands()} redacts it.
     *
     * @return a copy of the captured bytes
     */
    public byte[] firstClientBytes() {
        return captured.clone();
    }

    /**
     * The first command the client sent, decoded loosely from {@link #firstClientBytes()}: the
     * arguments of a RESP array of bulk strings, or the words of an inline command, as UTF-8
     * strings, with a password replaced by {@code <redacted>}.
     *
     * @return the command, or empty when no complete command has arrived (or it does not fit in
     *         the first 256 bytes, or the bytes are not RESP)
     */
    public Optional<List<String>> firstCommand() {
        List<List<String>> all = clientCommands();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /**
     * All the complete commands within the client's first 256 bytes, decoded like
     * {@link #firstCommand()} (a flow connection of a replica with a password sends {@code AUTH}
     * before {@code DFLY FLOW}).
     *
     * @return the commands in the order sent; empty when none is complete
     */
    public List<List<String>> clientCommands() {
        return CapturedCommands.parse(captured);
    }

    /**
     * Whether one of {@link #clientCommands()} starts with {@code args} (compared ignoring case),
     * for example {@code sentCommand("DFLY", "FLOW")} to find the flow connections.
     *
     * @param args the leading arguments to look for; at least one
     * @return true when a captured command starts with them
     */
    public boolean sentCommand(String... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("give at least the command name");
        }
        return CapturedCommands.anyStartsWith(clientCommands(), args);
    }

    /**
     * Whether the connection is still live: false from the moment it is cut, either side closes
     * it, or the proxy is closed (the sockets themselves may take a moment longer to close; see
     * {@link #closeFuture()}).
     *
     * @return true while the connection forwards (or could forward) bytes
     */
    public boolean isOpen() {
        return open;
    }

    /**
     * Whether the connection is stalled now.
     *
     * @return true between a stall and its resume
     */
    public boolean isStalled() {
        return stalledView;
    }

    /**
     * A future completed once both sockets of the connection are closed.
     *
     * @return a new future each call (completing it has no effect on the connection)
     */
    public CompletableFuture<Void> closeFuture() {
        return closed.copy();
    }

    /**
     * A summary without any of the transferred bytes.
     *
     * @return for example {@code connection #2 from /127.0.0.1:53422 [open, 120 B client→upstream, 4 B upstream→client]}
     */
    @Override
    public String toString() {
        return "connection #" + index + " from " + clientAddress + " [" + (open ? stalledView ? "stalled" : "open" : "closed")
                + ", " + c2u.forwarded + " B client→upstream, " + u2c.forwarded + " B upstream→client]";
    }

    // ---------------------------------------------------------------- fault entry points (any thread)

    @Override
    void inject(Fault fault) {
        proxy.await(List.of(submit(fault, true)));
    }

    /**
     * Hands {@code fault} to the event loop; applied inline when already on it and {@code inline}.
     * The returned future completes once it is applied.
     */
    CompletableFuture<Void> submit(Fault fault, boolean inline) {
        if (inline && loop.inEventLoop()) {
            faults.apply(fault);
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    faults.apply(fault);
                    done.complete(null);
                } catch (RuntimeException | Error e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            // the proxy is shutting down: the connection is being closed anyway
            done.complete(null);
        }
        return done;
    }

    /** Resets both sockets (the proxy is closing); not counted as a fault. */
    CompletableFuture<Void> submitClose() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                end();
                rst(client);
                rst(upstream);
                done.complete(null);
            });
        } catch (RejectedExecutionException e) {
            done.complete(null);
        }
        return done;
    }

    /** The future completed once both sockets are closed (for the proxy's close). */
    CompletableFuture<Void> closedFuture() {
        return closed;
    }

    // ---------------------------------------------------------------- event loop

    /** Sets up the client side and connects upstream. On the event loop, from the accept. */
    void start(Bootstrap upstreamTemplate, InetSocketAddress upstreamAddress) {
        liveChannels = 1;
        client.closeFuture().addListener(f -> channelClosed());
        client.pipeline().addLast("fault-proxy", new ProxySide(this, true));
        ChannelFuture cf = upstreamTemplate.clone(loop).handler(new ProxySide(this, false)).connect(upstreamAddress);
        upstream = cf.channel();
        liveChannels++;
        proxy.track(upstream);
        upstream.closeFuture().addListener(f -> channelClosed());
        cf.addListener(f -> upstreamConnected(cf, upstreamAddress));
        if (!ended) {
            // listed only with the proxy-wide faults already applied: a caller that finds it sees its state
            proxy.admit(this);
        }
    }

    private void upstreamConnected(ChannelFuture f, InetSocketAddress upstreamAddress) {
        if (!f.isSuccess()) {
            if (!ended) {
                LOG.warn("{}: {}: cannot connect to the upstream server {} ({}); resetting the client connection",
                        proxy, this, upstreamAddress, String.valueOf(f.cause()));
                end();
                rst(client);
            }
            return;
        }
        if (ended) {
            rst(upstream);
            return;
        }
        connected = true;
        LOG.debug("{}: {} connected upstream", proxy, this);
        pump();
    }

    /** Marks the connection ended and drops everything held back. Idempotent. */
    void end() {
        ended = true;
        open = false;
        stalledView = false;
        c2u.clear();
        u2c.clear();
    }

    private void channelClosed() {
        if (--liveChannels == 0) {
            end();
            proxy.unregister(this);
            closed.complete(null);
            LOG.debug("{}: {} closed", proxy, this);
        }
    }

    void onRead(boolean fromClient, ByteBuf buf) {
        if (ended || !buf.isReadable()) {
            buf.release();
            return;
        }
        if (fromClient) {
            capture(buf);
        }
        Pump p = fromClient ? c2u : u2c;
        p.pending.add(buf);
        p.pendingBytes += buf.readableBytes();
        pump();
    }

    private void capture(ByteBuf buf) {
        byte[] cur = captured;
        if (cur.length < CAPTURE_LIMIT) {
            int n = Math.min(CAPTURE_LIMIT - cur.length, buf.readableBytes());
            byte[] next = Arrays.copyOf(cur, cur.length + n);
            buf.getBytes(buf.readerIndex(), next, cur.length, n);
            captured = next;
        }
    }

    void onInputShutdown(boolean clientSide) {
        Channel ch = clientSide ? client : upstream;
        if (ended) {
            // the receiver of a byte-exact cut has closed its side too: close once our bytes and FIN are out
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        (clientSide ? c2u : u2c).eof = true;
        pump();
    }

    void onInactive(boolean clientSide) {
        if (ended) {
            return;
        }
        // reset or failed: nothing more can be forwarded; the other side gets what it was sent, then a FIN
        LOG.debug("{}: {}: the {} side went away", proxy, this, clientSide ? "client" : "upstream");
        end();
        Channel other = clientSide ? upstream : client;
        if (other != null && other.isOpen()) {
            other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Forwards what may be forwarded in both directions, then sets each sender's autoRead. */
    void pump() {
        if (pumping) {
            // re-entered from a write (writability change) or a fault fired while forwarding
            repump = true;
            return;
        }
        pumping = true;
        try {
            do {
                repump = false;
                c2u.drain();
                u2c.drain();
            } while (repump && !ended);
            updateAutoRead();
        } finally {
            pumping = false;
        }
    }

    /** Applies the faults whose trigger byte has been reached, in byte order. */
    void fireDue(Pump p) {
        while (!ended && p.untilNextTrigger() == 0) {
            Pump.Trigger t = p.nextTrigger();
            p.triggers.remove(t);
            Fault f = t.then() instanceof Fault.Cut c && c.deliver() == null ? new Fault.Cut(p.direction) : t.then();
            faults.apply(f);
        }
    }

    /** The sender of {@code p} has closed its side: pass the FIN on after the last forwarded byte. */
    void propagateEof(Pump p) {
        p.eofSent = true;
        Channel sink = p.sink();
        LOG.debug("{}: {}: end of stream {}", proxy, this, p.direction);
        sink.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (f.isSuccess() && sink instanceof SocketChannel sc && sc.isActive()) {
                sc.shutdownOutput().addListener(x -> {
                    if (++outputsShut == 2 && !ended) {
                        // both sides have finished sending: a normal close
                        end();
                        client.close();
                        upstream.close();
                    }
                });
            }
        });
    }

    private void updateAutoRead() {
        if (ended) {
            return;
        }
        for (Pump p : new Pump[] {c2u, u2c}) {
            Channel source = p.source();
            if (source != null && source.isOpen()) {
                boolean read = connected && !stalled && !p.eof && p.pending.isEmpty() && p.sink().isWritable();
                source.config().setAutoRead(read);
            }
        }
    }

    Pump pump(Direction d) {
        return d == Direction.CLIENT_TO_UPSTREAM ? c2u : u2c;
    }

    /** Closes {@code ch} with a TCP reset (SO_LINGER 0). */
    static void rst(Channel ch) {
        if (ch == null || !ch.isOpen()) {
            return;
        }
        try {
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            // already closing: a plain close is all that is left
        }
        ch.close();
    }
}
