package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.rdb.ValueBatch;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.replica.JournalEvent;
import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.SinkEvent;
import io.df2redis.sink.redis.RedisCommandException;
import io.df2redis.sink.redis.ServerIdentity;
import io.df2redis.sink.redis.TargetCheckException;
import io.df2redis.sink.redis.TargetConnectionException;
import io.df2redis.sink.redis.UnsupportedData;
import io.df2redis.sink.redis.internal.cluster.CommandKeys;
import io.df2redis.sink.redis.internal.cluster.SlotHash;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;


import static io.df2redis.sink.redis.internal.CommandSender.b;
/**
 * One ordered command stream into Redis: the writer of one replication flow, or the control
 * stream (full-sync start, global commands). Dispatches each sink event to its translator —
 * {@link SnapshotTranslator} (snapshot entries), {@link JournalTranslator} (journal and global
 * commands, with {@link ClusterSplit} for cluster routing) — which send through one
 * {@link CommandSender}; completes the event's stage when Redis answered every command it
 * produced ({@link Ack}).
 *
 * <p>Every command goes through a {@link Lane}: one connection to a standalone Redis, or
 * slot-routed connections to the masters of a cluster.
 *
 * <p>Thread ownership: not thread-safe by design; one applier per flow. {@link #apply},
 * {@link #keyspace} and {@link #flush} are synchronized only to guard against a host that calls
 * them from several threads; the translators' state is confined to the thread holding that lock.
 */
public final class FlowWriter {

    /** What the writer reports to its sink. */
    public interface Host {
        /** Records an unsupported key; returns the exception to fail with (FAIL policy) or null. */
        RuntimeException unsupported(UnsupportedData d);

        void dfMaskIgnored();

        void commandFailed(Throwable t);

        /**
         * Whether the current full sync writes into dbs known to be empty (the target was empty or
         * flushed at its start): snapshot keys then need no {@code DEL} first (a key's snapshot entry
         * precedes every journal write to it, spec §3, and a key is in one flow only).
         */
        boolean snapshotIntoEmpty();

        /** A command is about to be sent into target db {@code targetDb} (0 on a cluster). */
        void wrote(int targetDb);

        /** What a snapshot key the target already holds gets under an upsert full sync. */
        io.df2redis.sink.redis.KeyConflictPolicy keyConflictPolicy();

        /**
         * The target already held a snapshot key (called on an event loop, must not block): counts it
         * under {@code KEEP_TARGET} and returns null, or returns the exception to fail with ({@code FAIL}).
         *
         * @param endpoint the target node, for the message
         * @param d the key, its source db and type, reason {@link UnsupportedData#REASON_KEY_CONFLICT}
         */
        RuntimeException keyConflict(String endpoint, UnsupportedData d);
    }

    private final Lane lane;
    private final Host host;
    private final CommandSender out;
    private final SnapshotTranslator snapshot;
    private final JournalTranslator journal;
    private final CheckpointTarget checkpoint;
    private final CheckpointWriter batch;
    private final EventFilter filter;
    private final java.util.function.Consumer<Throwable> onError;
    /** An Ack the last event did not use (applier thread, under this writer's lock). */
    private Ack spare;


    /**
     * A writer of one command stream through {@code lane}.
     *
     * @param lane the connection(s), closed by the sink through {@link #lane()}
     * @param target what the target can do
     * @param host receives what the writer reports
     * @param dbs source db to target db
     */
    public FlowWriter(Lane lane, TargetInfo target, Host host, DbMapping dbs) {
        this(lane, target, host, dbs, null, io.df2redis.sink.redis.KeyFilter.all(), null);
    }

    /**
     * A writer that applies stable-sync journal entries exactly once: in transactions that also
     * update the target's checkpoint ({@link CheckpointBatch}).
     *
     * @param lane the connection(s), closed by the sink through {@link #lane()}
     * @param target what the target can do
     * @param host receives what the writer reports
     * @param dbs source db to target db
     * @param checkpoint the checkpoint's transactions, or null for none
     * @param filter which keys are written, under which names
     * @param timer the sink's timer: with it, snapshot strings on a standalone target are batched
     *     into {@code MSET}s ({@link StringBatch}); null writes each with {@code SET}
     */
    public FlowWriter(Lane lane, TargetInfo target, Host host, DbMapping dbs, CheckpointTarget checkpoint,
                      io.df2redis.sink.redis.KeyFilter filter, java.util.concurrent.ScheduledExecutorService timer) {
        this.lane = lane;
        this.filter = new EventFilter(filter);
        this.host = host;
        this.onError = host::commandFailed;
        this.checkpoint = checkpoint;
        this.batch = checkpoint == null ? null : checkpoint.slots() == null
                ? new CheckpointBatch((StandaloneLane) lane, checkpoint)
                : new ClusterCheckpointBatch((io.df2redis.sink.redis.internal.cluster.ClusterLane) lane, checkpoint);
        this.out = new CommandSender(lane, host, dbs, batch,
                timer != null && !lane.cluster() ? new StringBatch(lane, timer, host::commandFailed) : null);
        this.snapshot = new SnapshotTranslator(out, target);
        this.journal = new JournalTranslator(out, target, snapshot);
    }

    /** The lane this writer sends through. */
    public Lane lane() {
        return lane;
    }

    // ----------------------------------------------------------------- events

    /** Applies one event; the future completes when Redis answered every command it produced. */
    public synchronized CompletableFuture<Void> apply(SinkEvent event) {
        Ack ack = spare != null ? spare : new Ack(onError, lane.endpoint());
        spare = null;
        CompletableFuture<Void> done = applyWith(ack, event);
        if (ack.reusable()) {
            ack.reset();
            spare = ack; // nothing of it escaped: the next event may use it
        }
        return done;
    }

    private CompletableFuture<Void> applyWith(Ack ack, SinkEvent event) {
        try {
            event = filter.apply(event, host);
        } catch (RuntimeException e) {
            ack.fail(e); // the unsupported-data policy FAIL: a command the filter cannot split
            return ack.seal();
        }
        if (event == null) { // filtered out: nothing to write (an open transaction keeps its events)
            return ack.seal();
        }
        List<byte[]> position = batch == null ? null : position(event);
        if (batch != null && position == null) {
            batch.commit(); // nothing is sent outside a transaction while one is open
        }
        if (position != null && event instanceof SinkEvent.Journal j) {
            batch.beginEvent(j.flow(), j.event().lsn());
        }
        out.ack(ack);
        out.transactional(position != null);
        try {
            if (event instanceof SinkEvent.EntryStart s) {
                snapshot.entryStart(s.entry());
            } else if (event instanceof SinkEvent.EntryBatch bt) {
                snapshot.entryBatch(bt.entry(), bt.batch());
            } else if (event instanceof SinkEvent.EntryEnd e) {
                snapshot.entryEnd(e.entry());
            } else if (event instanceof SinkEvent.Entry w) {
                snapshot.entryStart(w.entry());
                if (w.batch() != null) {
                    snapshot.entryBatch(w.entry(), w.batch());
                }
                snapshot.entryEnd(w.entry());
            } else if (event instanceof SinkEvent.Journal j) {
                journal.journal(j.event());
            } else if (event instanceof SinkEvent.GlobalCommand g) {
                journal.global(g.event());
            }
        } catch (RuntimeException e) {
            ack.fail(e);
        }
        out.ack(null);
        if (position != null) {
            out.transactional(false);
            if (ack.failed()) {
                batch.discardEvent(new IllegalStateException("the event failed before it was sent"));
            } else {
                batch.endEvent(position, event instanceof SinkEvent.GlobalCommand);
            }
        }
        if (batch instanceof ClusterCheckpointBatch cb && event instanceof SinkEvent.GlobalCommand g
                && !g.nextLsns().isEmpty()) {
            return afterClusterFlush(cb, ack.seal(), g);
        }
        return ack.seal();
    }

    /**
     * A global command (a flush) on a cluster with checkpoints: once every master confirmed it, the
     * checkpoint hashes it removed are written again (control applier thread, which blocks; the flows
     * wait at the command's barrier meanwhile).
     */
    private CompletableFuture<Void> afterClusterFlush(ClusterCheckpointBatch cb, CompletableFuture<Void> sent,
                                                      SinkEvent.GlobalCommand g) {
        Duration timeout = Duration.ofSeconds(60);
        try {
            sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            cb.rewriteAfterFlush(checkpoint.header().get(), g.nextLsns(), timeout);
            return CompletableFuture.completedFuture(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        } catch (ExecutionException e) {
            return CompletableFuture.failedFuture(e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * What applying {@code event} writes into the checkpoint, or null when it is not applied in a
     * checkpoint transaction (snapshot and full-sync events: a restart during a full sync does a full
     * sync again).
     */
    private List<byte[]> position(SinkEvent event) {
        if (event instanceof SinkEvent.Journal j && !j.event().fullSync() && j.event().lsn() > 0) {
            return CheckpointFields.flowPosition(j.flow(), j.event().lsn() + 1);
        }
        if (event instanceof SinkEvent.GlobalCommand g && !g.nextLsns().isEmpty() && checkpoint.slots() == null) {
            // (on a cluster a flush cannot share a transaction with the slots' hashes: afterClusterFlush)
            return CheckpointFields.allPositions(checkpoint.header().get(), g.nextLsns());
        }
        return null;
    }

    /** Commits the open checkpoint transaction, if any (the sink's drain and close). */
    public void commitCheckpoint() {
        out.flushStrings();
        if (batch != null) {
            batch.commit();
        }
    }

    /**
     * Key counts of the target's non-empty dbs, summed over every master of a cluster:
     * {@code INFO keyspace} on each, answered before this returns (blocks the calling thread, which
     * must not be an event loop).
     *
     * @throws io.df2redis.sink.redis.RedisSinkException when a master cannot tell (error reply, no Keyspace
     *     section) or does not answer within {@code timeout}
     */
    public synchronized Map<Integer, Long> keyspace(Duration timeout) {
        out.flushStrings();
        Map<Integer, Long> counts = new TreeMap<>();
        for (CompletableFuture<RespReply> f : lane.broadcast(0, List.of(b("INFO"), b("keyspace")))) {
            RespReply r;
            try {
                r = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TargetConnectionException(lane.endpoint(), "interrupted reading the target's INFO keyspace",
                        e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ReplicationException re) {
                    throw re;
                }
                throw new TargetConnectionException(lane.endpoint(), "INFO keyspace failed: " + e.getCause(),
                        e.getCause());
            } catch (TimeoutException e) {
                throw new TargetConnectionException(lane.endpoint(), "no reply to INFO keyspace from "
                        + lane.endpoint() + " within " + timeout.toSeconds() + " s", e);
            }
            if (r instanceof ErrorReply e) {
                throw new RedisCommandException(lane.endpoint(), "INFO", null, 0, e.message());
            }
            String text = r instanceof BulkString bs ? bs.asString() : String.valueOf(r);
            Map<Integer, long[]> ks = ServerIdentity.keyspace(text).orElseThrow(() ->
                    new TargetCheckException(lane.endpoint(), "the target's INFO keyspace has no Keyspace section: cannot tell "
                            + "whether it holds keys, so the full-sync target policy cannot be applied"));
            ks.forEach((db, n) -> counts.merge(db, n[0], Long::sum));
        }
        return counts;
    }

    /**
     * {@code FLUSHDB} of each of these target dbs (on every master of a cluster); the future
     * completes when every one was answered.
     */
    public synchronized CompletableFuture<Void> flush(Collection<Integer> targetDbs) {
        out.flushStrings();
        Ack a = new Ack(host::commandFailed, lane.endpoint());
        for (int d : targetDbs) {
            for (CompletableFuture<RespReply> f : lane.broadcast(lane.cluster() ? 0 : d, List.of(b("FLUSHDB")))) {
                a.register(f, b("FLUSHDB"), null, d);
            }
        }
        return a.seal();
    }

    /** A score as Redis reads it back exactly: shortest round-trip text, {@code inf}/{@code -inf}. */
    public static String score(double d) {
        return SnapshotTranslator.score(d);
    }
}
