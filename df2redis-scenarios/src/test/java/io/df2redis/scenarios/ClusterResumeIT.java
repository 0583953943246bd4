package io.df2redis.scenarios;

import io.df2redis.sink.redis.verify.Report;
import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest.Kind;
import io.df2redis.testkit.redis.RedisClusterProcess;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11's fault scenarios into a Redis Cluster target (3 masters, real redis-server processes):
 * {@code df2redis.jar replicate --target-cluster} is killed with SIGKILL at random points under a
 * live load of non-idempotent writes and started again with the same command; at every other
 * restart a slot that holds workload keys is being migrated to another master — with its data and
 * its checkpoint hash — while the new process resumes (the migration begins before the start and
 * its keys move, a few at a time, during the handshake and the first writes). Every restart must
 * resume (no full sync), and at the end the cluster equals the source exactly: the per-slot
 * exactly-once checkpoint must hold across the kill and the migration.
 *
 * <p>Faults: {@code df2redis.clusterKills} SIGKILLs (default 6) plus the migrations; the seed and the
 * count are printed.
 */
@Timeout(900)
class ClusterResumeIT {
    static final int KILLS = Integer.getInteger("df2redis.clusterKills", 6);

    static List<Kind> kinds() {
        return DragonflyUnderTest.kinds();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void sigkillAndSlotMigrationDuringResumeIntoACluster(Kind kind) throws Exception {
        long seed = Long.getLong("df2redis.seed", System.nanoTime());
        Random rnd = new Random(seed);
        System.out.println("[seed] ClusterResumeIT seed " + seed + " (-Ddf2redis.seed=" + seed + " repeats it)");
        DragonflySpec spec = DragonflySpec.builder().shards(2).backlogLength(1_000_000).build();
        Path logs = Files.createTempDirectory("df2redis-cluster-kill");
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target.Cluster target = Target.cluster();
             SyncRespClient c = m.client()) {
            RedisClusterProcess cluster = target.cluster();
            Data.allTypes(c, "seed:", 100, 2000);
            List<String> args = List.of("replicate", "--source", m.host() + ":" + m.port(), "--target-cluster",
                    "--target", cluster.seed(), "--status-interval", "200ms");
            int kills = 0;
            int migrations = 0;
            try (NonIdempotentWorkload load = NonIdempotentWorkload.start(m.client(), "w:", 300, seed)) {
                CliProcess p = CliProcess.start(logs.resolve("run-0.log"), args);
                try {
                    p.awaitLine(l -> l.startsWith("stable sync"), Duration.ofSeconds(120), "a stable sync status line");
                    for (int i = 1; i <= KILLS; i++) {
                        TimeUnit.MILLISECONDS.sleep(200 + rnd.nextInt(1000));
                        p.kill9();
                        kills++;
                        p.close();
                        RedisClusterProcess.Migration mig = null;
                        if (i % 2 == 0) {
                            String[] types = {"counter:", "log:", "list:", "hash:", "stream:"};
                            int slot = cluster.slot("w:" + types[rnd.nextInt(types.length)] + rnd.nextInt(16));
                            mig = cluster.beginMigration(slot, (cluster.owner(slot) + 1 + rnd.nextInt(2)) % 3);
                            migrations++;
                        }
                        p = CliProcess.start(logs.resolve("run-" + i + ".log"), args);
                        if (mig != null) {
                            // the keys move while the new process connects and resumes
                            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + rnd.nextInt(1500));
                            while (System.nanoTime() < until && mig.moveKeys(1) > 0) {
                                TimeUnit.MILLISECONDS.sleep(20 + rnd.nextInt(60));
                            }
                            mig.finish();
                        }
                        p.awaitLine(l -> l.contains("resumed from the checkpoint"), Duration.ofSeconds(60),
                                "that it resumed");
                        assertThat(p.printed(l -> l.startsWith("df2redis: full sync")))
                                .as("run %d after SIGKILL %d resumed without a full sync (log %s)", i, i, logs)
                                .isFalse();
                    }
                    p.awaitLine(l -> l.startsWith("stable sync"), Duration.ofSeconds(60), "a stable sync status line");
                    load.close();
                    Report report = KillResumeIT.awaitEqual(m, target, Duration.ofSeconds(120));
                    Faults.report("ClusterResumeIT " + m.name(), kills + migrations,
                            kills + " SIGKILLs of df2redis.jar replicate --target-cluster, " + migrations
                                    + " slot migrations during the resume", load.ops() + " non-idempotent writes; "
                                    + report.summary());
                    assertThat(report.differences()).as("differences after %d SIGKILLs and %d slot migrations "
                            + "(logs %s)", kills, migrations, logs).isEmpty();
                    assertThat(p.stop(Duration.ofSeconds(60))).as("exit code on SIGTERM").isZero();
                } finally {
                    p.close();
                }
            }
        }
    }
}
