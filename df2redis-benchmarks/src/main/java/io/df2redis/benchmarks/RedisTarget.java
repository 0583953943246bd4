package io.df2redis.benchmarks;

import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.resp.SimpleString;
import io.df2redis.protocol.client.RespClient;
import io.df2redis.protocol.client.RespClientOptions;
import io.df2redis.protocol.net.HostAndPort;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Redis server the harnesses write into: a {@code redis-server} this process starts on a free
 * loopback port without persistence ({@code --save '' --appendonly no}), or one given as
 * {@code host:port}. Also runs {@code redis-benchmark} against it, the same-run reference.
 */
final class RedisTarget implements AutoCloseable {
    private static final Pattern RPS = Pattern.compile("([A-Za-z_:]+): ([0-9.]+) requests per second");

    final String host;
    final int port;
    private final Process process;
    private final Path dir;
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final RespClient admin;
    private final java.util.concurrent.atomic.AtomicLong adminCalls = new java.util.concurrent.atomic.AtomicLong();

    private RedisTarget(String host, int port, Process process, Path dir) {
        this.host = host;
        this.port = port;
        this.process = process;
        this.dir = dir;
        this.admin = RespClient.connect(group, HostAndPort.of(host, port),
                RespClientOptions.builder().name("harness-admin").connectTimeout(Duration.ofSeconds(5)).build())
                .toCompletableFuture().join();
    }

    /** {@code "start"} (or null): a new redis-server on a free loopback port; else {@code host:port}. */
    static RedisTarget open(String spec) throws Exception {
        if (spec != null && !spec.equals("start")) {
            HostAndPort hp = HostAndPort.parse(spec);
            return new RedisTarget(hp.host(), hp.port(), null, null);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("df2redis-bench-redis");
        Process p = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                "--logfile", dir.resolve("redis.log").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("redis-server did not start on port " + port + ", see " + dir);
                }
                Thread.sleep(20);
            }
        }
        RedisTarget t = new RedisTarget("127.0.0.1", port, p, dir);
        for (int i = 0; i < 250; i++) { // wait for LOADING to end
            if (t.call("PING") instanceof SimpleString) {
                break;
            }
            Thread.sleep(20);
        }
        return t;
    }

    String address() {
        return host + ":" + port;
    }

    /** Commands this object sent (they count in the server's total_commands_processed). */
    long adminCalls() {
        return adminCalls.get();
    }

    /** The server's total_commands_processed (the INFO call itself not yet included). */
    long commandsProcessed() {
        for (String line : info("stats").split("\r?\n")) {
            if (line.startsWith("total_commands_processed:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new IllegalStateException("no total_commands_processed in INFO stats");
    }

    RespReply call(String... args) {
        adminCalls.incrementAndGet();
        List<byte[]> a = new ArrayList<>(args.length);
        for (String s : args) {
            a.add(s.getBytes(StandardCharsets.UTF_8));
        }
        try {
            return admin.send(a).toCompletableFuture().get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException(String.join(" ", args) + ": " + e, e);
        }
    }

    void flushAll() {
        RespReply r = call("FLUSHALL");
        if (r instanceof ErrorReply e) {
            throw new IllegalStateException("FLUSHALL: " + e.message());
        }
    }

    long dbsize() {
        return ((IntegerReply) call("DBSIZE")).value();
    }

    long integer(String... args) {
        RespReply r = call(args);
        if (r instanceof IntegerReply i) {
            return i.value();
        }
        throw new IllegalStateException(String.join(" ", args) + " -> " + r);
    }

    String info(String section) {
        RespReply r = call("INFO", section);
        return r instanceof BulkString b ? b.asString() : String.valueOf(r);
    }

    /** used_cpu_sys + used_cpu_user of the server, seconds. */
    double serverCpuSeconds() {
        double s = 0;
        for (String line : info("cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                s += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return s;
    }

    String version() {
        for (String line : info("server").split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).trim();
            }
        }
        return "?";
    }

    /** Module names as {@code MODULE LIST} reports them (for {@code TargetInfo.parse}). */
    java.util.Set<String> modules() {
        java.util.Set<String> out = new java.util.HashSet<>();
        RespReply r = call("MODULE", "LIST");
        if (r instanceof ArrayReply a) {
            for (RespReply m : a.elements()) {
                if (m instanceof ArrayReply kv) {
                    for (int i = 0; i + 1 < kv.elements().size(); i += 2) {
                        if (kv.elements().get(i) instanceof BulkString k && k.asString().equals("name")
                                && kv.elements().get(i + 1) instanceof BulkString v) {
                            out.add(v.asString());
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Runs {@code redis-benchmark -h H -p P -P pipeline -n requests -r keyspace -d size -q <test>}
     * (test: {@code -t set} style name, or a whole command after {@code --}) and returns the
     * requests/s it prints. The command line is echoed for the record.
     */
    double redisBenchmark(int pipeline, long requests, long keyspace, int dataSize, String... test) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("redis-benchmark", "-h", host, "-p", Integer.toString(port),
                "-P", Integer.toString(pipeline), "-n", Long.toString(requests), "-r", Long.toString(keyspace),
                "-d", Integer.toString(dataSize), "-q"));
        cmd.addAll(List.of(test));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            int c;
            while ((c = r.read()) != -1) {
                all.append((char) c);
            }
        }
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + all);
        }
        double rps = -1;
        // -q prints progress lines ending in \r, then the final "NAME: x requests per second, p50=…"
        for (String line : all.toString().split("[\r\n]+")) {
            Matcher m = RPS.matcher(line);
            if (m.find()) {
                rps = Double.parseDouble(m.group(2));
            }
        }
        if (rps < 0) {
            throw new IllegalStateException("no requests per second in the output of " + String.join(" ", cmd)
                    + ": " + all);
        }
        return rps;
    }

    static String commandLine(int pipeline, long requests, long keyspace, int dataSize, String... test) {
        return String.format(Locale.ROOT, "redis-benchmark -h 127.0.0.1 -p PORT -P %d -n %d -r %d -d %d -q %s",
                pipeline, requests, keyspace, dataSize, String.join(" ", test));
    }

    @Override
    public void close() throws Exception {
        admin.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
