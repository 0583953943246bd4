package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.sink.redis.TargetCheckException;
import io.df2redis.sink.redis.TargetConnectionException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Exactly-once delivery into a standalone target: the journal events of one flow are written in
 * transactions, each {@code MULTI}, the events' commands, {@code SELECT <checkpoint db>},
 * {@code HSET <checkpoint> lsn:<flow> <next LSN>}, {@code EXEC}. Redis runs a transaction whole
 * or not at all (a crash of Redis itself aside, where its AOF has the same all-or-nothing rule),
 * so the checkpoint in the target says exactly which events the target holds, whatever happens
 * to this process: a restarted replicator resumes from it and applies nothing twice.
 *
 * <p>Events are grouped: a transaction is committed when it holds {@link #MAX_EVENTS} events, or
 * {@link #LINGER} after its first event (on the sink's linger timer), or before anything else is
 * sent on the lane. An event is never split between transactions. The commands of an event are
 * buffered until the event is complete ({@link #endEvent}), because a db the target has not
 * confirmed yet must be validated with a {@code SELECT} outside any transaction: inside one, a
 * {@code SELECT} of a missing db fails only at {@code EXEC}, after the commands behind it ran in
 * the wrong db.
 *
 * <p>Replies: each command's future completes with its own reply from the {@code EXEC} array (an
 * error reply of one command does not undo the others: Redis has no rollback; the event fails and
 * the replicator's failure policy applies). {@code EXECABORT} (a command rejected while queued)
 * discards the whole transaction: the rejected command's future gets its error, the others the
 * abort. A connection lost before the {@code EXEC} reply fails every future with a
 * {@link TargetConnectionException}: whether the transaction ran is unknown here, which is why the
 * replicator reads the checkpoint from the target again before it reconnects.
 *
 * <p>Thread ownership: {@link #add} and {@link #endEvent} run on the flow's applier thread (the
 * {@link FlowWriter}'s lock); {@link #commit} on the applier or on the sink's linger timer thread.
 * {@code event} is confined to the applier; the open transaction ({@code open}, {@code fields},
 * {@code multi}, {@code events}, {@code lingering}, {@code txDb}) is guarded by this object's lock, and so is
 * every send on the lane while a transaction is open.
 */
final class CheckpointBatch implements CheckpointWriter {
    private static final byte[] MULTI = b("MULTI");
    private static final byte[] EXEC = b("EXEC");
    private static final byte[] SELECT = b("SELECT");
    private static final byte[] HSET = b("HSET");

    private final StandaloneLane lane;
    private final byte[] key;
    private final int checkpointDb;
    private final ScheduledExecutorService timer;
    // applier thread only: the commands of the event being translated
    private final List<Queued> event = new ArrayList<>();
    // guarded by this: the open transaction
    private final List<Queued> open = new ArrayList<>();
    private List<byte[]> fields;
    private boolean multi;
    private int events;
    private int txDb;
    private ScheduledFuture<?> lingering;

    /** One command: its db, arguments, the future of its {@code QUEUED} reply and of its result. */
    private static final class Queued {
        final int db;
        final List<byte[]> args;
        final CompletableFuture<RespReply> result;
        CompletableFuture<RespReply> queued;

        Queued(int db, List<byte[]> args, CompletableFuture<RespReply> result) {
            this.db = db;
            this.args = args;
            this.result = result;
        }
    }

    /** Events per transaction at most. */
    static final int MAX_EVENTS = 256;
    /** How long an open transaction waits for more events. */
    static final Duration LINGER = Duration.ofMillis(1);

    /**
     * @param lane the flow's lane (transactions are sent on it)
     * @param target the checkpoint hash, its db and the sink's linger timer
     */
    CheckpointBatch(StandaloneLane lane, CheckpointTarget target) {
        this.lane = lane;
        this.key = target.key();
        this.checkpointDb = target.db();
        this.timer = target.timer();
    }

    @Override
    public void beginEvent(int flow, long lsn) {
        // the position is in the checkpoint fields endEvent gets
    }

    /** Applier: buffers a command of the current event; the future completes when its transaction ran. */
    @Override
    public CompletableFuture<RespReply> add(int db, byte[] routingKey, List<byte[]> args) {
        Queued q = new Queued(db, args, new CompletableFuture<>());
        event.add(q);
        return q.result;
    }

    /** Applier: the current event failed while translated; none of its commands is sent. */
    @Override
    public void discardEvent(Throwable cause) {
        for (Queued q : event) {
            q.result.completeExceptionally(cause);
        }
        event.clear();
    }

    /**
     * Applier: the current event is complete; sends its commands into the open transaction (opening
     * one if needed) and records {@code checkpointFields} ({@code field value …}) as what the
     * transaction writes into the checkpoint. With {@code commitNow} (a global command) the
     * transaction is committed at once.
     */
    @Override
    public synchronized void endEvent(List<byte[]> checkpointFields, boolean commitNow) {
        if (event.isEmpty()) {
            // an event without commands: nothing to make atomic, but an open transaction may carry its position
            if (multi) {
                fields = merge(fields, checkpointFields);
                events++;
                if (commitNow) {
                    commit();
                }
            }
            return;
        }
        if (event.stream().anyMatch(q -> !lane.confirmed(q.db))) {
            commit(); // the SELECT that validates a new db must not be queued in a transaction
            for (Queued q : event) {
                CompletableFuture<RespReply> refused = lane.validate(q.db);
                if (refused != null) {
                    discardEvent(refused.handle((v, x) -> x).join());
                    return;
                }
            }
        }
        if (!multi) {
            begin();
        }
        for (Queued q : event) {
            if (q.db != txDb) {
                lane.sendRaw(List.of(SELECT, b(Integer.toString(q.db))));
                open.add(null);
                txDb = q.db;
            }
            q.queued = lane.sendRaw(q.args);
            open.add(q);
        }
        event.clear();
        fields = merge(fields, checkpointFields);
        events++;
        if (commitNow || events >= MAX_EVENTS) {
            commit();
        } else if (lingering == null) {
            lingering = timer.schedule(this::commit, LINGER.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void begin() {
        lane.sendRaw(List.of(MULTI));
        multi = true;
        txDb = lane.selectedDb();
    }

    /**
     * Commits the open transaction, if any (applier, linger timer, or the writer before it sends
     * anything outside a transaction). Does not wait for the reply.
     */
    @Override
    public synchronized void commit() {
        if (lingering != null) {
            lingering.cancel(false);
            lingering = null;
        }
        if (!multi) {
            return;
        }
        if (txDb != checkpointDb) {
            lane.sendRaw(List.of(SELECT, b(Integer.toString(checkpointDb))));
            open.add(null);
        }
        List<byte[]> hset = new ArrayList<>(2 + fields.size());
        hset.add(HSET);
        hset.add(key);
        hset.addAll(fields);
        CompletableFuture<RespReply> hsetQueued = lane.sendRaw(hset);
        CompletableFuture<RespReply> exec = lane.sendRaw(List.of(EXEC));
        // after EXECABORT none of the SELECTs ran: the next command selects its db again
        lane.selectedDb(-1);
        List<Queued> batch = new ArrayList<>(open);
        open.clear();
        events = 0;
        fields = null;
        multi = false;
        exec.whenComplete((r, t) -> settle(batch, hsetQueued, r, t));
    }

    /** Completes every command's future from the {@code EXEC} reply (event loop or caller thread). */
    private void settle(List<Queued> batch, CompletableFuture<RespReply> hsetQueued, RespReply r, Throwable t) {
        if (t != null) {
            failAll(batch, new TargetConnectionException(lane.endpoint(), "the connection to the target was lost "
                    + "before it answered a transaction of " + batch.size() + " commands: whether it ran is unknown; "
                    + "the replicator resumes from the checkpoint in the target (" + t.getMessage() + ")", t));
            return;
        }
        if (r instanceof ErrorReply abort) {
            // EXECABORT: nothing ran. The command rejected while queued gets its own error.
            RespReply hq = hsetQueued.getNow(null);
            if (hq instanceof ErrorReply he) {
                failAll(batch, checkpointFailure(he.message()));
                return;
            }
            for (Queued q : batch) {
                if (q != null) {
                    RespReply own = q.queued.getNow(null);
                    q.result.complete(own instanceof ErrorReply ? own : abort);
                }
            }
            return;
        }
        if (!(r instanceof ArrayReply a) || a.size() != batch.size() + 1) {
            failAll(batch, new TargetCheckException(lane.endpoint(), "EXEC answered " + r + " to a transaction of "
                    + (batch.size() + 1) + " commands: the target does not run transactions as Redis does"));
            return;
        }
        RespReply checkpoint = a.get(batch.size());
        if (checkpoint instanceof ErrorReply e) {
            failAll(batch, checkpointFailure(e.message()));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Queued q = batch.get(i);
            if (q != null) {
                q.result.complete(a.get(i));
            }
        }
    }

    private TargetCheckException checkpointFailure(String error) {
        return new TargetCheckException(lane.endpoint(), "the target refused to update the checkpoint hash '"
                + new String(key, StandardCharsets.UTF_8) + "' (" + error + "): the writes of the transaction ran, "
                + "but a restart would apply them again; make sure no one else writes that key");
    }

    private static void failAll(List<Queued> batch, Throwable cause) {
        for (Queued q : batch) {
            if (q != null) {
                q.result.completeExceptionally(cause);
            }
        }
    }

    /** Later values of a field replace earlier ones (a flow's LSN only grows). */
    private static List<byte[]> merge(List<byte[]> into, List<byte[]> more) {
        if (into == null) {
            return new ArrayList<>(more);
        }
        for (int i = 0; i < more.size(); i += 2) {
            boolean found = false;
            for (int j = 0; j < into.size(); j += 2) {
                if (java.util.Arrays.equals(into.get(j), more.get(i))) {
                    into.set(j + 1, more.get(i + 1));
                    found = true;
                    break;
                }
            }
            if (!found) {
                into.add(more.get(i));
                into.add(more.get(i + 1));
            }
        }
        return into;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
