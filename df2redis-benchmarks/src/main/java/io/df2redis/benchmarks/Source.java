package io.df2redis.benchmarks;

import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.RealDragonfly;
import io.df2redis.tools.SyncRespClient;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where {@link EndToEndHarness} syncs from: the replay of a real master's capture, a fresh
 * {@link EndToEndHarness.Replay} process per run; or a real Dragonfly ({@code DF2REDIS_DRAGONFLY_BIN},
 * or a running one at {@code DF2REDIS_DRAGONFLY_ADDR}), 2 shards, filled once with
 * {@code DEBUG POPULATE <keys> key 32} and fully synced by every run. A real binary also gives the
 * reference the issue compares the listener-only path with: Dragonfly's own replica (a second
 * Dragonfly, {@code REPLICAOF}), timed until it holds every key.
 */
abstract class Source implements AutoCloseable {
    /** One run's master address; closing it ends a replay process (a real master stays). */
    interface Run extends AutoCloseable {
        String host();

        int port();
    }

    abstract Run run() throws Exception;

    /** Whether {@link #ownReplicaSeconds} can be measured (a real binary). */
    boolean canReplicate() {
        return false;
    }

    /** Seconds a fresh Dragonfly replica takes to hold {@code keys} keys after {@code REPLICAOF}. */
    double ownReplicaSeconds(long keys) throws Exception {
        throw new IllegalStateException("only with " + RealDragonfly.BIN_ENV);
    }

    @Override
    public void close() throws Exception {
    }

    static Source replay(Path dir) {
        return new Source() {
            @Override
            Run run() throws Exception {
                EndToEndHarness.Replay r = EndToEndHarness.Replay.start(dir);
                return new Run() {
                    public String host() {
                        return "127.0.0.1";
                    }

                    public int port() {
                        return r.port;
                    }

                    public void close() throws Exception {
                        r.close();
                    }
                };
            }

            @Override
            public String toString() {
                return "replay of " + dir;
            }
        };
    }

    static Source real(long keys) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).build();
        RealDragonfly master = RealDragonfly.start(spec);
        String version;
        try (SyncRespClient c = master.client()) {
            version = infoField(c.call("INFO", "server"), "dragonfly_version");
            c.call("FLUSHALL");
            c.call("DEBUG", "POPULATE", Long.toString(keys), "key", "32");
            long n = ((IntegerReply) c.call("DBSIZE")).value();
            if (n != keys) {
                throw new IllegalStateException("DEBUG POPULATE left " + n + " keys, expected " + keys);
            }
        }
        return new Source() {
            @Override
            Run run() {
                return new Run() {
                    public String host() {
                        return master.host();
                    }

                    public int port() {
                        return master.port();
                    }

                    public void close() {
                    }
                };
            }

            @Override
            boolean canReplicate() {
                return RealDragonfly.startsFresh();
            }

            @Override
            double ownReplicaSeconds(long keys) throws Exception {
                try (RealDragonfly replica = RealDragonfly.start(spec); SyncRespClient c = replica.client()) {
                    long t0 = System.nanoTime();
                    c.call("REPLICAOF", master.host(), Integer.toString(master.port()));
                    long deadline = t0 + Duration.ofMinutes(5).toNanos();
                    while (!synced(c, keys)) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("Dragonfly's replica did not sync within 5 minutes");
                        }
                        Thread.sleep(1);
                    }
                    double secs = (System.nanoTime() - t0) / 1e9;
                    c.call("REPLICAOF", "NO", "ONE");
                    return secs;
                }
            }

            @Override
            public void close() throws Exception {
                master.close();
            }

            @Override
            public String toString() {
                return "Dragonfly " + version + " at " + master.host() + ":" + master.port() + " (" + master.name() + ")";
            }
        };
    }

    /** A field of an {@code INFO} reply, or {@code "(no <field>)"}. */
    private static String infoField(RespReply info, String field) {
        String text = info instanceof BulkString b ? b.asString() : "";
        for (String line : text.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return "(no " + field + ")";
    }

    /** The replica's link is up, its sync is over and it holds every key. */
    private static boolean synced(SyncRespClient c, long keys) {
        RespReply info = c.call("INFO", "replication");
        String text = info instanceof BulkString b ? b.asString() : "";
        if (!text.contains("master_link_status:up") || text.contains("master_sync_in_progress:1")) {
            return false;
        }
        return ((IntegerReply) c.call("DBSIZE")).value() >= keys;
    }
}
