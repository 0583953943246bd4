package io.df2redis.replica.internal;

import io.df2redis.protocol.ProtocolException;
import io.df2redis.protocol.journal.JournalDecoder;
import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.journal.JournalOp;
import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.ValueBatch;
import io.df2redis.protocol.resp.RespDecoder;
import io.df2redis.protocol.resp.RespEncoder;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.replica.ConnectionException;
import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.ReplicationProtocolException;
import io.df2redis.replica.SinkEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One flow connection. Starts as a RESP client (AUTH, {@code DFLY FLOW}); right after the FLOW
 * reply the same socket carries the replication stream, decoded here on the event loop (the
 * bytes read past the reply are kept) and handed to the flow's {@link FlowPipeline}. The only
 * thing ever written after the FLOW command is {@code REPLCONF ACK <n>}.
 */
final class FlowConnection extends ChannelInboundHandlerAdapter implements RdbHandler {
    interface Events {
        /** The decoder read FULLSYNC_END (called on the event loop). */
        void fullSyncEndDecoded(int flow);

        /** The flow failed (called on the event loop). */
        void flowFailed(int flow, ReplicationException e);
    }

    private enum Mode { HANDSHAKE, FULL, PARTIAL, CLOSED }

    private final int flow;
    private final FlowPipeline pipeline;
    private final Events events;
    private final io.df2redis.protocol.rdb.RdbDecoderOptions decoderOptions;
    private final ArrayDeque<CompletableFuture<RespReply>> pending = new ArrayDeque<>();
    private final RespDecoder resp = new RespDecoder();
    final AtomicLong bytesReceived = new AtomicLong();
    final AtomicLong entries = new AtomicLong();
    final AtomicLong journalEntries = new AtomicLong();
    volatile long receivedLsn;
    private Mode mode = Mode.HANDSHAKE;
    private boolean expectStream;
    private RdbDecoder rdb;
    private JournalDecoder journal;
    private long partialStartLsn;
    private ByteBuf cum;
    private Channel channel;
    private boolean stable;
    /** Items decoded during the current channelRead, handed to the pipeline together. */
    private java.util.List<FlowItem> batch = new java.util.ArrayList<>();
    private long batchBytes;

    FlowConnection(int flow, FlowPipeline pipeline, Events events,
                   io.df2redis.protocol.rdb.RdbDecoderOptions decoderOptions) {
        this.flow = flow;
        this.pipeline = pipeline;
        this.events = events;
        this.decoderOptions = decoderOptions;
    }

    Channel channel() {
        return channel;
    }

    void bind(Channel ch) {
        this.channel = ch;
        pipeline.bind(ch);
    }

    /** Sends a handshake command; for {@code DFLY FLOW} pass {@code flowCommand = true}. */
    CompletableFuture<RespReply> command(boolean flowCommand, Object... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = String.valueOf(args[i]).getBytes(StandardCharsets.UTF_8);
        }
        CompletableFuture<RespReply> f = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                f.completeExceptionally(new ConnectionException("flow " + flow + " connection closed"));
                return;
            }
            pending.add(f);
            expectStream |= flowCommand;
            channel.writeAndFlush(RespEncoder.encode(channel.alloc(), a));
        });
        return f;
    }

    /** Writes {@code REPLCONF ACK <lsn>} (must run on the event loop). */
    void writeAck(long lsn) {
        if (channel != null && channel.isActive()) {
            ByteBuf b = channel.alloc().buffer(48);
            RespEncoder.writeArrayHeader(b, 3);
            RespEncoder.writeBulkString(b, "REPLCONF");
            RespEncoder.writeBulkString(b, "ACK");
            RespEncoder.writeBulkString(b, lsn);
            channel.writeAndFlush(b);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        bytesReceived.addAndGet(in.readableBytes());
        if (mode == Mode.CLOSED) {
            in.release();
            return;
        }
        cum = cum == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cum, in);
        try {
            process();
            flushItems();
        } catch (ProtocolException e) {
            fail(new ReplicationProtocolException("flow " + flow + ": " + e.getMessage(), e));
        } catch (ReplicationException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new ReplicationProtocolException("flow " + flow + ": " + e, e));
        }
        if (cum != null) {
            if (!cum.isReadable()) {
                cum.release();
                cum = null;
            } else {
                cum.discardSomeReadBytes();
            }
        }
    }

    private void offer(FlowItem item) {
        batch.add(item);
        batchBytes += item.bytes();
    }

    private void flushItems() {
        if (batch.isEmpty()) {
            return;
        }
        FlowItem g = batch.size() == 1 ? batch.get(0) : new FlowItem.Group(batch, batchBytes);
        batch = new java.util.ArrayList<>();
        batchBytes = 0;
        pipeline.offer(g);
    }

    private void process() {
        while (mode == Mode.HANDSHAKE && cum.isReadable()) {
            RespReply r = resp.decode(cum);
            if (r == null) {
                return;
            }
            CompletableFuture<RespReply> f = pending.poll();
            if (f == null) {
                throw new ReplicationProtocolException("flow " + flow + ": unexpected reply " + r);
            }
            if (pending.isEmpty() && expectStream && !r.isError()) {
                switchMode(r);
            }
            f.complete(r);
        }
        if (mode == Mode.FULL) {
            rdb.decode(cum);
        } else if (mode == Mode.PARTIAL) {
            journal.decode(cum);
        }
    }

    /** The DFLY FLOW reply arrived: everything after it is the replication stream. */
    private void switchMode(RespReply r) {
        String kind = r instanceof io.df2redis.protocol.resp.ArrayReply a && a.size() == 2
                ? text(a.get(0)) : "";
        if (kind.equals("FULL")) {
            rdb = RdbDecoder.forFlow(this, decoderOptions);
            mode = Mode.FULL;
        } else if (kind.equals("PARTIAL")) {
            journal = new JournalDecoder(this);
            journal.nextLsn(partialStartLsn);
            stable = true;
            mode = Mode.PARTIAL;
            offer(new FlowItem.PartialStart(partialStartLsn));
        }
    }

    /** The LSN asked for in DFLY FLOW (partial sync), set before sending it. */
    void requestedLsn(long lsn) {
        this.partialStartLsn = lsn;
    }

    static String text(RespReply r) {
        if (r instanceof io.df2redis.protocol.resp.SimpleString s) {
            return s.value();
        }
        if (r instanceof io.df2redis.protocol.resp.BulkString b) {
            return b.asString();
        }
        return String.valueOf(r);
    }

    private void fail(ReplicationException e) {
        mode = Mode.CLOSED;
        CompletableFuture<RespReply> f;
        while ((f = pending.poll()) != null) {
            f.completeExceptionally(e);
        }
        events.flowFailed(flow, e);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(new ConnectionException("flow " + flow + " failed: " + cause.getMessage(), cause));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (cum != null) {
            cum.release();
            cum = null;
        }
        if (mode != Mode.CLOSED) {
            fail(new ConnectionException("flow " + flow + " connection closed by the master"));
        }
    }

    /** Stops decoding (the session is ending). */
    void close() {
        if (channel != null) {
            if (!channel.eventLoop().isShuttingDown()) {
                channel.eventLoop().execute(() -> mode = Mode.CLOSED);
            }
            channel.close();
        }
    }

    // ---- decoder callbacks (event loop) ----

    @Override
    public void onAux(byte[] key, byte[] value) {
        offer(new FlowItem.Aux(key, value));
    }

    @Override
    public void onEntryStart(RdbEntry entry) {
        entries.incrementAndGet();
        offer(new FlowItem.Sink(new SinkEvent.EntryStart(flow, entry), 64 + entry.key().length));
    }

    @Override
    public void onValueBatch(RdbEntry entry, ValueBatch batch) {
        offer(new FlowItem.Sink(new SinkEvent.EntryBatch(flow, entry, batch), FlowItem.sizeOf(batch)));
    }

    @Override
    public void onEntryEnd(RdbEntry entry, EntrySummary summary) {
        offer(new FlowItem.Sink(new SinkEvent.EntryEnd(flow, entry, summary), 96));
    }

    @Override
    public void onFullSyncEnd() {
        offer(new FlowItem.Sink(new SinkEvent.FullSyncEnd(flow), 16));
        events.fullSyncEndDecoded(flow);
    }

    @Override
    public void onEofToken(byte[] token) {
        stable = true;
        offer(new FlowItem.StableStart(rdb.journalOffset()));
    }

    @Override
    public void onJournalEntry(JournalEntry e) {
        if (e.op() == JournalOp.SELECT) {
            return;
        }
        if (e.op() == JournalOp.LSN) {
            offer(new FlowItem.LsnRecord(e));
            return;
        }
        if (stable) {
            journalEntries.incrementAndGet();
            receivedLsn = e.lsn();
        }
        offer(new FlowItem.Sink(new SinkEvent.Journal(flow,
                new io.df2redis.replica.JournalEvent(flow, stable ? e.lsn() : 0, !stable, e)), FlowItem.sizeOf(e)));
    }
}
