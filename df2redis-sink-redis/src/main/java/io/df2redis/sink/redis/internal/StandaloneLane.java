package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.sink.redis.RedisCommandException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/** A lane over one connection to a standalone Redis; switches db with {@code SELECT} when needed. */
public final class StandaloneLane implements Lane {
    private final RespConnection conn;
    private final LongAdder commands;
    private int db;

    /** @param initialDb the db the connection has selected */
    public StandaloneLane(RespConnection conn, int initialDb, LongAdder commands) {
        this.conn = conn;
        this.db = initialDb;
        this.commands = commands;
    }

    @Override
    public synchronized CompletableFuture<RespReply> send(int onDb, byte[] routingKey, List<byte[]> args) {
        CompletableFuture<RespReply> select = null;
        if (onDb != db) {
            commands.increment();
            select = conn.send(List.of("SELECT".getBytes(StandardCharsets.US_ASCII),
                    Integer.toString(onDb).getBytes(StandardCharsets.US_ASCII)));
            db = onDb;
        }
        commands.increment();
        CompletableFuture<RespReply> f = conn.send(args);
        if (select == null) {
            return f;
        }
        return select.thenCompose(r -> r instanceof ErrorReply e
                ? CompletableFuture.failedFuture(new RedisCommandException("SELECT", null, onDb, e.message()))
                : f);
    }

    @Override
    public List<CompletableFuture<RespReply>> broadcast(int onDb, List<byte[]> args) {
        return List.of(send(onDb, null, args));
    }

    @Override
    public boolean cluster() {
        return false;
    }

    @Override
    public void close() {
        conn.close();
    }
}
