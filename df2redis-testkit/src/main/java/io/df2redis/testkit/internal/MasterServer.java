package io.df2redis.testkit.internal;

import io.df2redis.testkit.ConnectionRecord;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Netty side of an embedded master: accepts connections on a loopback port, decodes
 * commands, records them, enforces AUTH, and hands the rest to a {@link Backend}. Also holds
 * what the fault hooks and observability need across backends: the connection list, the ACK
 * registry, armed per-flow faults and the LOADING counter.
 */
public final class MasterServer {
    private static final Logger LOG = LoggerFactory.getLogger(MasterServer.class);

    /** Authentication settings. */
    public record Auth(String requirePass, String aclUser, String aclPassword) {
        boolean required() {
            return requirePass != null || aclUser != null;
        }
    }

    private final Object lock;
    private final Auth auth;
    private final SslContext ssl;
    private final AckRegistry acks = new AckRegistry();
    private final List<Conn> connections = new ArrayList<>();
    private final AtomicLong connIds = new AtomicLong();
    private final Map<Integer, Long> armedDrops = new HashMap<>();
    private final Map<Integer, Long> armedStalls = new HashMap<>();
    private final AtomicInteger loadingReplies = new AtomicInteger();
    private final Map<String, String> dflyFaults = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Runnable> dflyHooks = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean pretendRedis;
    private volatile Backend backend;
    private EventLoopGroup group;
    private Channel serverChannel;

    public MasterServer(Object lock, Auth auth, SslContext ssl) {
        this.lock = lock;
        this.auth = auth;
        this.ssl = ssl;
    }

    public void backend(Backend b) {
        this.backend = b;
    }

    public Object lock() {
        return lock;
    }

    public AckRegistry acks() {
        return acks;
    }

    /** Binds the listening socket. */
    public InetSocketAddress start(String host, int port) {
        group = new NioEventLoopGroup(2, new DefaultThreadFactory("df-embedded-master", true));
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast("ssl", ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("commands", new CommandDecoder());
                        ch.pipeline().addLast("handler", new Handler());
                    }
                });
        try {
            serverChannel = b.bind(host, port).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("interrupted while binding", e);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Closes every client connection (the listening socket stays). */
    public void closeClients() {
        List<Conn> open;
        synchronized (connections) {
            open = new ArrayList<>(connections);
        }
        for (Conn c : open) {
            c.channel.close().syncUninterruptibly();
        }
    }

    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        closeClients();
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    public List<ConnectionRecord> records() {
        List<ConnectionRecord> out = new ArrayList<>();
        synchronized (connections) {
            for (Conn c : connections) {
                out.add(c.snapshot());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ fault hooks

    public void pretendRedis(boolean on) {
        pretendRedis = on;
    }

    public boolean pretendRedis() {
        return pretendRedis;
    }

    public void loadingReplies(int count) {
        loadingReplies.set(count);
    }

    /** Whether this DFLY command must be answered with -LOADING (consumes one). */
    public boolean takeLoading() {
        while (true) {
            int n = loadingReplies.get();
            if (n <= 0) {
                return false;
            }
            if (loadingReplies.compareAndSet(n, n - 1)) {
                return true;
            }
        }
    }

    /**
     * Arms a one-shot fault for the next {@code DFLY <sub>}: answer {@code -<error>} instead of
     * executing it, or (error "") never answer.
     */
    public void armDflyFault(String sub, String error) {
        dflyFaults.put(sub.toUpperCase(Locale.ROOT), error);
    }

    /** Arms a one-shot action to run just before the next {@code DFLY <sub>} is executed. */
    public void armDflyHook(String sub, Runnable action) {
        dflyHooks.put(sub.toUpperCase(Locale.ROOT), action);
    }

    /** The armed action of {@code DFLY <sub>} (consumed), or null. */
    public Runnable takeDflyHook(String sub) {
        return dflyHooks.remove(sub);
    }

    /** The armed fault of {@code DFLY <sub>} (consumed), or null. */
    public String takeDflyFault(String sub) {
        return dflyFaults.remove(sub);
    }

    /** Arms a drop for the current (if any) or next flow connection with this id. */
    public void armDrop(int flow, long bytes, FlowOutput current) {
        synchronized (lock) {
            if (current != null && !current.isClosed()) {
                current.dropAfter(bytes);
            } else {
                armedDrops.put(flow, bytes);
            }
        }
    }

    public void armStall(int flow, long nanos, FlowOutput current) {
        synchronized (lock) {
            if (current != null && !current.isClosed()) {
                current.stall(nanos);
            } else {
                armedStalls.put(flow, nanos);
            }
        }
    }

    /** Applies armed faults to a new flow connection. Call under the lock. */
    public void applyArmedFaults(int flow, FlowOutput out) {
        Long d = armedDrops.remove(flow);
        if (d != null) {
            out.dropAfter(d);
        }
        Long s = armedStalls.remove(flow);
        if (s != null) {
            out.stall(s);
        }
    }

    // ------------------------------------------------------------------ connection handler

    private final class Handler extends ChannelInboundHandlerAdapter {
        private Conn conn;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            conn = new Conn(connIds.incrementAndGet(), ctx.channel());
            conn.authenticated = !auth.required();
            conn.dispatcher = args -> dispatch(ctx, args);
            synchronized (connections) {
                connections.add(conn);
            }
            ctx.fireChannelActive();
        }

        @Override
        @SuppressWarnings("unchecked")
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            List<byte[]> args = (List<byte[]>) msg;
            if (conn.held) {
                conn.deferred.add(args); // an earlier write waits for a replica to drain (WriteThrottle)
                return;
            }
            dispatch(ctx, args);
        }

        private void dispatch(ChannelHandlerContext ctx, List<byte[]> args) {
            conn.record(args);
            String name = new String(args.get(0), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
            if (name.equals("AUTH")) {
                auth(args);
                return;
            }
            if (name.equals("QUIT")) {
                conn.reply(Resp.OK);
                ctx.channel().close();
                return;
            }
            if (!conn.authenticated) {
                conn.replyError(Resp.NOAUTH);
                return;
            }
            try {
                backend.onCommand(conn, args);
            } catch (RuntimeException e) {
                LOG.warn("{}: command {} failed", conn, name, e);
                conn.replyError("ERR " + e.getMessage());
            }
        }

        private void auth(List<byte[]> args) {
            if (args.size() < 2 || args.size() > 3) {
                conn.replyError("ERR wrong number of arguments for 'auth' command");
                return;
            }
            if (!auth.required()) {
                conn.replyError("ERR AUTH <password> called without any password configured for the default user. "
                        + "Are you sure your configuration is correct?");
                return;
            }
            String user = args.size() == 3 ? Resp.text(args.get(1)) : "default";
            String pass = Resp.text(args.get(args.size() - 1));
            boolean ok;
            if (user.equals("default")) {
                ok = auth.requirePass() != null && auth.requirePass().equals(pass);
            } else {
                ok = user.equals(auth.aclUser()) && pass.equals(auth.aclPassword());
            }
            if (ok) {
                conn.authenticated = true;
                conn.reply(Resp.OK);
            } else {
                conn.replyError(Resp.WRONGPASS);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            FlowOutput fo = conn.flowOut;
            if (fo != null && ctx.channel().isWritable()) {
                fo.kick();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            FlowOutput fo = conn.flowOut;
            if (fo != null) {
                fo.close();
            }
            Backend b = backend;
            if (b != null) {
                b.onClose(conn);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof DecoderException && conn != null) {
                String m = cause.getCause() != null ? cause.getCause().getMessage() : cause.getMessage();
                conn.replyError("ERR " + (m == null ? "Protocol error" : m));
                LOG.debug("{}: protocol error", conn, cause);
            } else {
                LOG.debug("{}: connection error", conn, cause);
            }
            ctx.close();
        }
    }
}
