package io.df2redis.benchmarks;

import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.ReleaseProfile;

/**
 * A live {@link EmbeddedDragonflyMaster} in a process of its own, for stable-sync measurements
 * that must not pay for the master: clients write into it over RESP (e.g. {@code redis-benchmark}),
 * it journals every write and streams the journal to the replica under test. Prints
 * {@code port <n>} on stdout and serves until its stdin closes. Its journal positions are read
 * over RESP with {@code DFLY REPLICAOFFSET} (the next LSN of every shard), as from a real Dragonfly.
 *
 * <pre>java -cp benchmarks.jar io.df2redis.benchmarks.LiveMasterServer [shards] [backlog]</pre>
 */
public final class LiveMasterServer {
    private LiveMasterServer() {
    }

    /**
     * Serves until stdin closes.
     *
     * @param args optional shard count (default 2) and journal backlog per shard (default 1 000 000)
     * @throws Exception when it cannot be served
     */
    public static void main(String[] args) throws Exception {
        int shards = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int backlog = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(shards)
                .profile(ReleaseProfile.V1_40).backlogLength(backlog).start()) {
            System.out.println("port " + m.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the parent closes our stdin (or dies)
            }
        }
    }
}
