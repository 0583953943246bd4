package io.df2redis.replica.internal;

import io.df2redis.protocol.client.RespClient;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.replica.DragonflyEndpoint;
import io.netty.channel.EventLoopGroup;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The main ("control") connection to the Dragonfly source: a {@link RespClient} used for the
 * handshake, {@code DFLY SYNC} / {@code STARTSTABLE} and {@code INFO}. Failures of the client are
 * turned into the replica's exceptions naming the source ({@link Connections#failure}).
 *
 * <p>Thread-safe: the one field is final and the client is thread-safe; replies complete on the
 * channel's event loop.
 */
final class ControlConnection {
    private static final String NAME = "control connection";

    private final RespClient client;
    private final DragonflyEndpoint endpoint;

    private ControlConnection(RespClient client, DragonflyEndpoint endpoint) {
        this.client = client;
        this.endpoint = endpoint;
    }

    static CompletableFuture<ControlConnection> open(EventLoopGroup group, DragonflyEndpoint ep, Duration timeout) {
        return Connections.connect(group, ep, timeout, NAME).thenApply(c -> new ControlConnection(c, ep));
    }

    /** Sends a command (arguments as String, number or byte[]); the future completes with its reply. */
    CompletableFuture<RespReply> command(Object... args) {
        CompletableFuture<RespReply> out = new CompletableFuture<>();
        client.send(args).whenComplete((r, e) -> {
            if (e != null) {
                out.completeExceptionally(Connections.failure(e, NAME, endpoint));
            } else {
                out.complete(r);
            }
        });
        return out;
    }

    /** Completes when the connection closes. */
    CompletableFuture<Void> closed() {
        return client.closeFuture().toCompletableFuture();
    }

    void close() {
        client.closeAsync();
    }
}
