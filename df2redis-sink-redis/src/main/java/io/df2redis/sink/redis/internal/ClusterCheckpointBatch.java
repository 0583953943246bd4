package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.resp.SimpleString;
import io.df2redis.sink.redis.TargetCheckException;
import io.df2redis.sink.redis.TargetConnectionException;
import io.df2redis.sink.redis.internal.cluster.ClusterLane;
import io.df2redis.sink.redis.internal.cluster.SlotHash;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Exactly-once delivery into a Redis Cluster: a flow's journal entries are written in one
 * transaction per slot, {@code MULTI}, the commands of the entries for that slot,
 * {@code HSET <slot's checkpoint> lsn:<flow> <next LSN>}, {@code EXEC}, on the slot's master
 * ({@link ClusterLane#sendTransaction}: a redirect sends it again whole, so it also survives a slot
 * migration). The slot's hash ({@link SlotCheckpoints}) therefore says exactly which of the flow's
 * entries the slot holds; an entry the target already holds in a slot — after a restart, the
 * replicator resumes from a position that may be older — is not sent again there
 * ({@link SlotCheckpoints#skip}); a command split per slot ({@code DEL a b}) is decided per part.
 *
 * <p>Entries are grouped as in {@link CheckpointBatch} (at most {@link CheckpointBatch#MAX_EVENTS}
 * per commit, {@link CheckpointBatch#LINGER}); within a commit, each slot's commands keep their order.
 * A command without a key is not part of any slot and is sent outside the transactions (nothing is
 * known about it on resume: such a command is applied at least once).
 *
 * <p>Replies: as in {@link CheckpointBatch} — each command's own reply from the {@code EXEC} array,
 * the abort reason for all when the transaction was refused, a {@link TargetConnectionException}
 * when the connection was lost before the reply (whether it ran is unknown; the slot's hash in the
 * target says, and the replicator reads it again before it resumes).
 *
 * <p>Thread ownership: {@link #beginEvent}, {@link #add}, {@link #endEvent}, {@link #discardEvent}
 * and {@link #rewriteAfterFlush} run on the flow's applier thread; {@link #commit} also on the
 * sink's linger timer. {@code flow}, {@code lsn} and {@code event} are confined to the applier; the
 * open groups ({@code open}, {@code events}, {@code lingering}) are guarded by this object's lock.
 */
final class ClusterCheckpointBatch implements CheckpointWriter {
    private static final byte[] HSET = "HSET".getBytes(StandardCharsets.US_ASCII);
    /** The reply of a command that was not sent because its slot already holds its entry. */
    static final RespReply SKIPPED = new SimpleString("SKIPPED (df2redis: applied before, per the slot's checkpoint)");

    private final ClusterLane lane;
    private final SlotCheckpoints slots;
    private final byte[] headerKey;
    private final ScheduledExecutorService timer;
    // applier thread only
    private int flow;
    private long lsn;
    private final List<Queued> event = new ArrayList<>();
    // guarded by this
    private final Map<Integer, Group> open = new LinkedHashMap<>();
    private int events;
    private ScheduledFuture<?> lingering;

    private record Queued(int slot, List<byte[]> args, CompletableFuture<RespReply> result) {
    }

    /** The commands of one slot in the open commit, and the flow position they reach there. */
    private static final class Group {
        final List<Queued> commands = new ArrayList<>();
        final int flow;
        long next;

        Group(int flow) {
            this.flow = flow;
        }
    }

    /**
     * @param lane the flow's lane
     * @param target the checkpoint (its {@link CheckpointTarget#slots()} must be set)
     */
    ClusterCheckpointBatch(ClusterLane lane, CheckpointTarget target) {
        this.lane = lane;
        this.slots = target.slots();
        this.headerKey = target.key();
        this.timer = target.timer();
    }

    @Override
    public void beginEvent(int flow, long lsn) {
        this.flow = flow;
        this.lsn = lsn;
    }

    @Override
    public CompletableFuture<RespReply> add(int db, byte[] routingKey, List<byte[]> args) {
        if (routingKey == null) {
            return lane.send(db, null, args); // in no slot: outside every transaction
        }
        int slot = SlotHash.slot(routingKey);
        if (slots.skip(slot, flow, lsn)) {
            return CompletableFuture.completedFuture(SKIPPED);
        }
        Queued q = new Queued(slot, args, new CompletableFuture<>());
        event.add(q);
        return q.result;
    }

    @Override
    public void discardEvent(Throwable cause) {
        for (Queued q : event) {
            q.result.completeExceptionally(cause);
        }
        event.clear();
    }

    @Override
    public synchronized void endEvent(List<byte[]> checkpointFields, boolean commitNow) {
        if (event.isEmpty()) {
            return; // nothing written in any slot: no slot's position changes
        }
        for (Queued q : event) {
            Group g = open.computeIfAbsent(q.slot, s -> new Group(flow));
            g.commands.add(q);
            g.next = Math.max(g.next, lsn + 1);
        }
        event.clear();
        events++;
        if (commitNow || events >= CheckpointBatch.MAX_EVENTS) {
            commit();
        } else if (lingering == null) {
            lingering = timer.schedule(this::commit, CheckpointBatch.LINGER.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public synchronized void commit() {
        if (lingering != null) {
            lingering.cancel(false);
            lingering = null;
        }
        for (Map.Entry<Integer, Group> e : open.entrySet()) {
            int slot = e.getKey();
            Group g = e.getValue();
            List<List<byte[]>> tx = new ArrayList<>(g.commands.size() + 1);
            for (Queued q : g.commands) {
                tx.add(q.args);
            }
            tx.add(List.of(HSET, slots.key(slot), b(CheckpointFields.LSN + g.flow), b(Long.toString(g.next))));
            List<Queued> batch = g.commands;
            lane.sendTransaction(slot, tx).whenComplete((r, t) -> settle(slot, batch, r, t));
        }
        open.clear();
        events = 0;
    }

    /**
     * After a {@code FLUSHALL}/{@code FLUSHDB} of every master (control applier, all flows held at
     * the global command's barrier): the flush removed every checkpoint hash; writes them again —
     * the header with every flow's position after the command, then every slot's hash — and forgets
     * the skip positions (nothing before the flush is in the target any more). Blocks until the
     * target confirmed all of it.
     *
     * @param header the header of the last checkpoint saved with positions; empty: nothing is
     *     written (a restart then finds no checkpoint and runs a full sync)
     * @param nextLsns per flow, the position after the command
     * @param timeout how long to wait for the target
     * @throws TargetCheckException when the target refused a write
     */
    void rewriteAfterFlush(List<String> header, List<Long> nextLsns, Duration timeout) {
        slots.clearPositions();
        if (header.isEmpty() || nextLsns.contains(-1L)) {
            return;
        }
        List<byte[]> h = new ArrayList<>();
        h.add(HSET);
        h.add(headerKey);
        h.addAll(CheckpointFields.allPositions(header, nextLsns));
        List<CompletableFuture<RespReply>> sent = new ArrayList<>(SlotHash.SLOTS + 1);
        sent.add(lane.send(0, headerKey, h));
        List<byte[]> fields = CheckpointFields.allPositions(List.of(), nextLsns);
        for (int s = 0; s < SlotHash.SLOTS; s++) {
            List<byte[]> cmd = new ArrayList<>(2 + fields.size());
            cmd.add(HSET);
            cmd.add(slots.key(s));
            cmd.addAll(fields);
            sent.add(lane.send(0, slots.key(s), cmd));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (CompletableFuture<RespReply> f : sent) {
            RespReply r;
            try {
                r = f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TargetConnectionException(lane.endpoint(), "interrupted while writing the checkpoint "
                        + "after a flush", e);
            } catch (Exception e) {
                throw new TargetConnectionException(lane.endpoint(), "the checkpoint could not be written again "
                        + "after a flush (" + e + "); a restart runs a full sync", e);
            }
            if (r instanceof ErrorReply e) {
                throw new TargetCheckException(lane.endpoint(), "the target refused to write the checkpoint again "
                        + "after a flush (" + e.message() + "); a restart runs a full sync");
            }
        }
    }

    /** Completes every command's future from the {@code EXEC} reply (event loop or caller thread). */
    private void settle(int slot, List<Queued> batch, RespReply r, Throwable t) {
        if (t != null) {
            failAll(batch, new TargetConnectionException(lane.endpoint(), "the transaction of slot " + slot + " ("
                    + batch.size() + " commands) got no answer: whether it ran is unknown; the replicator resumes "
                    + "from the slot's checkpoint in the target (" + t.getMessage() + ")", t));
            return;
        }
        if (r instanceof ErrorReply abort) {
            for (Queued q : batch) {
                q.result.complete(abort);
            }
            return;
        }
        if (!(r instanceof ArrayReply a) || a.size() != batch.size() + 1) {
            failAll(batch, new TargetCheckException(lane.endpoint(), "EXEC answered " + r + " to a transaction of "
                    + (batch.size() + 1) + " commands: the target does not run transactions as Redis does"));
            return;
        }
        if (a.get(batch.size()) instanceof ErrorReply e) {
            failAll(batch, new TargetCheckException(lane.endpoint(), "the target refused to update the checkpoint "
                    + "hash '" + new String(slots.key(slot), StandardCharsets.UTF_8) + "' (" + e.message()
                    + "): the writes of the transaction ran, but a restart would apply them again; make sure no "
                    + "one else writes that key"));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result.complete(a.get(i));
        }
    }

    private static void failAll(List<Queued> batch, Throwable cause) {
        for (Queued q : batch) {
            q.result.completeExceptionally(cause);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
