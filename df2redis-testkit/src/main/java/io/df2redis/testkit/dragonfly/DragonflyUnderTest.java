package io.df2redis.testkit.dragonfly;

import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.tools.SyncRespClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Dragonfly master for an end-to-end scenario: the {@link EmbeddedDragonflyMaster} always, and
 * a real Dragonfly when the environment provides one ({@link RealDragonfly#availability()}). A
 * scenario written against this interface talks to the master only as a client would (RESP
 * commands through {@link #client()}) so that it runs unchanged against both kinds.
 */
public interface DragonflyUnderTest extends AutoCloseable {

    /** The kinds of master, in the order tests see them. */
    enum Kind {
        /** The in-process {@link EmbeddedDragonflyMaster}. */
        EMBEDDED,
        /** A real Dragonfly binary, address or container. */
        REAL
    }

    /** A human-readable name for test output (never a password). */
    String name();

    /** The host the replicator connects to. */
    String host();

    /** The port the replicator connects to. */
    int port();

    /** The spec the master was started with. */
    DragonflySpec spec();

    /** Whether this is a real Dragonfly. */
    default boolean real() {
        return embedded().isEmpty();
    }

    /**
     * Restarts the master as a new process would: a new replication id, LSNs start over, every
     * replica connection is dropped; the port stays. The embedded master keeps its data set; a real
     * Dragonfly started from {@value RealDragonfly#BIN_ENV} restarts empty (it runs without a
     * snapshot file). A master this kit did not start ({@value RealDragonfly#ADDR_ENV}, a
     * container) cannot be restarted: the scenario is aborted (skipped) with that reason.
     *
     * @throws Exception when the restarted master does not answer
     */
    void restart() throws Exception;

    /** The embedded master, for hooks that only it has (fault injection); empty for a real one. */
    Optional<EmbeddedDragonflyMaster> embedded();

    /**
     * A new client connection, authenticated as the admin (the spec's password); over TLS, trusting
     * the spec's certificate, when the spec says so.
     */
    default SyncRespClient client() throws IOException {
        DragonflySpec s = spec();
        return SyncRespClient.connect(host(), port(), null, s.password(),
                s.tls() ? io.df2redis.testkit.tls.TestCertificates.trusting(s.tlsCert()) : null);
    }

    /** The master's next LSN per flow, as {@code DFLY REPLICAOFFSET} reports it. */
    default long[] replicaOffsets() throws IOException {
        try (SyncRespClient c = client()) {
            RespReply r = c.ok("DFLY", "REPLICAOFFSET");
            ArrayReply a = (ArrayReply) r;
            long[] out = new long[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = ((IntegerReply) a.get(i)).value();
            }
            return out;
        }
    }

    /** The number of flows (shards). */
    default int flows() throws IOException {
        return replicaOffsets().length;
    }

    /**
     * The kinds available here: {@link Kind#EMBEDDED} always, {@link Kind#REAL} when configured.
     * When no real Dragonfly is configured, says so once per JVM on standard output, with how to
     * enable it.
     */
    static List<Kind> kinds() {
        List<Kind> k = new ArrayList<>(List.of(Kind.EMBEDDED));
        if (RealDragonfly.availability().isPresent()) {
            k.add(Kind.REAL);
        } else if (Said.ONCE.compareAndSet(false, true)) {
            System.out.println("[df2redis] real-Dragonfly scenarios skipped (embedded master only): set "
                    + RealDragonfly.BIN_ENV + "=/path/to/dragonfly or " + RealDragonfly.ADDR_ENV
                    + "=host:port, or provide a Docker engine, to run them against a real Dragonfly too");
        }
        return k;
    }

    /** Starts a master of {@code kind} as {@code spec} says. */
    static DragonflyUnderTest start(Kind kind, DragonflySpec spec) throws Exception {
        return kind == Kind.EMBEDDED ? EmbeddedUnderTest.start(spec) : RealDragonfly.start(spec);
    }

    /** Holder of the once-per-JVM flag. */
    final class Said {
        static final AtomicBoolean ONCE = new AtomicBoolean();

        private Said() {
        }
    }
}
