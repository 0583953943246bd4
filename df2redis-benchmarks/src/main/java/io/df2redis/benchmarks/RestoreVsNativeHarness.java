package io.df2redis.benchmarks;

import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespEncoder;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.client.RespClientOptions;
import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.sink.redis.internal.ConnectFailures;
import io.df2redis.sink.redis.internal.TargetConnection;
import io.df2redis.sink.redis.internal.TargetInfo;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Native commands against {@code RESTORE … ABSTTL REPLACE} for writing snapshot values into
 * Redis, same values, same run, same connection class ({@link TargetConnection}, the sink's, with
 * the sink's default window of 1024 unanswered commands), interleaved: every round writes every
 * shape both ways (alternating which goes first), each time into a FLUSHALLed server. See
 * {@link SnapshotWrites} for exactly what each way sends.
 *
 * <p>Per shape and way: wall time from the first command until Redis answered the last, as
 * elements/s; CPU time of the sending thread (building the commands, RDB-encoding and
 * checksumming the payloads, RESP framing) per element; redis-server CPU (INFO cpu) per element; bytes
 * on the wire. The sending thread does all the encoding (the event loop only writes); its CPU is
 * our side's cost. Each result is checked: no error reply, DBSIZE = keys, and the element count
 * of one key.
 *
 * <pre>java -cp df2redis-benchmarks/target/benchmarks.jar io.df2redis.benchmarks.RestoreVsNativeHarness
 *     [--redis start|host:port] [--rounds 8] [--shapes all|str,hash10,…] [--scale 2] [--window 1024]</pre>
 */
public final class RestoreVsNativeHarness {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private RestoreVsNativeHarness() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("redis", "start", "rounds", "8", "shapes", "all",
                "scale", "2", "window", "1024"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--") || !o.containsKey(args[i].substring(2))) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + o.keySet());
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        int rounds = Integer.parseInt(o.get("rounds"));
        int window = Integer.parseInt(o.get("window"));
        List<SnapshotWrites.Shape> shapes = SnapshotWrites.shapes(o.get("shapes"), Integer.parseInt(o.get("scale")));
        EventLoopGroup group = new NioEventLoopGroup(1);
        try (RedisTarget redis = RedisTarget.open(o.get("redis"))) {
            TargetInfo target = TargetInfo.parse(redis.info("server"), redis.modules());
            int version = target.rdbVersion();
            RdbEncoder enc = RdbEncoder.builder().rdbVersion(version).build();
            System.out.printf(Locale.ROOT, "# redis-server %s at %s (RESTORE payloads: RDB version %d); %d cores; "
                            + "%s %s; window %d; options %s%n", redis.version(), redis.address(), version,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), window, o);
            for (SnapshotWrites.Shape s : shapes) {
                if (!target.restoreType(s.restoreType().code())) {
                    throw new IllegalStateException(s.name() + ": this Redis cannot RESTORE type " + s.restoreType());
                }
                System.out.println("# shape " + SnapshotWrites.describe(s));
            }
            TargetConnection conn = TargetConnection.connect(group, HostAndPort.of(redis.host, redis.port),
                    RespClientOptions.builder().connectTimeout(Duration.ofSeconds(5)).build(), "bench", window, 0,
                    ConnectFailures.TARGET);
            Map<String, List<double[]>> results = new LinkedHashMap<>();
            try {
                for (int round = 1; round <= rounds; round++) {
                    System.out.printf(Locale.ROOT, "round %d%s%n", round, round == 1 ? " (warm-up: not summarised)" : "");
                    for (SnapshotWrites.Shape s : shapes) {
                        boolean restoreFirst = round % 2 == 0;
                        Result a = run(redis, conn, s, restoreFirst ? Way.RESTORE : Way.NATIVE, enc, version);
                        Result b = run(redis, conn, s, restoreFirst ? Way.NATIVE : Way.RESTORE, enc, version);
                        Result nat = restoreFirst ? b : a;
                        Result res = restoreFirst ? a : b;
                        double ratio = res.rate() / nat.rate();
                        System.out.printf(Locale.ROOT, "  %-8s native  %s%n  %-8s RESTORE %s -> RESTORE/native %.2f%n",
                                s.name(), nat, s.name(), res, ratio);
                        if (s.name().equals("str_ttl")) {
                            // a third way for strings with a TTL: one SET … PXAT instead of SET + PEXPIREAT
                            Result px = run(redis, conn, s, Way.SET_PXAT, enc, version);
                            System.out.printf(Locale.ROOT, "  %-8s SET PXAT %s -> SET PXAT/native %.2f%n", s.name(), px,
                                    px.rate() / nat.rate());
                            if (round > 1) {
                                results.computeIfAbsent("str_ttl SET PXAT", k -> new ArrayList<>()).add(new double[] {
                                    nat.rate(), px.rate(), px.rate() / nat.rate(), nat.clientCpuNsPerElement(),
                                    px.clientCpuNsPerElement(), nat.serverCpuNsPerElement(), px.serverCpuNsPerElement()});
                            }
                        }
                        if (round > 1) {
                            results.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(new double[] {nat.rate(),
                                    res.rate(), ratio, nat.clientCpuNsPerElement(), res.clientCpuNsPerElement(),
                                    nat.serverCpuNsPerElement(), res.serverCpuNsPerElement()});
                        }
                    }
                }
            } finally {
                conn.close();
            }
            System.out.println("summary over rounds 2.." + rounds + " (median [min - max])");
            System.out.println("  shape    | native elements/s | RESTORE elements/s | RESTORE/native | our CPU ns/element native"
                    + " / RESTORE | redis CPU ns/element native / RESTORE");
            for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
                List<double[]> l = e.getValue();
                System.out.printf(Locale.ROOT, "  %-8s | %s | %s | %s | %s / %s | %s / %s%n", e.getKey(),
                        summary(l, 0, "%.0f"), summary(l, 1, "%.0f"), summary(l, 2, "%.2f"),
                        median(l, 3, "%.0f"), median(l, 4, "%.0f"), median(l, 5, "%.0f"), median(l, 6, "%.0f"));
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    record Result(String way, long keys, long elements, long commands, long wireBytes, double seconds,
                  double clientCpuSeconds, double serverCpuSeconds, String encoding) {
        double rate() {
            return elements / seconds;
        }

        double clientCpuNsPerElement() {
            return clientCpuSeconds * 1e9 / elements;
        }

        double serverCpuNsPerElement() {
            return serverCpuSeconds * 1e9 / elements;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%8d cmds %7.1f MB in %6.3f s = %9.0f elements/s; our CPU %5.0f ns/element, "
                            + "redis CPU %5.0f ns/element; encoding %s", commands, wireBytes / 1e6, seconds, rate(),
                    clientCpuNsPerElement(), serverCpuNsPerElement(), encoding);
        }
    }

    enum Way { NATIVE, RESTORE, SET_PXAT }

    private static Result run(RedisTarget redis, TargetConnection conn, SnapshotWrites.Shape s, Way way,
                              RdbEncoder enc, int version) throws Exception {
        redis.flushAll();
        System.gc();
        double serverCpu0 = redis.serverCpuSeconds();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long[] commands = new long[1];
        long[] wire = new long[1];
        @SuppressWarnings("unchecked")
        CompletableFuture<RespReply>[] last = new CompletableFuture[1];
        java.util.function.Consumer<List<byte[]>> send = a -> {
            commands[0]++;
            wire[0] += RespEncoder.commandSize(a);
            CompletableFuture<RespReply> f = conn.send(a);
            f.thenAccept(r -> {
                if (r instanceof ErrorReply e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, e.message());
                }
            });
            last[0] = f;
        };
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (RdbKeyValue kv : s.data()) {
            switch (way) {
                case RESTORE -> send.accept(SnapshotWrites.restoreCommand(enc, kv, version));
                case NATIVE -> SnapshotWrites.nativeCommands(kv, send);
                default -> SnapshotWrites.nativeCommandsPxat(kv, send);
            }
        }
        long cpu1 = THREADS.getCurrentThreadCpuTime();
        last[0].get(5, TimeUnit.MINUTES);
        double secs = (System.nanoTime() - t0) / 1e9;
        double serverCpu = redis.serverCpuSeconds() - serverCpu0;
        if (errors.get() > 0) {
            throw new IllegalStateException(s.name() + " " + way + ": " + errors.get()
                    + " error replies, first: " + firstError.get());
        }
        long dbsize = redis.dbsize();
        if (dbsize != s.keys()) {
            throw new IllegalStateException(s.name() + ": DBSIZE " + dbsize + ", expected " + s.keys());
        }
        RdbKeyValue sample = s.data().get(s.data().size() - 1);
        String key = new String(sample.key(), java.nio.charset.StandardCharsets.UTF_8);
        String type = ((io.df2redis.protocol.resp.SimpleString) redis.call("TYPE", key)).value();
        long expected = s.elements() / s.keys();
        long got = switch (type) {
            case "string" -> 1;
            case "list" -> redis.integer("LLEN", key);
            case "hash" -> redis.integer("HLEN", key);
            case "zset" -> redis.integer("ZCARD", key);
            default -> -1;
        };
        if (got != expected) {
            throw new IllegalStateException(s.name() + ": " + key + " holds " + got + " elements, expected " + expected);
        }
        if (sample.expireAtMs() >= 0 && redis.integer("PEXPIRETIME", key) != sample.expireAtMs()) {
            throw new IllegalStateException(s.name() + ": " + key + " lost its TTL");
        }
        RespReply enc0 = redis.call("OBJECT", "ENCODING", key);
        String encoding = enc0 instanceof BulkString b ? b.asString() : String.valueOf(enc0);
        return new Result(way.toString(), s.keys(), s.elements(), commands[0], wire[0], secs,
                (cpu1 - cpu0) / 1e9, serverCpu, encoding);
    }

    private static String summary(List<double[]> l, int col, String fmt) {
        double[] v = l.stream().mapToDouble(a -> a[col]).sorted().toArray();
        return String.format(Locale.ROOT, fmt + " [" + fmt + " - " + fmt + "]", med(v), v[0], v[v.length - 1]);
    }

    private static String median(List<double[]> l, int col, String fmt) {
        return String.format(Locale.ROOT, fmt, med(l.stream().mapToDouble(a -> a[col]).sorted().toArray()));
    }

    private static double med(double[] v) {
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
