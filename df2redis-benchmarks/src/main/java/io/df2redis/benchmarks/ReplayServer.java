package io.df2redis.benchmarks;

import io.df2redis.testkit.EmbeddedDragonflyMaster;

import java.nio.file.Path;

/**
 * A captured master in a process of its own, for end-to-end measurements that must not pay for
 * the master: serves a capture directory ({@code handshake.json} + {@code flow-<i>.bin}, e.g.
 * {@code ../shared/perf/dragonfly-v1.40.1-populate-1m-2shards}) with the test kit's replay backend,
 * prints {@code port <n>} on stdout and serves until its stdin closes.
 *
 * <pre>java -cp benchmarks.jar io.df2redis.benchmarks.ReplayServer DIR</pre>
 */
public final class ReplayServer {
    private ReplayServer() {
    }

    /**
     * Serves {@code args[0]} until stdin closes.
     *
     * @param args the capture directory
     * @throws Exception when it cannot be served
     */
    public static void main(String[] args) throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.replay(Path.of(args[0]))) {
            System.out.println("port " + m.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the parent closes our stdin (or dies)
            }
        }
    }
}
