package io.df2redis.benchmarks;

import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.replica.ReplicationListener;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.testkit.dragonfly.RealDragonfly;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Issue 13's end-to-end full sync, with the master out of the measurement: a real v1.40.1 master's
 * full sync of {@code DEBUG POPULATE 1000000 key 32} (captured in
 * {@code ../shared/perf/dragonfly-v1.40.1-populate-1m-2shards}) is served at wire speed by a
 * {@link ReplayServer} in a separate JVM, fresh for every run, and synced
 * <ul>
 *   <li>into a {@code redis-server} this harness starts ({@code RedisSink}), timed from the start of
 *       the replicator until Redis processed every command the sink sent and holds every key;</li>
 *   <li>by a listener-only replicator, timed until the full sync ended ({@code awaitFullSync});</li>
 * </ul>
 * and in the same rounds {@code redis-benchmark -P 64 -t set -d 32} writes the same number of keys
 * into the same Redis: the reference. Several rounds; median and range of each, and of the ratio
 * migrate / redis-benchmark.
 *
 * <pre>java -cp df2redis-benchmarks/target/benchmarks.jar io.df2redis.benchmarks.EndToEndHarness
 *     [--capture ../shared/perf/dragonfly-v1.40.1-populate-1m-2shards] [--rounds 5] [--keys 1000000]
 *     [--only all|migrate|listener] [--warmup 1] [--mixed-reference 1]
 *     [--cli df2redis-examples/target/df2redis.jar [--cli-jvm "-XX:+UseParallelGC"]]</pre>
 * {@code --mixed-reference SCALE} replaces the reference for a {@link MixedCapture} of that scale: Redis's
 * own rate for the same keys and values through the same variadic commands
 * ({@link MixedCapture#referenceSeconds}), in keys/s.
 * {@code --cli} adds, per round, the issue's own measurement: {@code df2redis.jar migrate} in a fresh JVM
 * ({@link ColdCli}), its reported rate against the round's {@code redis-benchmark}.
 * {@code --only} runs one path alone (for a profiler); the summary then shows only what ran. The first
 * {@code --warmup} rounds are printed, not summarised: the JIT compiler keeps working through several
 * rounds (each round prints its compilation time).
 */
public final class EndToEndHarness {
    private EndToEndHarness() {
    }

    /**
     * Runs the rounds and prints each run and the summary.
     *
     * @param args {@code --name value} pairs
     * @throws Exception when a run fails
     */
    public static void main(String[] args) throws Exception {
        String capture = "../shared/perf/dragonfly-v1.40.1-populate-1m-2shards";
        int rounds = 5;
        long keys = 1_000_000;
        String only = "all";
        int warmup = 1;
        String cliJar = null;
        List<String> cliJvm = List.of();
        double mixedScale = Double.NaN;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--capture" -> capture = args[i + 1];
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--keys" -> keys = Long.parseLong(args[i + 1]);
                case "--only" -> only = args[i + 1];
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--cli" -> cliJar = args[i + 1];
                case "--mixed-reference" -> mixedScale = Double.parseDouble(args[i + 1]);
                case "--cli-jvm" -> cliJvm = args[i + 1].isBlank() ? List.of() : List.of(args[i + 1].trim().split("\\s+"));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Path.of(capture);
        boolean real = System.getenv(RealDragonfly.BIN_ENV) != null || System.getenv(RealDragonfly.ADDR_ENV) != null;
        if (!real && !Files.isRegularFile(dir.resolve("handshake.json"))) {
            throw new IllegalArgumentException("no capture at " + dir.toAbsolutePath());
        }
        try (RedisTarget redis = RedisTarget.open("start");
             Source source = real ? Source.real(keys) : Source.replay(dir)) {
            System.out.printf(Locale.ROOT, "# source %s (%d keys); redis-server %s; %d cores; %s %s%n", source, keys,
                    redis.version(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"));
            List<Double> own = new ArrayList<>();
            List<Double> migrate = new ArrayList<>();
            List<Double> listener = new ArrayList<>();
            List<Double> reference = new ArrayList<>();
            List<Double> ratio = new ArrayList<>();
            ColdCli cli = cliJar == null ? null : new ColdCli(Path.of(cliJar), cliJvm);
            List<Double> cold = new ArrayList<>();
            List<Double> coldRatio = new ArrayList<>();
            List<Double> coldWall = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                long jit0 = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
                redis.flushAll();
                double ref = !only.equals("all") ? Double.NaN
                        : Double.isNaN(mixedScale) ? redis.redisBenchmark(64, keys, keys, 32, "-t", "set")
                        : keys / MixedCapture.referenceSeconds(redis, mixedScale);
                redis.flushAll();
                double mig = only.equals("listener") ? Double.NaN : keys / migrate(source, redis, keys);
                double lis = only.equals("migrate") ? Double.NaN : keys / listenerOnly(source, keys);
                double rep = source.canReplicate() ? keys / source.ownReplicaSeconds(keys) : Double.NaN;
                if (cli != null) {
                    redis.flushAll();
                    ColdCli.Result c = cli.run(source, redis, keys);
                    System.out.printf(Locale.ROOT, "round %d: %s: reported %.0f keys/s, process %.2f s, "
                            + "reported / redis-benchmark %.3f%n", round, cli, c.reportedKeysPerSecond(), c.wallSeconds(),
                            c.reportedKeysPerSecond() / ref);
                    cold.add(c.reportedKeysPerSecond()); // every round is cold: none is a warm-up
                    coldRatio.add(c.reportedKeysPerSecond() / ref);
                    coldWall.add(c.wallSeconds());
                }
                long jit = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0;
                System.out.printf(Locale.ROOT, "round %d%s: migrate %.0f keys/s, listener-only %.0f keys/s, "
                        + "%s: %.0f %s, migrate / redis-benchmark %.3f, "
                        + "JIT compiling %d ms%s%n", round,
                        round <= warmup ? " (warm-up: not summarised)" : "", mig, lis,
                        Double.isNaN(mixedScale) ? "redis-benchmark -P 64 -t set -d 32" : "redis-benchmark, the same shapes",
                        ref, Double.isNaN(mixedScale) ? "req/s" : "keys/s", mig / ref, jit,
                        Double.isNaN(rep) ? "" : String.format(Locale.ROOT, ", Dragonfly's own replica %.0f keys/s, "
                                + "listener-only / own replica %.3f", rep, lis / rep));
                if (round > warmup && !Double.isNaN(rep)) {
                    own.add(rep);
                }
                if (round > warmup) {
                    migrate.add(mig);
                    listener.add(lis);
                    reference.add(ref);
                    ratio.add(mig / ref);
                }
            }
            System.out.printf(Locale.ROOT, "summary over rounds %d..%d (median [min - max]):%n  migrate %s keys/s%n"
                    + "  listener-only %s keys/s%n  redis-benchmark %s %s%n  migrate / redis-benchmark %s%n",
                    warmup + 1, rounds, summary(migrate, "%.0f"), summary(listener, "%.0f"), summary(reference, "%.0f"),
                    Double.isNaN(mixedScale) ? "req/s" : "keys/s (the same shapes)", summary(ratio, "%.3f"));
            if (REDIS_BUSY.size() > warmup) {
                System.out.printf(Locale.ROOT, "  Redis on a CPU during migrate %s of the time%n",
                        summary(REDIS_BUSY.subList(warmup, REDIS_BUSY.size()), "%.2f"));
            }
            if (!own.isEmpty()) {
                System.out.printf(Locale.ROOT, "  Dragonfly's own replica %s keys/s%n", summary(own, "%.0f"));
            }
            if (!cold.isEmpty()) {
                System.out.printf(Locale.ROOT, "summary over all %d rounds (each a fresh JVM): %s%n  reported %s keys/s%n"
                        + "  reported / redis-benchmark %s%n  process wall %s s%n", cold.size(), cli,
                        summary(cold, "%.0f"), summary(coldRatio, "%.3f"), summary(coldWall, "%.2f"));
            }
        }
    }

    /**
     * Applies the experiment's system property {@code df2redis.bench.queueMiB} (the flow queue limit,
     * {@code ReplicatorOptions.flowQueueMaxBytes}, in MiB: the queue-size table of docs/benchmarks.md)
     * to {@code b}.
     */
    private static Replicator.Builder tuned(Replicator.Builder b) {
        String q = System.getProperty("df2redis.bench.queueMiB");
        return q == null ? b : b.options(o -> o.flowQueueMaxBytes(Long.parseLong(q) << 20));
    }

    /** Per migrate run: the share of its time the Redis server was on a CPU. */
    private static final List<Double> REDIS_BUSY = new ArrayList<>();

    /** One migrate run into {@code redis}; returns its seconds. */
    private static double migrate(Source source, RedisTarget redis, long keys) throws Exception {
        try (Source.Run replay = source.run()) {
            RedisSink sink = RedisSink.standalone(redis.address()).build();
            try (Replicator r = tuned(Replicator.builder()).source(replay.host(), replay.port()).ownedSink(sink).build()) {
                System.gc();
                long base = redis.commandsProcessed();
                long adminBase = redis.adminCalls();
                double cpu0 = redis.serverCpuSeconds();
                long t0 = System.nanoTime();
                r.start();
                if (!r.awaitFullSync(Duration.ofMinutes(10))) {
                    throw new IllegalStateException("full sync did not finish: " + r.state() + " " + r.failure());
                }
                long sent = sink.stats().commands();
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (redis.commandsProcessed() - base < sent + (redis.adminCalls() - adminBase - 1)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Redis did not process the sink's " + sent + " commands");
                    }
                    Thread.sleep(1);
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                REDIS_BUSY.add((redis.serverCpuSeconds() - cpu0) / secs);
                long dbsize = redis.dbsize();
                if (dbsize != keys || sink.stats().errors() != 0) {
                    throw new IllegalStateException("DBSIZE " + dbsize + ", expected " + keys + "; " + sink.stats());
                }
                return secs;
            }
        }
    }

    /** One listener-only run; returns its seconds. */
    private static double listenerOnly(Source source, long keys) throws Exception {
        try (Source.Run replay = source.run()) {
            LongAdder entries = new LongAdder();
            ReplicationListener counting = new ReplicationListener() {
                @Override
                public void onEntryEnd(int flow, RdbEntry entry, io.df2redis.protocol.rdb.EntrySummary summary) {
                    entries.increment();
                }
            };
            try (Replicator r = Replicator.builder().source(replay.host(), replay.port()).listener(counting).build()) {
                System.gc();
                long t0 = System.nanoTime();
                r.start();
                if (!r.awaitFullSync(Duration.ofMinutes(10))) {
                    throw new IllegalStateException("full sync did not finish: " + r.state() + " " + r.failure());
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                if (entries.sum() != keys) {
                    throw new IllegalStateException(entries.sum() + " entries, expected " + keys);
                }
                return secs;
            }
        }
    }

    private static String summary(List<Double> l, String fmt) {
        double[] v = l.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double med = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return String.format(Locale.ROOT, fmt + " [" + fmt + " - " + fmt + "]", med, v[0], v[v.length - 1]);
    }

    /** A {@link ReplayServer} process; closing its stdin ends it. */
    static final class Replay implements AutoCloseable {
        final Process process;
        final int port;

        private Replay(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Replay start(Path dir) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                    ReplayServer.class.getName(), dir.toAbsolutePath().toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("port ")) {
                p.destroyForcibly();
                throw new IllegalStateException("the replay server did not start: " + line);
            }
            return new Replay(p, Integer.parseInt(line.substring(5).trim()));
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
