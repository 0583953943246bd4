package io.df2redis.benchmarks;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.replica.FlowStats;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.testkit.CompressionMode;
import io.df2redis.testkit.EmbeddedDragonflyMaster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * End-to-end throughput of {@link RedisSink}: the test kit's embedded master (LZ4, loopback) →
 * {@link Replicator} → {@code RedisSink} → a real {@code redis-server}, each figure against
 * {@code redis-benchmark -P 64} run against the same server in the same round, just before and
 * just after the measurement (the reference is the mean of the two).
 *
 * <ul>
 *   <li><b>full sync</b>, per shape (small strings; hashes of 10 fields; a few big lists): from
 *       {@code Replicator.start()} until {@code awaitFullSync} returned (every snapshot event's
 *       sink stage completed, i.e. Redis answered every command) and the target's DBSIZE is the
 *       key count. Rate in elements/s (keys for strings, fields for hashes, elements for lists)
 *       and MB/s of key + element bytes. Reference: {@code -t set} / {@code -t hset} /
 *       {@code -t lpush} with as many requests as elements, same data size.</li>
 *   <li><b>stable sync</b>: after the strings full sync, {@code writes} {@code SET}s of the same
 *       value size through {@code master.write}; from the first write until every flow's applied
 *       LSN reached the master's next LSN. Reference: {@code -t set -n writes}.</li>
 *   <li><b>the cost of exactly-once</b> ({@code --checkpoint both}, the default): the strings full
 *       sync and the stable-sync burst again with {@code RedisSink.checkpointStore()} (every journal
 *       entry in a {@code MULTI … EXEC} with the position it reaches), reported as the ratio of the
 *       two stable-sync ratios per round. {@code none} / {@code target}: only without / with.</li>
 * </ul>
 *
 * <pre>java -cp df2redis-benchmarks/target/benchmarks.jar io.df2redis.benchmarks.RedisSinkHarness
 *     [--redis start|host:port] [--rounds 5] [--shards 4] [--keys 200000] [--value 64]
 *     [--hash-keys 50000] [--lists 4] [--list-len 100000] [--writes 200000] [--checkpoint both]</pre>
 *
 * With {@code --redis host:port} the server is FLUSHALLed before every measurement.
 */
public final class RedisSinkHarness {
    private static final int PIPELINE = 64;

    private RedisSinkHarness() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("redis", "start", "rounds", "5", "shards", "4",
                "keys", "200000", "value", "64", "hash-keys", "50000", "lists", "4", "list-len", "100000",
                "writes", "200000", "checkpoint", "both"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--") || !o.containsKey(args[i].substring(2))) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + o.keySet());
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        int rounds = Integer.parseInt(o.get("rounds"));
        int shards = Integer.parseInt(o.get("shards"));
        int keys = Integer.parseInt(o.get("keys"));
        int value = Integer.parseInt(o.get("value"));
        int hashKeys = Integer.parseInt(o.get("hash-keys"));
        int lists = Integer.parseInt(o.get("lists"));
        int listLen = Integer.parseInt(o.get("list-len"));
        int writes = Integer.parseInt(o.get("writes"));
        String checkpoint = o.get("checkpoint");
        if (!List.of("none", "target", "both").contains(checkpoint)) {
            throw new IllegalArgumentException("--checkpoint none|target|both, not " + checkpoint);
        }

        Shape strings = new Shape("strings", keys, keys, stringData(keys, value), value,
                new String[] {"-t", "set"});
        Shape hashes = new Shape("hash10", hashKeys, hashKeys * 10L, hashData(hashKeys), 16,
                new String[] {"-t", "hset"});
        Shape bigLists = new Shape("biglists", lists, (long) lists * listLen, listData(lists, listLen), 16,
                new String[] {"-t", "lpush"});
        List<Shape> shapes = List.of(strings, hashes, bigLists);

        try (RedisTarget redis = RedisTarget.open(o.get("redis"))) {
            System.out.printf(Locale.ROOT, "# redis-server %s at %s; %d cores; %s %s; options %s%n", redis.version(),
                    redis.address(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), o);
            for (Shape s : shapes) {
                System.out.printf(Locale.ROOT, "# shape %s: %d keys, %d elements, %.1f MB of key+element bytes; "
                                + "reference %s%n", s.name, s.keys, s.elements, s.bytes / 1e6,
                        RedisTarget.commandLine(PIPELINE, s.elements, s.refKeyspace(), s.refDataSize, s.refTest));
            }
            System.out.printf(Locale.ROOT, "# stable sync: %d SETs of %d B; reference %s%n", writes, value,
                    RedisTarget.commandLine(PIPELINE, writes, writes, value, "-t", "set"));
            Map<String, List<double[]>> results = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                System.out.printf(Locale.ROOT, "round %d%s%n", round, round == 1 ? " (cold JIT: not summarised)" : "");
                for (Shape s : shapes) {
                    double[] full = fullSync(redis, s, shards, s == strings ? writes : 0, value, round > 1 ? results : null,
                            !checkpoint.equals("target"), false);
                    if (round > 1 && full != null) {
                        results.computeIfAbsent("full sync " + s.name, k -> new ArrayList<>()).add(full);
                    }
                    if (s == strings && !checkpoint.equals("none")) {
                        // the same full sync and stable-sync burst with the sink's exactly-once checkpoint
                        double[] x = fullSync(redis, s, shards, writes, value, round > 1 ? results : null, true, true);
                        if (round > 1) {
                            results.computeIfAbsent("full sync " + s.name + " +ckpt", k -> new ArrayList<>()).add(x);
                        }
                    }
                }
            }
            System.out.println("summary over rounds 2.." + rounds + " (median [min - max])");
            for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
                List<double[]> l = e.getValue();
                System.out.printf(Locale.ROOT, "  %-20s %s elements/s | reference %s req/s | ratio %s%n", e.getKey(),
                        summary(l, 0, "%.0f"), summary(l, 1, "%.0f"), summary(l, 2, "%.3f"));
            }
            List<double[]> plain = results.get("stable sync SET");
            List<double[]> ckpt = results.get("stable sync SET +ckpt");
            if (plain != null && ckpt != null) {
                // per round: the exactly-once rate over the plain rate (each already against its own reference)
                List<double[]> cost = new ArrayList<>();
                for (int i = 0; i < Math.min(plain.size(), ckpt.size()); i++) {
                    cost.add(new double[] {ckpt.get(i)[2] / plain.get(i)[2]});
                }
                System.out.printf(Locale.ROOT, "  stable sync with the in-target checkpoint / without (ratio of the "
                        + "ratios, per round): %s%n", summary(cost, 0, "%.3f"));
            }
        }
    }

    /** Runs the full sync of {@code s} (and, when {@code writes > 0}, a stable-sync burst after it). */
    private static double[] fullSync(RedisTarget redis, Shape s, int shards, int writes, int value,
                                     Map<String, List<double[]>> results, boolean measure, boolean exact)
            throws Exception {
        if (!measure) {
            return null;
        }
        redis.flushAll();
        double refBefore = redis.redisBenchmark(PIPELINE, s.elements, s.refKeyspace(), s.refDataSize, s.refTest);
        redis.flushAll();
        double[] out;
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(shards)
                .compression(CompressionMode.LZ4).start()) {
            m.putAll(0, s.data);
            RedisSink sink = RedisSink.standalone(redis.address()).build();
            Replicator.Builder rb = Replicator.builder().source(m.host(), m.port()).ownedSink(sink);
            if (exact) {
                rb.checkpointStore(sink.checkpointStore());
            }
            try (Replicator r = rb.build()) {
                System.gc();
                long base = redis.commandsProcessed();
                long adminBase = redis.adminCalls();
                long t0 = System.nanoTime();
                r.start();
                if (!r.awaitFullSync(Duration.ofMinutes(10))) {
                    throw new IllegalStateException("full sync did not finish: " + r.state());
                }
                double awaitSecs = (System.nanoTime() - t0) / 1e9;
                // awaitFullSync returns once every snapshot event was handed to the sink, not when Redis
                // answered it: wait until Redis processed every command the sink sent (plus our INFO calls)
                long sent = sink.stats().commands();
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (redis.commandsProcessed() - base < sent + (redis.adminCalls() - adminBase - 1)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(s.name + ": Redis did not process the sink's " + sent + " commands");
                    }
                    Thread.sleep(1);
                }
                long dbsize = redis.dbsize();
                double secs = (System.nanoTime() - t0) / 1e9;
                if (dbsize != s.keys + (exact ? 1 : 0)) { // + the checkpoint hash
                    throw new IllegalStateException(s.name + ": DBSIZE " + dbsize + " after full sync, expected " + s.keys);
                }
                if (sink.stats().errors() != 0) {
                    throw new IllegalStateException(s.name + ": sink errors " + sink.stats());
                }
                double refAfter = redis.redisBenchmark(PIPELINE, s.elements, s.refKeyspace(), s.refDataSize, s.refTest);
                double ref = (refBefore + refAfter) / 2;
                double rate = s.elements / secs;
                out = new double[] {rate, ref, rate / ref};
                System.out.printf(Locale.ROOT, "  full sync %-8s %9d elements in %6.3f s = %9.0f elements/s, %6.1f MB/s"
                                + " (awaitFullSync at %.3f s) | redis-benchmark %s: %.0f / %.0f req/s -> ratio %.3f%n", s.name,
                        s.elements, secs, rate, s.bytes / 1e6 / secs, awaitSecs, String.join(" ", s.refTest), refBefore, refAfter, out[2]);
                if (writes > 0) {
                    double[] st = stableSync(redis, m, r, sink, writes, value, exact);
                    if (results != null) {
                        results.computeIfAbsent("stable sync SET" + (exact ? " +ckpt" : ""), k -> new ArrayList<>())
                                .add(st);
                    }
                }
            }
        }
        return out;
    }

    private static double[] stableSync(RedisTarget redis, EmbeddedDragonflyMaster m, Replicator r, RedisSink sink,
                                       int writes, int value, boolean exact) throws Exception {
        if (!r.awaitStableSync(Duration.ofMinutes(1))) {
            throw new IllegalStateException("no stable sync");
        }
        byte[] set = "SET".getBytes(StandardCharsets.US_ASCII);
        byte[] v = new byte[value];
        Arrays.fill(v, (byte) 'v');
        List<List<byte[]>> cmds = new ArrayList<>(writes);
        for (int i = 0; i < writes; i++) {
            cmds.add(List.of(set, ("live:" + i).getBytes(StandardCharsets.US_ASCII), v));
        }
        double refBefore = redis.redisBenchmark(PIPELINE, writes, writes, value, "-t", "set");
        // redis-benchmark's keys are "key:NNNNNNNNNNNN": remove them so the DBSIZE check stays exact
        redis.call("EVAL", "local n = 0 for _, k in ipairs(redis.call('KEYS', 'key:*')) do redis.call('UNLINK', k) "
                + "n = n + 1 end return n", "0");
        long before = redis.dbsize();
        System.gc();
        long w0 = System.nanoTime();
        for (List<byte[]> c : cmds) {
            m.write(0, c);
        }
        double journalSecs = (System.nanoTime() - w0) / 1e9;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!caughtUp(m, r)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stable sync did not catch up: " + r.stats());
            }
            Thread.onSpinWait();
        }
        double secs = (System.nanoTime() - w0) / 1e9;
        long after = redis.dbsize();
        if (after - before != writes || sink.stats().errors() != 0) {
            throw new IllegalStateException("stable sync: DBSIZE " + before + " -> " + after + ", errors "
                    + sink.stats().errors());
        }
        double refAfter = redis.redisBenchmark(PIPELINE, writes, writes, value, "-t", "set");
        double ref = (refBefore + refAfter) / 2;
        double rate = writes / secs;
        System.out.printf(Locale.ROOT, "  stable sync SET%s %9d writes   in %6.3f s = %9.0f writes/s (master journaled "
                        + "them at %.0f/s) | redis-benchmark -t set: %.0f / %.0f req/s -> ratio %.3f%n",
                exact ? " +ckpt" : "      ", writes, secs,
                rate, writes / journalSecs, refBefore, refAfter, rate / ref);
        return new double[] {rate, ref, rate / ref};
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

    private static String summary(List<double[]> l, int col, String fmt) {
        double[] v = l.stream().mapToDouble(a -> a[col]).sorted().toArray();
        double med = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return String.format(Locale.ROOT, fmt + " [" + fmt + " - " + fmt + "]", med, v[0], v[v.length - 1]);
    }

    // ----------------------------------------------------------------- datasets

    private static List<RdbKeyValue> stringData(int n, int size) {
        List<RdbKeyValue> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(RdbKeyValue.of("str:" + i, RdbValue.string(filled("s" + i + ":", size))));
        }
        return out;
    }

    private static List<RdbKeyValue> hashData(int n) {
        List<RdbKeyValue> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<byte[]> f = new ArrayList<>(10);
            List<byte[]> v = new ArrayList<>(10);
            for (int j = 0; j < 10; j++) {
                f.add(("field" + j).getBytes(StandardCharsets.US_ASCII));
                v.add(filled("h" + i + "." + j + ":", 16));
            }
            out.add(RdbKeyValue.of("hash:" + i, RdbValue.hash(f, v)));
        }
        return out;
    }

    private static List<RdbKeyValue> listData(int n, int len) {
        List<RdbKeyValue> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<byte[]> e = new ArrayList<>(len);
            for (int j = 0; j < len; j++) {
                e.add(filled("e" + j + ":", 16));
            }
            out.add(RdbKeyValue.of("list:" + i, RdbValue.list(e)));
        }
        return out;
    }

    /** {@code prefix} padded with 'x' to {@code size} bytes (never int-encodable). */
    static byte[] filled(String prefix, int size) {
        byte[] b = new byte[Math.max(size, prefix.length())];
        Arrays.fill(b, (byte) 'x');
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(p, 0, b, 0, p.length);
        return b;
    }

    private static final class Shape {
        final String name;
        final long keys;
        final long elements;
        final List<RdbKeyValue> data;
        final long bytes;
        final int refDataSize;
        final String[] refTest;

        Shape(String name, long keys, long elements, List<RdbKeyValue> data, int refDataSize, String[] refTest) {
            this.name = name;
            this.keys = keys;
            this.elements = elements;
            this.data = data;
            this.refDataSize = refDataSize;
            this.refTest = refTest;
            long b = 0;
            for (RdbKeyValue kv : data) {
                b += kv.key().length;
                if (kv.value() instanceof RdbValue.StringValue sv) {
                    b += sv.bytes().length;
                } else if (kv.value() instanceof RdbValue.HashValue h) {
                    for (int i = 0; i < h.fields().size(); i++) {
                        b += h.fields().get(i).length + h.values().get(i).length;
                    }
                } else if (kv.value() instanceof RdbValue.ListValue l) {
                    for (byte[] e : l.elements()) {
                        b += e.length;
                    }
                }
            }
            this.bytes = b;
        }

        /** -r of the reference: as many distinct keys as the shape has (lists: one list anyway). */
        long refKeyspace() {
            return Math.max(1, keys);
        }
    }
}
