package io.df2redis.examples.cli;

import io.df2redis.examples.cli.CliSyncFixture.Cli;
import io.df2redis.examples.cli.CliSyncFixture.Result;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisClusterProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.df2redis.examples.cli.CliSyncFixture.address;
import static io.df2redis.examples.cli.CliSyncFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code --target-cluster}: migrate and replicate into a 3-master Redis Cluster, with {@code --map-db}. */
@Timeout(120)
class ClusterTargetIT {
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisClusterProcess.start(3);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void empty() {
        cluster.flushAll();
    }

    private static void data(EmbeddedDragonflyMaster m) {
        for (int i = 0; i < 500; i++) {
            m.write(0, "SET", "k:" + i, "v" + i);
        }
        m.write(0, "RPUSH", "list", "a", "b", "c");
        m.write(0, "HSET", "{user:1}:profile", "name", "one");
        m.write(2, "SET", "from-db2", "merged");
    }

    @Test
    void migrateWritesEveryKeyOnTheNodeOwningItsSlotAndMergesMappedDbs() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(3).start()) {
            data(m);
            // a cluster holds db 0 only: db 2 without a mapping fails the run
            Result unmapped = run("migrate", "--source", address(m), "--target-cluster", "--target", cluster.seed(),
                    "--no-progress");
            assertThat(unmapped.code()).as(unmapped.err()).isEqualTo(Df2RedisCli.FAILURE);
            assertThat(unmapped.err()).contains("replication failed");

            cluster.flushAll();
            Result r = run("migrate", "--source", address(m), "--target-cluster",
                    "--target", String.join(",", cluster.addresses()), "--map-db", "2:0", "--force");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(cluster.dbsize()).isEqualTo(503);
            assertThat(((BulkString) cluster.call("k:77", "GET", "k:77")).asString()).isEqualTo("v77");
            assertThat(((BulkString) cluster.call("from-db2", "GET", "from-db2")).asString()).isEqualTo("merged");
            assertThat(((IntegerReply) cluster.call("list", "LLEN", "list")).value()).isEqualTo(3);
            assertThat(r.out()).contains("migrated 503 keys").contains("redirects");
            assertThat(r.err()).contains("target Redis Cluster");
        }
    }

    /** Keys on any master, not only the seed, make a cluster target "non-empty" (the full sync flushes all). */
    @Test
    void aClusterHoldingKeysOnAnotherMasterIsRefusedWithoutForce() throws Exception {
        int seedNode = 0;
        String key = null;
        for (int i = 0; key == null; i++) {
            if (cluster.owner(cluster.slot("held" + i)) != seedNode) {
                key = "held" + i;
            }
        }
        cluster.call(key, "SET", key, "precious");
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(1).start()) {
            Result r = run("migrate", "--source", address(m), "--target-cluster", "--target", cluster.seed(),
                    "--no-progress");
            assertThat(r.code()).as(r.err()).isEqualTo(Df2RedisCli.USAGE);
            assertThat(r.err()).contains("db0: 1 key").contains("--target-policy flush").contains("--force");
            assertThat(((BulkString) cluster.call(key, "GET", key)).asString()).isEqualTo("precious");
        }
    }

    @Test
    void replicateFollowsLiveWritesIntoTheClusterAndShowsRedirects() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            data(m);
            Cli cli = new Cli();
            ReplicateCommand command = cli.subcommand("replicate");
            CompletableFuture<Result> result = CompletableFuture.supplyAsync(() -> cli.execute("replicate",
                    "--source", address(m), "--target-cluster", "--target", cluster.seed(), "--map-db", "2:0",
                    "--status-interval", "100ms"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!cli.err.toString().contains("stable sync: ")) {
                assertThat(System.nanoTime()).as(cli.err.toString()).isLessThan(deadline);
                assertThat(result).isNotDone();
                Thread.sleep(50);
            }
            for (int i = 0; i < 200; i++) {
                m.write(0, "SET", "live:" + i, "x" + i);
            }
            m.write(0, "DEL", "k:1", "k:2", "k:3"); // keys in several slots: split per slot
            // the target also holds the exactly-once checkpoint: a hash per slot and the header
            long checkpointKeys = 16384 + 1;
            while (cluster.dbsize() != 503 + 200 - 3 + checkpointKeys) {
                assertThat(System.nanoTime()).as("dbsize " + cluster.dbsize()).isLessThan(deadline);
                Thread.sleep(50);
            }
            command.requestStop();
            Result r = result.get(60, TimeUnit.SECONDS);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(((BulkString) cluster.call("live:199", "GET", "live:199")).asString()).isEqualTo("x199");
            assertThat(r.err()).containsPattern("stable sync: .* redirects [0-9,]+ MOVED/[0-9,]+ ASK");
        }
    }
}
