package io.df2redis.scenarios;

import io.df2redis.replica.DragonflyEndpoint;
import io.df2redis.replica.FlowStats;
import io.df2redis.replica.ReplicationState;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.verify.Report;
import io.df2redis.sink.redis.verify.Verifier;
import io.df2redis.sink.redis.verify.VerifyEndpoint;
import io.df2redis.sink.redis.verify.VerifyOptions;
import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One replication of a scenario: a master (embedded, or real when configured), a
 * {@link Replicator} with a {@link RedisSink} into a real Redis, and the two checks every
 * scenario ends with — the replicator's applied LSN of every flow equal to the master's
 * {@code DFLY REPLICAOFFSET}, and the {@link Verifier} reporting no difference between the
 * master and the target.
 */
final class Scenario implements AutoCloseable {
    /** Upper bound for any wait of a scenario; a scenario that needs longer is sized wrongly. */
    static final Duration WAIT = Duration.ofSeconds(120);

    final DragonflyUnderTest master;
    final Target target;
    final RedisSink sink;
    final Replicator replicator;
    private final SslContext sourceTls;

    private Scenario(DragonflyUnderTest master, Target target, RedisSink sink, Replicator replicator,
            SslContext sourceTls) {
        this.master = master;
        this.target = target;
        this.sink = sink;
        this.replicator = replicator;
        this.sourceTls = sourceTls;
    }

    /** A replicator of {@code master} into {@code target} with the sink as {@code sinkSetup} leaves it; not started. */
    static Scenario of(DragonflyUnderTest master, Target target, UnaryOperator<RedisSink.Builder> sinkSetup) {
        return of(master, target, sinkSetup, null);
    }

    /** Same, trusting {@code sourceTls} for a TLS master. */
    static Scenario of(DragonflyUnderTest master, Target target, UnaryOperator<RedisSink.Builder> sinkSetup,
            SslContext sourceTls) {
        return of(master, target, sinkSetup, sourceTls, null);
    }

    /**
     * Same, the replicator connecting to the master through {@code via} (a fault proxy in front of
     * it) when not null.
     */
    static Scenario of(DragonflyUnderTest master, Target target, UnaryOperator<RedisSink.Builder> sinkSetup,
            SslContext sourceTls, InetSocketAddress via) {
        return of(master, target, sinkSetup, sourceTls, via, null);
    }

    /** Same, keeping the position in {@code checkpoints} when not null. */
    static Scenario of(DragonflyUnderTest master, Target target, UnaryOperator<RedisSink.Builder> sinkSetup,
            SslContext sourceTls, InetSocketAddress via, io.df2redis.replica.CheckpointStore checkpoints) {
        RedisSink sink = sinkSetup.apply(target.sink()).build();
        Replicator.Builder b = Replicator.builder().source(source(master, sourceTls, via)).ownedSink(sink)
                .options(o -> o.reconnectDelay(Duration.ofMillis(100), Duration.ofSeconds(2)));
        if (checkpoints != null) {
            b.checkpointStore(checkpoints);
        }
        return new Scenario(master, target, sink, b.build(), sourceTls);
    }

    /**
     * A replicator of {@code master} into {@code target} that keeps its position exactly once in the
     * target ({@code RedisSink.checkpointStore()}); not started.
     */
    static Scenario exactlyOnce(DragonflyUnderTest master, Target target) {
        RedisSink sink = target.sink().build();
        Replicator r = Replicator.builder().source(source(master, null, null)).ownedSink(sink)
                .checkpointStore(sink.checkpointStore())
                .options(o -> o.reconnectDelay(Duration.ofMillis(100), Duration.ofSeconds(2))).build();
        return new Scenario(master, target, sink, r, null);
    }

    /** The replicator's view of the master: its credentials and TLS as the spec says, at {@code via} if not null. */
    static DragonflyEndpoint source(DragonflyUnderTest m, SslContext tls, InetSocketAddress via) {
        DragonflySpec s = m.spec();
        DragonflyEndpoint ep = via == null ? DragonflyEndpoint.of(m.host(), m.port())
                : DragonflyEndpoint.of(via.getHostString(), via.getPort());
        if (s.aclUser() != null) {
            ep = ep.withUser(s.aclUser(), s.aclPassword());
        } else if (s.password() != null) {
            ep = ep.withPassword(s.password());
        }
        if (s.tls()) {
            ep = ep.withTls(tls);
        }
        return ep;
    }

    /** Starts the replicator. */
    Scenario start() {
        replicator.start();
        return this;
    }

    /** Waits for stable sync; fails with the replicator's failure if it ended instead. */
    Scenario awaitStable() throws InterruptedException {
        boolean stable = replicator.awaitStableSync(WAIT);
        assertThat(stable).as("stable sync reached (%s); failure: %s", master.name(), replicator.failure()).isTrue();
        return this;
    }

    /**
     * Waits until every flow's applied LSN equals the master's offset for it, and checks that
     * the replicator is still running.
     */
    Scenario awaitCaughtUp() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long[] offsets = master.replicaOffsets();
            List<FlowStats> flows = replicator.stats().flows();
            boolean done = flows.size() == offsets.length;
            for (int i = 0; done && i < offsets.length; i++) {
                done = flows.get(i).appliedLsn() == offsets[i];
            }
            if (done) {
                assertThat(replicator.state()).as("replicator state").isEqualTo(ReplicationState.STABLE_SYNC);
                return this;
            }
            if (replicator.failure() != null) {
                throw new AssertionError("replication failed before catching up (" + master.name() + ")",
                        replicator.failure());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("applied LSNs " + flows + " never reached the master's offsets "
                        + Arrays.toString(offsets) + " (" + master.name() + ")");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** The master as the Verifier reads it. */
    VerifyEndpoint verifySource() {
        DragonflySpec s = master.spec();
        VerifyEndpoint ep = VerifyEndpoint.of(master.host(), master.port());
        if (s.aclUser() != null) {
            ep = ep.withUser(s.aclUser(), s.aclPassword());
        } else if (s.password() != null) {
            ep = ep.withPassword(s.password());
        }
        if (s.tls()) {
            ep = ep.withSsl(sourceTls);
        }
        return ep;
    }

    /** Verifies the target against the master with {@code options}. */
    Report verify(VerifyOptions options) {
        try (Verifier v = Verifier.connect(verifySource(), target.verifyEndpoint(), options)) {
            return v.verify();
        }
    }

    /**
     * The end of every scenario: caught up (applied LSNs = master offsets), then the Verifier
     * finds no difference; returns the report.
     */
    Report assertConverged(VerifyOptions options) throws Exception {
        awaitCaughtUp();
        Report report = verify(options);
        System.out.println("[scenario] " + master.name() + ": " + report.summary());
        assertThat(report.differences()).as("differences (%s)", master.name()).isEmpty();
        assertThat(report.equal()).isTrue();
        assertThat(report.sourceKeys()).as("keys compared").isPositive();
        return report;
    }

    /** {@link #assertConverged(VerifyOptions)} with the default options (TTLs within 2 s on a real master). */
    Report assertConverged() throws Exception {
        return assertConverged(defaultVerify(master));
    }

    /** Default Verifier options for {@code m}. */
    static VerifyOptions defaultVerify(DragonflyUnderTest m) {
        return VerifyOptions.builder().ttlToleranceMs(2000).recheckDelay(Duration.ofMillis(200)).build();
    }

    @Override
    public void close() {
        replicator.close();
    }
}
