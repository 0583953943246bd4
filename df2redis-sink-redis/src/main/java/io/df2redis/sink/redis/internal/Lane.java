package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.resp.RespReply;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One ordered command stream into the target: commands sent through one lane are executed by
 * Redis in send order for any one key. A standalone lane is one connection (with {@code SELECT}
 * tracking); a cluster lane is one connection per master, routed by key slot, with redirects
 * followed transparently. Sends block the calling thread while the pipelining window is full; they
 * must never be called from an event loop.
 */
public interface Lane extends AutoCloseable {
    /**
     * Sends one command; the future completes with its final reply (an error reply is a normal
     * completion) or exceptionally when the command cannot be delivered.
     *
     * @param db the target db (always 0 on a cluster)
     * @param routingKey the key that picks the cluster node, or null for any node
     */
    CompletableFuture<RespReply> send(int db, byte[] routingKey, List<byte[]> args);

    /** Sends a command to every master (one future per master). */
    List<CompletableFuture<RespReply>> broadcast(int db, List<byte[]> args);

    /**
     * Commands sent through this lane and not answered yet (for stats).
     *
     * @return the count
     */
    int inFlight();

    /** The target this lane writes to, for errors: {@code host:port}, or a cluster's seed list. */
    String endpoint();

    /** Whether this lane routes by slot (a Redis Cluster target). */
    boolean cluster();

    /** Closes the lane's connections. */
    @Override
    void close();
}
