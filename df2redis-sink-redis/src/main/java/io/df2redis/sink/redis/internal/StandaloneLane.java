package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.sink.redis.RedisCommandException;
import io.df2redis.sink.redis.TargetConnectionException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lane over one connection to a standalone Redis; switches db with {@code SELECT} when needed.
 * The first {@code SELECT} of each db waits for its reply before anything is sent after it: a db
 * the target does not have (its {@code databases} setting) fails that command, and nothing is ever
 * pipelined into the previously selected db by mistake. Later switches to a db known to work are
 * pipelined.
 *
 * <p>Thread ownership: every method is synchronized (one flow applier at a time in practice, and
 * the linger timer of a {@link CheckpointBatch}); {@code db} and {@code selectable} are guarded by
 * this lane's lock.
 */
public final class StandaloneLane implements Lane {
    private final TargetConnection conn;
    private final LongAdder commands;
    private final Duration replyTimeout;
    private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);

    private final BitSet selectable = new BitSet();
    private int db;

    /**
     * @param conn the connection (closed with the lane)
     * @param initialDb the db the connection has selected
     * @param commands counts every command sent
     * @param replyTimeout how long the first {@code SELECT} of a db may take
     */
    public StandaloneLane(TargetConnection conn, int initialDb, LongAdder commands, Duration replyTimeout) {
        this.conn = conn;
        this.db = initialDb;
        this.commands = commands;
        this.replyTimeout = replyTimeout;
        selectable.set(initialDb);
    }

    @Override
    public synchronized CompletableFuture<RespReply> send(int onDb, byte[] routingKey, List<byte[]> args) {
        if (onDb != db) {
            if (!selectable.get(onDb)) {
                CompletableFuture<RespReply> refused = validate(onDb);
                if (refused != null) {
                    return refused;
                }
            } else {
                sendRaw(List.of(SELECT, Integer.toString(onDb).getBytes(StandardCharsets.US_ASCII)));
            }
            db = onDb;
        }
        return sendRaw(args);
    }

    /**
     * Makes sure {@code onDb} exists on the target before anything is sent into it: the first time,
     * {@code SELECT} and wait for its reply (the connection is then on that db). Called by
     * {@link #send} and by a {@link CheckpointBatch} before it opens a transaction, since a
     * {@code SELECT} of a missing db inside {@code MULTI} would fail only at {@code EXEC}, after the
     * commands behind it ran in the previous db.
     *
     * @return null when the db is usable, else a failed future saying why (nothing was sent for the command)
     */
    synchronized CompletableFuture<RespReply> validate(int onDb) {
        if (selectable.get(onDb)) {
            return null;
        }
        CompletableFuture<RespReply> select = sendRaw(List.of(SELECT,
                Integer.toString(onDb).getBytes(StandardCharsets.US_ASCII)));
        RespReply r;
        try {
            r = select.get(replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new TargetConnectionException(conn.endpoint(),
                    conn.name() + ": interrupted waiting for SELECT " + onDb, e));
        } catch (ExecutionException | TimeoutException e) {
            return CompletableFuture.failedFuture(new TargetConnectionException(conn.endpoint(), conn.name()
                    + ": SELECT " + onDb + " not answered: "
                    + (e.getCause() != null ? e.getCause().getMessage() : "timeout"), e.getCause()));
        }
        if (r instanceof ErrorReply e) {
            // the connection stays on the db it had; nothing was sent for this command
            return CompletableFuture.failedFuture(new RedisCommandException(conn.endpoint(), "SELECT", null, onDb,
                    e.message()));
        }
        selectable.set(onDb);
        db = onDb;
        return null;
    }

    /** Whether {@code onDb} is known to exist on the target (its {@code SELECT} was answered OK). */
    synchronized boolean confirmed(int onDb) {
        return selectable.get(onDb);
    }

    /** Sends {@code args} as they are (no db switch), counted. */
    synchronized CompletableFuture<RespReply> sendRaw(List<byte[]> args) {
        commands.increment();
        return conn.send(args);
    }

    /** The db the connection has selected as far as this lane knows, or -1 when it cannot know. */
    synchronized int selectedDb() {
        return db;
    }

    /**
     * Records which db the connection will have selected once what was sent so far ran; -1 when
     * that depends on a reply not yet read (an {@code EXEC}: after {@code EXECABORT} none of its
     * {@code SELECT}s ran), so that the next command selects its db again.
     */
    synchronized void selectedDb(int d) {
        db = d;
    }

    @Override
    public List<CompletableFuture<RespReply>> broadcast(int onDb, List<byte[]> args) {
        return List.of(send(onDb, null, args));
    }

    @Override
    public String endpoint() {
        return conn.endpoint();
    }

    @Override
    public boolean cluster() {
        return false;
    }

    @Override
    public void close() {
        conn.close();
    }

    @Override
    public int inFlight() {
        return conn.inFlight();
    }
}
