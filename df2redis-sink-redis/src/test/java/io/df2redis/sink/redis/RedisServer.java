package io.df2redis.sink.redis;

import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.sink.redis.internal.RespConnection;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} on a free loopback port, for one test class. When the binary is
 * missing the tests are skipped, except with {@code CI=true}, where they fail.
 */
final class RedisServer implements AutoCloseable {
    private static final String[] CANDIDATES = {"/usr/bin/redis-server", "/usr/local/bin/redis-server"};

    private final String binary;
    private final Path dir;
    private final int port;
    private final List<String> extra;
    private Process process;
    private EventLoopGroup group;
    private RespConnection client;

    private RedisServer(String binary, Path dir, int port, List<String> extra) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.extra = extra;
    }

    static RedisServer start(String... extraArgs) throws Exception {
        String bin = findBinary();
        String msg = "redis-server not found (looked in PATH and " + String.join(", ", CANDIDATES) + ")";
        if (bin == null && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(msg + ": required when CI=true");
        }
        // outside CI, a machine without redis-server skips the Redis-backed tests
        Assumptions.assumeTrue(bin != null, msg + ": skipping");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RedisServer r = new RedisServer(bin, Files.createTempDirectory("df2redis-redis-"), port, List.of(extraArgs));
        r.launch();
        return r;
    }

    private static String findBinary() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                File f = new File(d, "redis-server");
                if (f.canExecute()) {
                    return f.getPath();
                }
            }
        }
        for (String c : CANDIDATES) {
            if (new File(c).canExecute()) {
                return c;
            }
        }
        return null;
    }

    /** Starts the process (again, on the same port and directory). */
    void launch() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        cmd.addAll(extra);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                new Socket("127.0.0.1", port).close();
                break;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("redis-server did not start: "
                            + Files.readString(dir.resolve("redis.log")), e);
                }
                Thread.sleep(20);
            }
        }
        if (client != null) {
            client.close();
            client = null;
        }
    }

    /** Kills the process (SIGKILL) and waits for it. */
    void kill() throws InterruptedException {
        if (client != null) {
            client.close();
            client = null;
        }
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    int port() {
        return port;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    /** Sends a command on the test's own connection and returns the reply (errors become AssertionErrors). */
    RespReply call(Object... args) {
        RespReply r = callRaw(args);
        if (r instanceof ErrorReply e) {
            throw new AssertionError("redis " + args[0] + ": " + e.message());
        }
        return r;
    }

    RespReply callRaw(Object... args) {
        try {
            if (client == null || !client.isActive()) {
                if (group == null) {
                    group = new NioEventLoopGroup(1);
                }
                client = RespConnection.connect(group, "127.0.0.1", port, null, Duration.ofSeconds(5), 64, "test");
            }
            List<byte[]> a = new ArrayList<>();
            for (Object o : args) {
                a.add(o instanceof byte[] b ? b : String.valueOf(o).getBytes(StandardCharsets.UTF_8));
            }
            return client.send(a).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("redis " + args[0] + " failed: " + e, e);
        }
    }

    @Override
    public void close() throws IOException {
        if (client != null) {
            client.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
