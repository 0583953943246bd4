package io.df2redis.benchmarks;

import io.df2redis.replica.FlowStats;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.testkit.CompressionMode;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisClusterProcess;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cost of exactly-once into a Redis Cluster (issue 11): stable-sync throughput into a 3-master
 * {@code redis-server} cluster this process starts, with a plain {@code RedisSink} and with
 * {@code RedisSink.checkpointStore()} (one {@code MULTI … HSET <slot's checkpoint> … EXEC} per slot
 * per commit), alternating which goes first in each round; the result is the ratio of the two rates
 * in the same round. A burst of {@code --writes} {@code SET live:i <value>} goes through the embedded
 * master ({@code --shards} flows); each run is timed from the first write until every flow's applied
 * LSN reached the master's next LSN.
 *
 * <pre>java -cp df2redis-benchmarks/target/benchmarks.jar io.df2redis.benchmarks.ClusterCheckpointHarness
 *     [--rounds 5] [--shards 4] [--writes 100000] [--value 64]</pre>
 */
public final class ClusterCheckpointHarness {
    private ClusterCheckpointHarness() {
    }

    /**
     * Runs the rounds and prints each run and the summary.
     *
     * @param args {@code --name value} pairs
     * @throws Exception when a run fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("rounds", "5", "shards", "4", "writes", "100000",
                "value", "64"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--") || !o.containsKey(args[i].substring(2))) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + o.keySet());
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        int rounds = Integer.parseInt(o.get("rounds"));
        int shards = Integer.parseInt(o.get("shards"));
        int writes = Integer.parseInt(o.get("writes"));
        int value = Integer.parseInt(o.get("value"));
        try (RedisClusterProcess cluster = RedisClusterProcess.start(3)) {
            cluster.awaitConverged(Duration.ofSeconds(30));
            System.out.printf(Locale.ROOT, "# 3-master redis-server cluster at %s; %d cores; %s %s; options %s%n",
                    cluster.seed(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), o);
            List<Double> ratios = new ArrayList<>();
            List<Double> plainRates = new ArrayList<>();
            List<Double> exactRates = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                boolean exactFirst = round % 2 == 0;
                double a = run(cluster, shards, writes, value, exactFirst);
                double b = run(cluster, shards, writes, value, !exactFirst);
                double plain = exactFirst ? b : a;
                double exact = exactFirst ? a : b;
                System.out.printf(Locale.ROOT, "round %d%s: plain %.0f writes/s, exactly-once %.0f writes/s, ratio "
                        + "%.3f%n", round, round == 1 ? " (cold JIT: not summarised)" : "", plain, exact, exact / plain);
                if (round > 1) {
                    ratios.add(exact / plain);
                    plainRates.add(plain);
                    exactRates.add(exact);
                }
            }
            System.out.printf(Locale.ROOT, "summary over rounds 2..%d (median [min - max]): plain %s writes/s, "
                    + "exactly-once %s writes/s, exactly-once / plain %s%n", rounds, summary(plainRates, "%.0f"),
                    summary(exactRates, "%.0f"), summary(ratios, "%.3f"));
        }
    }

    /** One run: full sync of nothing, then the burst; returns the applied writes per second. */
    private static double run(RedisClusterProcess cluster, int shards, int writes, int value, boolean exact)
            throws Exception {
        cluster.flushAll();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(shards)
                .compression(CompressionMode.LZ4).start()) {
            RedisSink sink = RedisSink.cluster(cluster.addresses().toArray(String[]::new)).build();
            Replicator.Builder rb = Replicator.builder().source(m.host(), m.port()).ownedSink(sink);
            if (exact) {
                rb.checkpointStore(sink.checkpointStore());
            }
            try (Replicator r = rb.build()) {
                r.start();
                if (!r.awaitStableSync(Duration.ofMinutes(1))) {
                    throw new IllegalStateException("no stable sync: " + r.state());
                }
                if (exact) {
                    // the first stable checkpoint gives every slot its hash: wait for it before timing
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (cluster.dbsize() < 16384 + 1) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("the slot checkpoints were not written");
                        }
                        Thread.sleep(10);
                    }
                }
                byte[] set = "SET".getBytes(StandardCharsets.US_ASCII);
                byte[] v = new byte[value];
                Arrays.fill(v, (byte) 'v');
                System.gc();
                long t0 = System.nanoTime();
                for (int i = 0; i < writes; i++) {
                    m.write(0, List.of(set, ("live:" + i).getBytes(StandardCharsets.US_ASCII), v));
                }
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (!caughtUp(m, r)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("stable sync did not catch up: " + r.stats());
                    }
                    Thread.onSpinWait();
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                long expected = writes + (exact ? 16384 + 1 : 0);
                if (cluster.dbsize() != expected || sink.stats().errors() != 0) {
                    throw new IllegalStateException("DBSIZE " + cluster.dbsize() + ", expected " + expected
                            + "; errors " + sink.stats().errors());
                }
                return writes / secs;
            }
        }
    }

    private static boolean caughtUp(EmbeddedDragonflyMaster m, Replicator r) {
        List<FlowStats> flows = r.stats().flows();
        for (int i = 0; i < flows.size(); i++) {
            if (flows.get(i).appliedLsn() < m.nextLsn(i)) {
                return false;
            }
        }
        return true;
    }

    private static String summary(List<Double> l, String fmt) {
        double[] v = l.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double med = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return String.format(Locale.ROOT, fmt + " [" + fmt + " - " + fmt + "]", med, v[0], v[v.length - 1]);
    }
}
