package io.df2redis.replica.internal;

import io.df2redis.protocol.ProtocolException;
import io.df2redis.protocol.client.RespClient;
import io.df2redis.protocol.journal.JournalDecoder;
import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.journal.JournalOp;
import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbDecoderOptions;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.ValueBatch;
import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.RespEncoder;
import io.df2redis.protocol.resp.RespReplies;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.replica.ConnectionException;
import io.df2redis.replica.DragonflyEndpoint;
import io.df2redis.replica.FullSyncRestartException;
import io.df2redis.replica.JournalEvent;
import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.ReplicationProtocolException;
import io.df2redis.replica.SinkEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One flow connection. Starts as the protocol module's {@link RespClient} (AUTH, {@code DFLY FLOW});
 * the FLOW command is sent with {@link RespClient#sendThenHandOver}, so that right after its reply
 * this decoder takes the RESP decoder's place in the pipeline and receives every byte that
 * follows (the replication stream: RDB then journal; journal only for a raw-journal partial sync;
 * for an incremental partial sync, an RDB stream without key entries whose JOURNAL_BLOBs are the
 * missed journal items, delivered with their LSNs as stable-sync entries are). It
 * decodes them on the event loop and hands the items to the flow's {@link FlowPipeline}. The only
 * thing ever written after the FLOW command is {@code REPLCONF ACK <n>}. With a {@link FlowSpill}
 * ({@link io.df2redis.replica.SlowConsumerPolicy#SPILL}), a socket read may be diverted to disk
 * before it is decoded, and the spill feeds it back later through {@link #decodeSpilled}.
 *
 * <p>Thread ownership: {@code mode}, {@code rdb}, {@code journal}, {@code stable},
 * {@code incrementalLsn}, {@code cutSeen}, {@code batch},
 * {@code batchBytes} and {@code ctx} belong to the channel's event loop (decoder callbacks, the
 * handover function, {@link #writeAck}, {@link #decodeSpilled}); {@code client}, {@code channel},
 * {@code endpoint} and {@code spill} are written once by the session's supervisor ({@link #bind},
 * {@link #spill(FlowSpill)}) before any command is sent and read by any thread afterwards
 * (volatile); the counters are atomics / a volatile written on the event loop and read by any
 * thread for statistics.
 */
final class FlowConnection extends ByteToMessageDecoder implements RdbHandler, FlowSpill.Target {
    interface Events {
        /** The decoder read FULLSYNC_END (called on the event loop). */
        void fullSyncEndDecoded(int flow);

        /** The flow failed (called on the event loop). */
        void flowFailed(int flow, ReplicationException e);
    }

    /** FULL and INCREMENTAL decode the RDB framing, PARTIAL the raw journal. */
    private enum Mode { HANDSHAKE, FULL, INCREMENTAL, PARTIAL, CLOSED }

    private final int flow;
    private final FlowPipeline pipeline;
    private final Events events;
    private final RdbDecoderOptions decoderOptions;
    final AtomicLong bytesReceived = new AtomicLong();
    final AtomicLong entries = new AtomicLong();
    final AtomicLong journalEntries = new AtomicLong();
    /**
     * Items handed to the pipeline in one group at most. A group per socket read saves queue hand-offs,
     * but one read can decode to tens of thousands of items, and filling one array that large (old, or
     * humongous in G1) cost more than the hand-offs it saved (measured with JFR: 60 % of the event
     * loop's samples on the store).
     */
    static final int MAX_GROUP = 256;
    volatile long receivedLsn;
    /** The key held back by {@link #releaseHeld} and its first value batch (event loop only). */
    private RdbEntry heldEntry;
    private ValueBatch heldBatch;
    /** When the journal entries arrived (event loop records, any thread reads). */
    final ArrivalClock arrivals = new ArrivalClock();
    private volatile RespClient client;
    private volatile Channel channel;
    private volatile DragonflyEndpoint endpoint;
    private volatile FlowSpill spill;
    private ChannelHandlerContext ctx;
    private Mode mode = Mode.HANDSHAKE;
    private RdbDecoder rdb;
    private JournalDecoder journal;
    private boolean stable;
    /** INCREMENTAL: the LSN of the next JOURNAL_BLOB item (the replayed items are contiguous from the LSN asked for). */
    private long incrementalLsn;
    /** INCREMENTAL: FULLSYNC_END was read (after it the master no longer drops an evicted position). */
    private boolean cutSeen;
    /** Items decoded during the current read, handed to the pipeline together. */
    private List<FlowItem> batch = new ArrayList<>();
    private long batchBytes;

    FlowConnection(int flow, FlowPipeline pipeline, Events events, RdbDecoderOptions decoderOptions) {
        this.flow = flow;
        this.pipeline = pipeline;
        this.events = events;
        this.decoderOptions = decoderOptions;
    }

    int flowId() {
        return flow;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    /** Attaches the flow's spill (supervisor, before the connection is handed over). */
    void spill(FlowSpill s) {
        this.spill = s;
    }

    void bind(RespClient c, DragonflyEndpoint ep) {
        this.client = c;
        this.endpoint = ep;
        this.channel = c.channel();
        pipeline.bind(channel);
    }

    private String name() {
        return "flow " + flow + " connection";
    }

    /** Sends a handshake command (AUTH) on the RESP client. */
    CompletableFuture<RespReply> command(Object... args) {
        return mapped(client.send(args).toCompletableFuture());
    }

    /**
     * Sends {@code DFLY FLOW}: when its reply is {@code FULL} or {@code PARTIAL}, this decoder takes
     * over the channel before the bytes after the reply are decoded. For a partial sync,
     * {@code partialStartLsn} is the LSN asked for, and {@code incremental} tells the form of the
     * master's release ({@link SyncForm#INCREMENTAL}: an RDB-framed stream follows PARTIAL).
     */
    CompletableFuture<RespReply> flow(long partialStartLsn, boolean incremental, Object... args) {
        return mapped(client.sendThenHandOver(r -> switchMode(r, partialStartLsn, incremental) ? this : null, args)
                .toCompletableFuture());
    }

    private CompletableFuture<RespReply> mapped(CompletableFuture<RespReply> f) {
        CompletableFuture<RespReply> out = new CompletableFuture<>();
        f.whenComplete((r, e) -> {
            if (e != null) {
                out.completeExceptionally(Connections.failure(e, name(), endpoint));
            } else {
                out.complete(r);
            }
        });
        return out;
    }

    /** Writes {@code REPLCONF ACK <lsn>} (must run on the event loop). */
    void writeAck(long lsn) {
        Channel ch = channel;
        if (ch != null && ch.isActive()) {
            ByteBuf b = ch.alloc().buffer(48);
            RespEncoder.writeArrayHeader(b, 3);
            RespEncoder.writeBulkString(b, "REPLCONF");
            RespEncoder.writeBulkString(b, "ACK");
            RespEncoder.writeBulkString(b, lsn);
            ch.writeAndFlush(b);
        }
    }

    /**
     * The DFLY FLOW reply arrived (event loop): for FULL or PARTIAL, everything after it is the
     * replication stream and this decoder takes over; anything else leaves the connection a RESP
     * client (the session reports the reply).
     */
    private boolean switchMode(RespReply r, long partialStartLsn, boolean incremental) {
        if (r.isError() || !(r instanceof ArrayReply a) || a.size() != 2) {
            return false;
        }
        String kind = RespReplies.text(a.get(0));
        if ("FULL".equals(kind)) {
            rdb = RdbDecoder.forFlow(this, decoderOptions);
            mode = Mode.FULL;
            return true;
        }
        if ("PARTIAL".equals(kind) && incremental) {
            rdb = RdbDecoder.forFlow(this, decoderOptions);
            incrementalLsn = partialStartLsn;
            mode = Mode.INCREMENTAL;
            pipeline.offer(new FlowItem.PartialStart(partialStartLsn, true));
            return true;
        }
        if ("PARTIAL".equals(kind)) {
            journal = new JournalDecoder(this);
            journal.nextLsn(partialStartLsn);
            stable = true;
            mode = Mode.PARTIAL;
            pipeline.offer(new FlowItem.PartialStart(partialStartLsn, false));
            return true;
        }
        return false;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        this.ctx = ctx;
        if (msg instanceof ByteBuf in) {
            bytesReceived.addAndGet(in.readableBytes());
            FlowSpill s = spill;
            if (s != null && mode != Mode.HANDSHAKE && mode != Mode.CLOSED && s.divert(in)) {
                return; // spilled: decoded later, in order, through decodeSpilled
            }
        }
        super.channelRead(ctx, msg);
        flushItems();
    }

    /** Event loop: decodes bytes read back from the spill, as if they had just arrived. */
    @Override
    public void decodeSpilled(ByteBuf bytes) {
        ChannelHandlerContext c = ctx;
        if (c == null || c.isRemoved() || mode == Mode.CLOSED) {
            bytes.release();
            return;
        }
        try {
            super.channelRead(c, bytes);
        } catch (Exception e) {
            if (mode != Mode.CLOSED) {
                fail(new ReplicationProtocolException("flow " + flow + ": " + e, e));
            }
        }
        flushItems();
        discardSomeReadBytes();
    }

    /** Event loop: the spill failed; the flow ends with {@code e}. */
    @Override
    public void spillFailed(ReplicationException e) {
        if (mode != Mode.CLOSED) {
            fail(e);
        }
    }

    /**
     * Unlike {@link ByteToMessageDecoder}'s, never asks for another read: this decoder emits no
     * messages, so the base class would read on even while the pipeline paused reading (auto-read
     * off) for back-pressure.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        discardSomeReadBytes();
        ctx.fireChannelReadComplete();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (mode == Mode.HANDSHAKE || mode == Mode.CLOSED) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            if (mode == Mode.FULL || mode == Mode.INCREMENTAL) {
                rdb.decode(in);
            } else {
                journal.decode(in);
            }
        } catch (ProtocolException e) {
            fail(new ReplicationProtocolException("flow " + flow + ": " + e.getMessage(), e));
        } catch (ReplicationException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new ReplicationProtocolException("flow " + flow + ": " + e, e));
        }
        if (mode == Mode.CLOSED) {
            in.skipBytes(in.readableBytes());
        }
    }

    /** Hands an item on, after a key held back (it comes first). */
    private void offer(FlowItem item) {
        releaseHeld();
        add(item);
    }

    /**
     * A key's start and first value batch are held back until the next callback: at its end they go
     * as one whole {@link SinkEvent.Entry}, before anything else as the events they are.
     */
    private void releaseHeld() {
        if (heldEntry != null) {
            RdbEntry en = heldEntry;
            heldEntry = null;
            add(new FlowItem.Sink(new SinkEvent.EntryStart(flow, en),
                    FlowItem.EVENT_BYTES + FlowItem.ENTRY_BYTES + FlowItem.array(en.key().length)));
            if (heldBatch != null) {
                add(new FlowItem.Sink(new SinkEvent.EntryBatch(flow, en, heldBatch),
                        FlowItem.EVENT_BYTES + FlowItem.sizeOf(heldBatch)));
                heldBatch = null;
            }
        }
    }

    private void add(FlowItem item) {
        batch.add(item);
        batchBytes += item.bytes();
        if (batch.size() >= MAX_GROUP) {
            flushItems(); // a socket read of LZ4 blobs decodes to thousands of items: hand them over in small groups
        }
    }

    private void flushItems() {
        if (batch.isEmpty()) {
            return;
        }
        int size = batch.size();
        FlowItem g = size == 1 ? batch.get(0) : new FlowItem.Group(batch, batchBytes);
        batch = new ArrayList<>(Math.max(10, size)); // sized like the last group: no regrowth in a full sync
        batchBytes = 0;
        if (receivedLsn > 0) {
            arrivals.arrived(receivedLsn, System.nanoTime());
        }
        pipeline.offer(g);
    }

    private void fail(ReplicationException e) {
        mode = Mode.CLOSED;
        events.flowFailed(flow, e);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (mode != Mode.CLOSED) {
            fail(new ConnectionException("flow " + flow + " failed: " + cause.getMessage(), cause));
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        super.channelInactive(ctx);
        flushItems();
        if (mode == Mode.INCREMENTAL && !stable && !cutSeen) {
            // what Dragonfly does when an item was evicted before DFLY SYNC replayed it (SliceSnapshot::
            // SwitchIncrementalFb: "Partial sync was unsuccessful because entry #… was dropped from the
            // buffer"): it cancels the session and closes the flows; the position cannot be served
            fail(new FullSyncRestartException("flow " + flow + ": the Dragonfly source closed the incremental partial "
                    + "sync stream before FULLSYNC_END, at LSN " + incrementalLsn + " (the partial sync was unsuccessful: "
                    + "an entry was dropped from its backlog, --shard_repl_backlog_len, or the connection broke): a new "
                    + "session starts with a full sync"));
        } else if (mode != Mode.CLOSED) {
            fail(new ConnectionException("flow " + flow + " connection closed by the master"));
        }
    }

    /** Stops decoding (the session is ending). */
    void close() {
        Channel ch = channel;
        if (ch != null) {
            if (!ch.eventLoop().isShuttingDown()) {
                ch.eventLoop().execute(() -> mode = Mode.CLOSED);
            }
            ch.close();
        }
    }

    // ---- decoder callbacks (event loop) ----

    @Override
    public void onAux(byte[] key, byte[] value) {
        if (mode != Mode.INCREMENTAL) { // an incremental stream's header describes no snapshot: not reported
            offer(new FlowItem.Aux(key, value));
        }
    }

    @Override
    public void onEntryStart(RdbEntry entry) {
        if (mode == Mode.INCREMENTAL) {
            throw new ReplicationProtocolException("flow " + flow + ": a key entry in an incremental partial sync "
                    + "stream, which carries journal items only");
        }
        entries.incrementAndGet();
        releaseHeld();
        heldEntry = entry; // with its first batch, one event at its end if that comes next
    }

    @Override
    public void onValueBatch(RdbEntry entry, ValueBatch batch) {
        if (entry == heldEntry && heldBatch == null) {
            heldBatch = batch;
            return;
        }
        offer(new FlowItem.Sink(new SinkEvent.EntryBatch(flow, entry, batch),
                FlowItem.EVENT_BYTES + FlowItem.sizeOf(batch)));
    }

    @Override
    public void onEntryEnd(RdbEntry entry, EntrySummary summary) {
        if (entry == heldEntry) {
            ValueBatch b = heldBatch;
            heldEntry = null;
            heldBatch = null;
            add(new FlowItem.Sink(new SinkEvent.Entry(flow, entry, b, summary), FlowItem.EVENT_BYTES
                    + FlowItem.ENTRY_BYTES + FlowItem.array(entry.key().length) + FlowItem.SUMMARY_BYTES
                    + (b == null ? 0 : FlowItem.sizeOf(b))));
            return;
        }
        offer(new FlowItem.Sink(new SinkEvent.EntryEnd(flow, entry, summary),
                FlowItem.EVENT_BYTES + FlowItem.SUMMARY_BYTES));
    }

    @Override
    public void onFullSyncEnd() {
        if (mode == Mode.INCREMENTAL) {
            cutSeen = true; // no snapshot ended: nothing for the sink or listeners
        } else {
            offer(new FlowItem.Sink(new SinkEvent.FullSyncEnd(flow), 16));
        }
        events.fullSyncEndDecoded(flow);
    }

    @Override
    public void onEofToken(byte[] token) {
        if (mode == Mode.INCREMENTAL && rdb.journalOffset() != incrementalLsn) {
            throw new ReplicationProtocolException("flow " + flow + ": the incremental partial sync stream ends at "
                    + "JOURNAL_OFFSET " + rdb.journalOffset() + " after its journal items reached LSN " + incrementalLsn);
        }
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
        long lsn = stable ? e.lsn() : 0;
        if (!stable && mode == Mode.INCREMENTAL && e.op().consumesLsn()) {
            lsn = incrementalLsn++; // one JOURNAL_BLOB item per LSN, contiguous from the LSN asked for
        }
        boolean positioned = stable || mode == Mode.INCREMENTAL;
        if (positioned) {
            journalEntries.incrementAndGet();
            receivedLsn = lsn;
        }
        offer(new FlowItem.Sink(new SinkEvent.Journal(flow,
                new JournalEvent(flow, lsn, !positioned, e)),
                FlowItem.EVENT_BYTES + FlowItem.JOURNAL_EVENT_BYTES + FlowItem.sizeOf(e)));
    }
}
