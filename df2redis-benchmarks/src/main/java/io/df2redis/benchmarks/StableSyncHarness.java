package io.df2redis.benchmarks;

import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.replica.ReplicationListener;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.RealDragonfly;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 13's stable-sync goal: the replicator keeps up with the fastest write load this machine can
 * drive into the master, and its applied LSN is back at the master's within 1 s after the load stops.
 *
 * <p>Per round and per (load, target): a fresh master in a <b>separate process</b> (a
 * {@link LiveMasterServer} JVM, 2 shards; or a real Dragonfly started from
 * {@code DF2REDIS_DRAGONFLY_BIN}), a fresh {@link Replicator} in this JVM brought to stable sync
 * (into the {@code redis-server} this harness started, FLUSHALLed, through {@link RedisSink}; or a
 * listener only), an unmeasured warm-up load (the master's JVM is fresh), then {@code redis-benchmark}
 * writes into the master as fast as it can ({@code -P 64 -c 4} was the fastest of 1–8 clients and
 * pipelines of 16 and 64 against this master). Measured:
 * the master's write rate (journal entries it gained, from {@code DFLY REPLICAOFFSET}, over the
 * load's wall time), the applied rate (the same entries over the time from the load's start until
 * every flow's applied LSN reached the master's next LSN), the highest lag during the run
 * ({@link LagSampler}: entries, ms), and the catch-up time: from the end of the load (redis-benchmark
 * exited, every write answered, hence journaled) until every flow's applied LSN reached the next LSN
 * the master reported right after; and the replicator JVM's CPU time over that window. Into Redis it
 * then checks DBSIZE against the master's. Target {@code none}: the same load into a fresh master
 * with no replica, the reference for the write rate (Dragonfly starts its journal only for a replica,
 * so there the rate counts requests).
 *
 * <pre>java -cp benchmarks.jar:JUNIT_API:OPENTEST4J io.df2redis.benchmarks.StableSyncHarness
 *     [--rounds 5] [--writes 500000] [--loads set,mixed] [--targets none,redis,listener]
 *     [--pipeline 64] [--clients 4] [--warmup 200000] [--keyspace 100000] [--size 32] [--shards 2]</pre>
 */
public final class StableSyncHarness {
    private StableSyncHarness() {
    }

    /**
     * Runs the rounds and prints each run and the summary.
     *
     * @param args {@code --name value} pairs
     * @throws Exception when a run fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        String[] defaults = {"--rounds", "5", "--writes", "500000", "--loads", "set,mixed", "--targets",
            "none,redis,listener", "--pipeline", "64", "--clients", "4", "--warmup", "200000", "--keyspace", "100000",
            "--size", "32", "--shards", "2"};
        for (int i = 0; i < defaults.length; i += 2) {
            o.put(defaults[i], defaults[i + 1]);
        }
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!o.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            o.put(args[i], args[i + 1]);
        }
        Settings s = new Settings(Integer.parseInt(o.get("--writes")), Integer.parseInt(o.get("--pipeline")),
                Integer.parseInt(o.get("--clients")), Integer.parseInt(o.get("--keyspace")),
                Integer.parseInt(o.get("--size")), Integer.parseInt(o.get("--shards")), Integer.parseInt(o.get("--warmup")));
        int rounds = Integer.parseInt(o.get("--rounds"));
        try (RedisTarget redis = RedisTarget.open("start")) {
            System.out.printf(Locale.ROOT, "# master: %s, %d shards; redis-server %s; %d cores; %s %s; %s%n",
                    System.getenv(RealDragonfly.BIN_ENV) != null ? "real Dragonfly " + System.getenv(RealDragonfly.BIN_ENV)
                            : "LiveMasterServer (embedded master, own JVM)", s.shards, redis.version(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), o);
            Map<String, List<Result>> all = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                for (String load : o.get("--loads").split(",")) {
                    for (String target : o.get("--targets").split(",")) {
                        Result r = run(s, load, target, redis);
                        System.out.printf(Locale.ROOT, "round %d %-5s %-8s %s%n", round, load, target, r);
                        all.computeIfAbsent(load + " " + target, k -> new ArrayList<>()).add(r);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "summary over rounds 1..%d, median [min - max]:%n", rounds);
            for (var e : all.entrySet()) {
                List<Result> l = e.getValue();
                if (e.getKey().endsWith(" none")) {
                    System.out.printf(Locale.ROOT, "  %-14s write %s /s (no replica: the reference)%n", e.getKey(),
                            Stats.summary(l.stream().map(Result::writeRate).toList(), "%.0f"));
                    continue;
                }
                System.out.printf(Locale.ROOT, "  %-14s write %s /s, applied %s /s, applied/write %s, max lag %s entries"
                        + " / %s ms, catch-up %s ms, replicator CPU %s cores%n", e.getKey(),
                        Stats.summary(l.stream().map(Result::writeRate).toList(), "%.0f"),
                        Stats.summary(l.stream().map(Result::appliedRate).toList(), "%.0f"),
                        Stats.summary(l.stream().map(r -> r.appliedRate() / r.writeRate()).toList(), "%.3f"),
                        Stats.summary(l.stream().map(r -> (double) r.maxLagEntries()).toList(), "%.0f"),
                        Stats.summary(l.stream().map(r -> (double) r.maxLagMillis()).toList(), "%.0f"),
                        Stats.summary(l.stream().map(Result::catchUpMillis).toList(), "%.1f"),
                        Stats.summary(l.stream().map(Result::cpuCores).toList(), "%.2f"));
            }
        }
    }

    record Settings(int writes, int pipeline, int clients, int keyspace, int size, int shards, int warmup) {
    }

    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** {@code cpuCores}: CPU time of this JVM (the replicator) over the run's wall time. */
    record Result(long entries, double loadSeconds, double writeRate, double appliedRate, long maxLagEntries,
                  long maxLagMillis, double catchUpMillis, double cpuCores, String check) {
        @Override
        public String toString() {
            if (Double.isNaN(appliedRate)) {
                return String.format(Locale.ROOT, "%,d writes in %.2f s: write %.0f /s (no replica)", entries,
                        loadSeconds, writeRate);
            }
            return String.format(Locale.ROOT, "%,d entries in %.2f s: write %.0f /s, applied %.0f /s (%.3f), "
                    + "max lag %d entries / %d ms, catch-up %.1f ms, replicator CPU %.2f cores%s", entries, loadSeconds,
                    writeRate, appliedRate, appliedRate / writeRate, maxLagEntries, maxLagMillis, catchUpMillis,
                    cpuCores, check);
        }
    }

    /** One measured run: fresh master and replicator, one load, into {@code target}. */
    private static Result run(Settings s, String load, String target, RedisTarget redis) throws Exception {
        try (Master master = Master.start(s.shards); RedisTarget admin = RedisTarget.open(master.address())) {
            if (target.equals("none")) {
                return unreplicated(s, load, admin);
            }
            if (target.equals("redis")) {
                redis.flushAll();
            }
            Replicator.Builder b = Replicator.builder().source("127.0.0.1", master.port);
            if (target.equals("redis")) {
                b.ownedSink(RedisSink.standalone(redis.address()).build());
            } else if (target.equals("listener")) {
                b.listener(new ReplicationListener() { });
            } else {
                throw new IllegalArgumentException("unknown target " + target);
            }
            try (Replicator r = b.build()) {
                r.start();
                if (!r.awaitStableSync(Duration.ofMinutes(1))) {
                    throw new IllegalStateException("no stable sync: " + r.state() + " " + r.failure());
                }
                if (s.warmup > 0) { // the master's JVM is fresh: warm it (and this replicator) up, unmeasured
                    admin.redisBenchmark(s.pipeline, s.warmup, s.keyspace, s.size, "-c", Integer.toString(s.clients),
                            "-t", "set");
                    try (LagSampler w = new LagSampler(r)) {
                        w.target(offsets(admin));
                        w.awaitCaughtUp(120_000);
                    }
                }
                System.gc();
                long[] before = offsets(admin);
                try (LagSampler sampler = new LagSampler(r)) {
                    long cpu0 = CPU.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    load(admin, s, load);
                    long t1 = System.nanoTime();
                    long[] after = offsets(admin);
                    sampler.target(after);
                    long done = sampler.awaitCaughtUp(120_000);
                    long cpu = CPU.getProcessCpuTime() - cpu0;
                    long entries = 0;
                    for (int i = 0; i < after.length; i++) {
                        entries += after[i] - before[i];
                    }
                    String check = target.equals("redis") ? check(admin, redis, load) : "";
                    return new Result(entries, (t1 - t0) / 1e9, entries / ((t1 - t0) / 1e9),
                            entries / ((done - t0) / 1e9), sampler.maxLagEntries(), sampler.maxLagMillis(),
                            Math.max(0, done - t1) / 1e6, (double) cpu / (done - t0), check);
                }
            }
        }
    }

    /** The same load into a master without a replica: its write rate alone (the reference). */
    private static Result unreplicated(Settings s, String load, RedisTarget admin) throws Exception {
        if (s.warmup > 0) {
            admin.redisBenchmark(s.pipeline, s.warmup, s.keyspace, s.size, "-c", Integer.toString(s.clients),
                    "-t", "set");
        }
        long t0 = System.nanoTime();
        load(admin, s, load);
        long t1 = System.nanoTime();
        long entries = load.equals("mixed") ? s.writes / 4 * 4L : s.writes; // no journal without a replica
        double rate = entries / ((t1 - t0) / 1e9);
        return new Result(entries, (t1 - t0) / 1e9, rate, Double.NaN, 0, 0, Double.NaN, 0, "");
    }

    /**
     * Drives the load into the master: {@code set}, {@code writes} SETs; {@code mixed}, a quarter each of
     * SET, INCR, LPUSH and HSET on random keys, one redis-benchmark after the other.
     */
    private static void load(RedisTarget master, Settings s, String load) throws Exception {
        String c = Integer.toString(s.clients);
        if (load.equals("set")) {
            master.redisBenchmark(s.pipeline, s.writes, s.keyspace, s.size, "-c", c, "-t", "set");
            return;
        }
        if (!load.equals("mixed")) {
            throw new IllegalArgumentException("unknown load " + load);
        }
        int n = s.writes / 4;
        master.redisBenchmark(s.pipeline, n, s.keyspace, s.size, "-c", c, "-t", "set");
        master.redisBenchmark(s.pipeline, n, s.keyspace, s.size, "-c", c, "INCR", "counter:__rand_int__");
        master.redisBenchmark(s.pipeline, n, s.keyspace, s.size, "-c", c, "LPUSH", "list:__rand_int__",
                "element-of-the-list");
        master.redisBenchmark(s.pipeline, n, s.keyspace, s.size, "-c", c, "HSET", "hash:__rand_int__",
                "field:__rand_int__", "value-of-the-field");
    }

    /** The master's next LSN of every shard ({@code DFLY REPLICAOFFSET}). */
    private static long[] offsets(RedisTarget master) {
        RespReply r = master.call("DFLY", "REPLICAOFFSET");
        if (!(r instanceof ArrayReply a)) {
            throw new IllegalStateException("DFLY REPLICAOFFSET -> " + r);
        }
        long[] out = new long[a.elements().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((IntegerReply) a.elements().get(i)).value();
        }
        return out;
    }

    /** The target holds as many keys as the master. */
    private static String check(RedisTarget master, RedisTarget redis, String load) {
        long want = master.dbsize();
        long got = redis.dbsize();
        if (want != got) {
            throw new IllegalStateException("DBSIZE: master " + want + ", target " + got);
        }
        return "; DBSIZE " + got + " = master's";
    }

    /** The master process: a {@link LiveMasterServer} JVM, or a real Dragonfly from {@code DF2REDIS_DRAGONFLY_BIN}. */
    private static final class Master implements AutoCloseable {
        final int port;
        private final Process process;
        private final AutoCloseable real;

        private Master(int port, Process process, AutoCloseable real) {
            this.port = port;
            this.process = process;
            this.real = real;
        }

        static Master start(int shards) throws Exception {
            if (System.getenv(RealDragonfly.BIN_ENV) != null) {
                RealDragonfly d = RealDragonfly.start(DragonflySpec.builder().shards(shards).backlogLength(1_000_000)
                        .build());
                return new Master(d.port(), null, d);
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xms2g", "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                    LiveMasterServer.class.getName(), Integer.toString(shards), "1000000")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("port ")) {
                p.destroyForcibly();
                throw new IllegalStateException("the master did not start: " + line);
            }
            return new Master(Integer.parseInt(line.substring(5).trim()), p, null);
        }

        String address() {
            return "127.0.0.1:" + port;
        }

        @Override
        public void close() throws Exception {
            if (real != null) {
                real.close();
                return;
            }
            process.getOutputStream().close();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
