package io.df2redis.replica.e2e;

import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.testkit.CompressionMode;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.dragonfly.RealDragonfly;
import io.df2redis.tools.SyncRespClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Dragonfly master the end-to-end suite replicates from: the embedded master of the test kit
 * (always), or a real Dragonfly (see {@link RealDragonfly}). Writes go through a plain client
 * connection, so the same scenario runs against both.
 */
public interface MasterUnderTest extends AutoCloseable {
    String name();

    String host();

    int port();

    int flows();

    /** The master's keyspace in the vectors' expected.json shape (dbs, keys sorted). */
    Map<String, Object> keyspace() throws Exception;

    /** The master's next LSN per flow ({@code DFLY REPLICAOFFSET}). */
    long[] replicaOffsets() throws Exception;

    /** Whether this is a real Dragonfly (timings and key order are its own). */
    boolean real();

    /** The password clients must AUTH with, or null. */
    default String password() {
        return null;
    }

    default SyncRespClient client() throws IOException {
        SyncRespClient c = SyncRespClient.connect(host(), port(), null, null);
        if (password() != null) {
            c.ok("AUTH", password());
        }
        return c;
    }

    /** The kinds of master available here: the embedded one always, a real one when configured. */
    static List<String> kinds() {
        List<String> k = new ArrayList<>(List.of("embedded"));
        // says once, when there is none, how to enable the real-Dragonfly runs
        if (io.df2redis.testkit.dragonfly.DragonflyUnderTest.kinds().size() > 1) {
            k.add("real");
        }
        return k;
    }

    /** Starts a master of {@code kind} with {@code shards} shards and the given compression. */
    static MasterUnderTest start(String kind, int shards, CompressionMode compression) throws Exception {
        return start(kind, shards, compression, null);
    }

    /** Same, requiring {@code password} (null: none). */
    static MasterUnderTest start(String kind, int shards, CompressionMode compression, String password)
            throws Exception {
        if (kind.equals("embedded")) {
            var b = EmbeddedDragonflyMaster.builder().shards(shards)
                    .compression(compression);
            if (password != null) {
                b.requirePass(password);
            }
            return new Embedded(b.start(), password);
        }
        io.df2redis.testkit.dragonfly.DragonflySpec.Builder spec = io.df2redis.testkit.dragonfly.DragonflySpec.builder()
                .shards(shards).compression(compression);
        if (password != null) {
            spec.password(password);
        }
        return new Real(RealDragonfly.start(spec.build()), password);
    }

    /** The embedded master. */
    final class Embedded implements MasterUnderTest {
        final EmbeddedDragonflyMaster master;
        private final String password;

        Embedded(EmbeddedDragonflyMaster master, String password) {
            this.master = master;
            this.password = password;
        }

        @Override
        public String password() {
            return password;
        }

        public EmbeddedDragonflyMaster master() {
            return master;
        }

        @Override
        public String name() {
            return "embedded " + master.profile();
        }

        @Override
        public String host() {
            return master.host();
        }

        @Override
        public int port() {
            return master.port();
        }

        @Override
        public int flows() {
            return master.shardCount();
        }

        @Override
        public Map<String, Object> keyspace() {
            return Datasets.modelOf(master);
        }

        @Override
        public long[] replicaOffsets() {
            long[] o = new long[master.shardCount()];
            for (int i = 0; i < o.length; i++) {
                o[i] = master.nextLsn(i);
            }
            return o;
        }

        @Override
        public boolean real() {
            return false;
        }

        @Override
        public void close() {
            master.close();
        }
    }

    /** A real Dragonfly, read back with type-aware commands. */
    final class Real implements MasterUnderTest {
        private final RealDragonfly dragonfly;
        private final String password;
        private final int flows;

        Real(RealDragonfly dragonfly, String password) throws Exception {
            this.dragonfly = dragonfly;
            this.password = password;
            this.flows = replicaOffsets().length;
        }

        @Override
        public String password() {
            return password;
        }

        @Override
        public long[] replicaOffsets() throws IOException {
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

        @Override
        public String name() {
            return "real dragonfly (" + RealDragonfly.availability().orElse("?") + ")";
        }

        @Override
        public String host() {
            return dragonfly.host();
        }

        @Override
        public int port() {
            return dragonfly.port();
        }

        @Override
        public int flows() {
            return flows;
        }

        @Override
        public boolean real() {
            return true;
        }

        @Override
        public Map<String, Object> keyspace() throws IOException {
            return io.df2redis.tools.inspect.KeyspaceReader.read(host(), port(), null, password(), 16);
        }

        @Override
        public void close() throws Exception {
            dragonfly.close();
        }
    }
}
