package io.df2redis.testkit.internal;

import io.df2redis.testkit.ConnectionRecord;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * State of one client connection. Fields are guarded by the master's lock unless volatile, except
 * the write-throttle state ({@code held}, {@code deferred}, {@code dispatcher}), which belongs to
 * the connection's event loop, and {@code stalled}, written under the lock by the command that
 * journaled and read right after it on the same event loop.
 */
public final class Conn {
    public final long id;
    public final Channel channel;
    private final List<List<byte[]>> commands = new ArrayList<>();
    volatile boolean authenticated;
    /** Sessions created on this connection by {@code capa dragonfly} (the last one is current). */
    final List<Object> ownedSessions = new ArrayList<>();
    /** The current session of this connection (for CLIENT-ID / CLIENT-VERSION). */
    Object session;
    volatile String syncId;
    volatile int flowId = -1;
    /** Set when the connection became a flow connection; replies then go through it. */
    volatile FlowOutput flowOut;
    /** The session this flow connection belongs to. */
    Object flowSession;
    int db;
    /** Commands queued since MULTI (null outside MULTI); guarded by the master's lock. */
    List<List<byte[]>> queued;
    /** Whether a command queued since MULTI was refused (EXEC then aborts). */
    boolean queueError;
    /** Flow outputs over their limit after this connection's last write ({@link WriteThrottle}). */
    List<FlowOutput> stalled = List.of();
    /** A write of this connection waits for a flow output to drain: later commands wait in {@code deferred}. */
    boolean held;
    /** Commands that arrived while {@code held}, in order. */
    final java.util.ArrayDeque<List<byte[]>> deferred = new java.util.ArrayDeque<>();
    /** Runs one command as if it had just arrived (set by the connection's handler). */
    java.util.function.Consumer<List<byte[]>> dispatcher = a -> { };

    public Conn(long id, Channel channel) {
        this.id = id;
        this.channel = channel;
    }

    void record(List<byte[]> cmd) {
        synchronized (commands) {
            commands.add(List.copyOf(cmd));
        }
    }

    /** Writes a reply: directly, or through the flow's ordered output once this is a flow connection. */
    public void reply(byte[] bytes) {
        FlowOutput fo = flowOut;
        if (fo != null) {
            fo.enqueue(bytes);
        } else if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
        }
    }

    public void replyError(String text) {
        reply(Resp.error(text));
    }

    public ConnectionRecord snapshot() {
        List<List<String>> cmds = new ArrayList<>();
        synchronized (commands) {
            for (List<byte[]> c : commands) {
                List<String> s = new ArrayList<>(c.size());
                for (byte[] a : c) {
                    s.add(new String(a, StandardCharsets.UTF_8));
                }
                cmds.add(List.copyOf(s));
            }
        }
        return new ConnectionRecord(id, channel.remoteAddress(), flowId, syncId, channel.isActive(), List.copyOf(cmds));
    }

    @Override
    public String toString() {
        return "conn#" + id + (flowId >= 0 ? "(flow " + flowId + ")" : "");
    }
}
