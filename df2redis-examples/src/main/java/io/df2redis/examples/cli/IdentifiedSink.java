package io.df2redis.examples.cli;

import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.ReplicationSink;
import io.df2redis.replica.SinkEvent;
import io.df2redis.sink.redis.RedisSink;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The {@link RedisSink} of {@code replicate --checkpoint}, with a {@link #targetIdentity()}: the
 * {@link TargetIdentity} of the target, asked anew in every session, so that a checkpoint is only
 * resumed into the Redis it was saved for (not another one, not one restarted since, not with other
 * {@code --map-db}). Everything else is the Redis sink's. Every method of {@link ReplicationSink}
 * is forwarded.
 *
 * <p>Threads: called by the replicator as its sink contract says ({@code open},
 * {@code targetIdentity}, {@code resumeRefusal} on its supervisor thread, never on a Netty event
 * loop: the identity probe blocks); {@code lastIdentity} and {@code lastRefusal} are written there
 * and read by any thread.
 */
final class IdentifiedSink implements ReplicationSink {
    private final RedisSink sink;
    private final Supplier<String> identity;
    // written on the supervisor thread, read by any thread
    private volatile String lastIdentity;
    private volatile String lastRefusal;

    /**
     * @param sink the Redis sink (closed with this one)
     * @param identity gives the target's identity now; may block; throws a
     *     {@link io.df2redis.replica.ReplicationException} when the target cannot be asked
     */
    IdentifiedSink(RedisSink sink, Supplier<String> identity) {
        this.sink = sink;
        this.identity = identity;
    }

    /** The Redis sink's {@link RedisSink#open}. */
    @Override
    public void open(MasterInfo master) {
        lastRefusal = null;
        sink.open(master);
    }

    /** The Redis sink's {@link RedisSink#resumeRefusal()}, remembered for {@link #lastRefusal()}. */
    @Override
    public Optional<String> resumeRefusal() {
        Optional<String> r = sink.resumeRefusal();
        lastRefusal = r.orElse(null);
        return r;
    }

    /** @return why the Redis sink refused a resume in the current session, or null when it did not (or was not asked) */
    String lastRefusal() {
        return lastRefusal;
    }

    /**
     * The target's {@link TargetIdentity}, asked now (a connection to every target node).
     *
     * @return the identity
     */
    @Override
    public Optional<String> targetIdentity() {
        String id = identity.get();
        lastIdentity = id;
        return Optional.of(id);
    }

    /** @return the identity the last session was given, or null before the first */
    String lastIdentity() {
        return lastIdentity;
    }

    /** The Redis sink's {@link RedisSink#apply}. */
    @Override
    public CompletionStage<Void> apply(SinkEvent event) {
        return sink.apply(event);
    }

    /** Closes the Redis sink. */
    @Override
    public void close() {
        sink.close();
    }

    @Override
    public String toString() {
        return sink.toString();
    }
}
