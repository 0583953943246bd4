package io.df2redis.benchmarks;

import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.RespReply;

import java.io.BufferedReader;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Issue 13's bounded-memory check: a full sync of a big {@link SyntheticDataset} (10 M keys, or a
 * 1 GiB list) by a replicator whose heap is capped ({@code -Xmx256m}), with the master
 * ({@link SyntheticMaster}) in a separate JVM. For every mode ({@code listener}: a counting
 * listener; {@code redis}: into a {@code redis-server} this harness starts, through
 * {@code RedisSink}) it starts a fresh master and a {@link BoundedMemoryRun} child JVM with the heap
 * limit and a GC log, then checks the count (listener) or DBSIZE, the list's length and sampled
 * values (Redis), and prints one table row: live heap after a forced full GC at 25/50/75/100 % of
 * the sync, the highest heap after any GC, duration and spill.
 *
 * <pre>java -cp benchmarks.jar:JUNIT_API:OPENTEST4J io.df2redis.benchmarks.BoundedMemoryHarness
 *     --keys 10000000 [--list-elements 0] [--xmx 256m] [--modes listener,redis] [--flows 2]
 *     [--value-bytes 32] [--list-element-bytes 128] [--lz4 true] [--out target/bounded-memory]
 *     [--histogram true (print the live class histogram at 25/50/75 %)]
 *     [--stall-ms 0 (each flow's listener stops once for this long: the queues fill)]</pre>
 * Exits 1 if any run failed its checks.
 */
public final class BoundedMemoryHarness {
    private BoundedMemoryHarness() {
    }

    /**
     * Runs every mode once and prints the table.
     *
     * @param args {@code --name value} pairs (see the class comment)
     * @throws Exception when a process cannot be started
     */
    public static void main(String[] args) throws Exception {
        String xmx = "256m";
        List<String> modes = List.of("listener", "redis");
        Path outDir = Path.of("df2redis-benchmarks/target/bounded-memory");
        List<String> masterArgs = new ArrayList<>();
        List<String> childArgs = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--xmx" -> xmx = args[i + 1];
                case "--modes" -> modes = Arrays.asList(args[i + 1].split(","));
                case "--out" -> outDir = Path.of(args[i + 1]);
                case "--histogram", "--stall-ms" -> childArgs.addAll(List.of(args[i], args[i + 1]));
                default -> {
                    masterArgs.add(args[i]);
                    masterArgs.add(args[i + 1]);
                }
            }
        }
        SyntheticDataset ds = SyntheticMaster.parse(masterArgs.toArray(String[]::new));
        Files.createDirectories(outDir);
        System.out.printf(Locale.ROOT, "# dataset: %s; replicator -Xmx%s; %d cores; %s %s%n", ds, xmx,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        List<String> rows = new ArrayList<>();
        boolean allOk = true;
        for (String mode : modes) {
            RedisTarget redis = mode.equals("redis") ? RedisTarget.open("start") : null;
            try {
                String name = String.format(Locale.ROOT, "%s-%dk-list%dk-%s", mode, ds.keys() / 1000,
                        ds.listElements() / 1000, xmx);
                Map<String, String> r = runOnce(ds, masterArgs, xmx, redis, outDir.resolve(name), childArgs);
                String check = check(ds, r, redis);
                allOk &= check.equals("ok");
                rows.add(row(ds, mode, xmx, r, check));
                System.out.println(rows.get(rows.size() - 1));
            } finally {
                if (redis != null) {
                    redis.close();
                }
            }
        }
        System.out.println();
        System.out.println("| keys | list | mode | -Xmx | completed | keys confirmed | live heap at 25 / 50 / 75 / 100 % "
                + "(MiB) | max heap after any GC (MiB) | duration | spilled | check |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.exit(allOk ? 0 : 1);
    }

    /**
     * One master ({@code masterArgs}) and one measured child with {@code -Xmx<xmx>}, into {@code redis} (null:
     * listener only), with {@code childArgs} for {@link BoundedMemoryRun}; the GC log goes to {@code <base>-gc.log}. Returns the child's {@code result} lines and
     * its exit status ({@code exit}).
     */
    static Map<String, String> runOnce(SyntheticDataset ds, List<String> masterArgs, String xmx,
                                               RedisTarget redis, Path base, List<String> childArgs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        List<String> mcmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", cp, SyntheticMaster.class.getName()));
        mcmd.addAll(masterArgs);
        Process master = new ProcessBuilder(mcmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader mout = new BufferedReader(new InputStreamReader(master.getInputStream(), StandardCharsets.UTF_8));
            String line = mout.readLine();
            if (line == null || !line.startsWith("port ")) {
                throw new IllegalStateException("the synthetic master did not start: " + line);
            }
            int port = Integer.parseInt(line.substring(5).trim());
            if (redis != null) {
                redis.flushAll();
            }
            List<String> ccmd = new ArrayList<>(List.of(java, "-Xmx" + xmx, "-XX:+UseG1GC",
                    "-Xlog:gc*:file=" + base + "-gc.log", "-XX:+HeapDumpOnOutOfMemoryError",
                    "-XX:HeapDumpPath=" + base + ".hprof", "-XX:+ExitOnOutOfMemoryError",
                    "-cp", cp, BoundedMemoryRun.class.getName(), "--port", Integer.toString(port),
                    "--keys", Long.toString(ds.totalKeys()), "--list-elements", Long.toString(ds.listElements())));
            ccmd.addAll(childArgs);
            if (redis != null) {
                ccmd.add("--redis");
                ccmd.add(redis.address());
            }
            Process child = new ProcessBuilder(ccmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Map<String, String> results = new LinkedHashMap<>();
            try (BufferedReader cout = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l; (l = cout.readLine()) != null; ) {
                    if (l.startsWith("result ")) {
                        String[] p = l.split(" ", 3);
                        results.put(p[1], p.length > 2 ? p[2] : "");
                    } else {
                        System.out.println(l);
                    }
                }
            }
            results.put("exit", Integer.toString(child.waitFor()));
            return results;
        } finally {
            master.getOutputStream().close();
            if (!master.waitFor(10, TimeUnit.SECONDS)) {
                master.destroyForcibly();
            }
        }
    }

    /** "ok", or what is wrong: the child's exit, its counts, and in Redis DBSIZE, LLEN and sampled values. */
    private static String check(SyntheticDataset ds, Map<String, String> r, RedisTarget redis) {
        if (!"0".equals(r.get("exit")) || !"true".equals(r.get("completed"))) {
            return "FAILED: exit " + r.get("exit") + ", completed " + r.get("completed") + ", " + r.get("failure");
        }
        if (redis == null) {
            return "ok";
        }
        long dbsize = redis.dbsize();
        if (dbsize != ds.totalKeys()) {
            return "FAILED: DBSIZE " + dbsize + ", expected " + ds.totalKeys();
        }
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 100 && ds.keys() > 0; i++) {
            long j = rnd.nextLong(ds.keys());
            if (!equal(redis.call("GET", "key:" + j), ds.value(j))) {
                return "FAILED: wrong value of key:" + j;
            }
        }
        if (ds.listElements() > 0) {
            long len = redis.integer("LLEN", SyntheticDataset.LIST_KEY);
            if (len != ds.listElements()) {
                return "FAILED: LLEN " + len + ", expected " + ds.listElements();
            }
            for (int i = 0; i < 100; i++) {
                long k = i < 2 ? i * (ds.listElements() - 1) : rnd.nextLong(ds.listElements());
                if (!equal(redis.call("LINDEX", SyntheticDataset.LIST_KEY, Long.toString(k)), ds.listElement(k))) {
                    return "FAILED: wrong list element " + k;
                }
            }
        }
        r.put("dbsize", Long.toString(dbsize));
        return "ok";
    }

    private static boolean equal(RespReply reply, byte[] expected) {
        return reply instanceof BulkString b && Arrays.equals(b.value(), expected);
    }

    private static String row(SyntheticDataset ds, String mode, String xmx, Map<String, String> r, String check) {
        String confirmed = r.containsKey("dbsize") ? "DBSIZE " + r.get("dbsize") : r.getOrDefault("entries", "-")
                + " entries";
        return String.format(Locale.ROOT, "| %,d | %s | %s | %s | %s | %s | %s / %s / %s / %s | %s | %s s | %s | %s |",
                ds.keys(), ds.listElements() > 0 ? String.format(Locale.ROOT, "%,d x %d B", ds.listElements(),
                        ds.listElementBytes()) : "-", mode, xmx, r.getOrDefault("completed", "no (exit "
                        + r.get("exit") + ")"), confirmed, mb(r, "live_25"), mb(r, "live_50"), mb(r, "live_75"),
                mb(r, "live_100"), mb(r, "max_after_gc"), r.getOrDefault("seconds", "-"),
                mb(r, "spilled_bytes_total"), check);
    }

    private static String mb(Map<String, String> r, String key) {
        String v = r.get(key);
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", Long.parseLong(v) / 1048576.0);
    }

}
