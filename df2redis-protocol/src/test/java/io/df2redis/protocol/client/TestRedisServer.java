package io.df2redis.protocol.client;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for this module's tests (the testkit's launcher is not a dependency
 * of the protocol module): a free loopback port, a temporary directory, no RDB saves, no AOF,
 * plus the given arguments. Skips the calling test (JUnit assumption) when the binary is missing,
 * except with {@code CI=true}, where it fails.
 */
final class TestRedisServer implements AutoCloseable {
    private static final String[] CANDIDATES = {"/usr/bin/redis-server", "/usr/local/bin/redis-server"};

    private final Process process;
    private final Path dir;
    private final int port;

    private TestRedisServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts a server with {@code extraArgs} (e.g. {@code "--requirepass", "pw"}), waiting until it listens. */
    static TestRedisServer start(String... extraArgs) throws Exception {
        String bin = null;
        for (String c : CANDIDATES) {
            if (new File(c).canExecute()) {
                bin = c;
                break;
            }
        }
        if (bin == null && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("redis-server not found: required when CI=true");
        }
        Assumptions.assumeTrue(bin != null, "redis-server not found: skipping");
        int port = freePort();
        Path dir = Files.createTempDirectory("df2redis-protocol-redis-");
        List<String> cmd = new ArrayList<>(List.of(bin, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        TestRedisServer s = new TestRedisServer(p, dir, port);
        s.awaitListening(port);
        return s;
    }

    /** A port nobody listens on right now. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits (with a deadline) until something accepts connections on {@code p}. */
    void awaitListening(int p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                new Socket("127.0.0.1", p).close();
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    close();
                    throw new IllegalStateException("redis-server did not start: " + log(), e);
                }
                Thread.sleep(20);
            }
        }
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    String log() throws IOException {
        Path l = dir.resolve("redis.log");
        return Files.exists(l) ? Files.readString(l) : "";
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
