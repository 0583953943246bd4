package io.df2redis.replica.e2e;

import io.df2redis.protocol.inspect.BlockingRespClient;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real Dragonfly master for the end-to-end suite, when one is configured:
 * {@code DF2REDIS_DRAGONFLY_BIN} names a binary the tests start on a free loopback port with
 * the flags a test needs; {@code DF2REDIS_DRAGONFLY_ADDR} (host:port) names a running one (its
 * flags are whatever it was started with); otherwise, when Docker is available, the
 * {@code docker.dragonflydb.io/dragonflydb/dragonfly} image through Testcontainers.
 */
public final class RealDragonfly implements AutoCloseable {
    private final String host;
    private final int port;
    private final Process process;
    private final Path dir;
    private final AutoCloseable container;

    private RealDragonfly(String host, int port, Process process, Path dir, AutoCloseable container) {
        this.host = host;
        this.port = port;
        this.process = process;
        this.dir = dir;
        this.container = container;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** Whether a real Dragonfly can be had in this environment, and how. */
    public static Optional<String> availability() {
        if (System.getenv("DF2REDIS_DRAGONFLY_BIN") != null) {
            return Optional.of("binary " + System.getenv("DF2REDIS_DRAGONFLY_BIN"));
        }
        if (System.getenv("DF2REDIS_DRAGONFLY_ADDR") != null) {
            return Optional.of("address " + System.getenv("DF2REDIS_DRAGONFLY_ADDR"));
        }
        if (dockerAvailable()) {
            return Optional.of("testcontainers");
        }
        return Optional.empty();
    }

    /** Whether this source starts a fresh master per test (so flags apply). */
    public static boolean startsFresh() {
        return System.getenv("DF2REDIS_DRAGONFLY_ADDR") == null;
    }

    private static boolean dockerAvailable() {
        try {
            Class<?> f = Class.forName("org.testcontainers.DockerClientFactory");
            Object inst = f.getMethod("instance").invoke(null);
            return (Boolean) f.getMethod("isDockerAvailable").invoke(inst);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * Starts (or connects to) a real master. {@code flags} are Dragonfly command-line flags such
     * as {@code --proactor_threads=2}; ignored for a running address.
     */
    public static RealDragonfly start(List<String> flags) throws Exception {
        String bin = System.getenv("DF2REDIS_DRAGONFLY_BIN");
        if (bin != null) {
            int port = freePort();
            Path dir = Files.createTempDirectory("df2redis-dragonfly");
            List<String> cmd = new ArrayList<>(List.of(bin, "--bind", "127.0.0.1", "--port", Integer.toString(port),
                    "--dir", dir.toString(), "--dbfilename=", "--logtostderr"));
            cmd.addAll(flags);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("dragonfly.log").toFile()).start();
            RealDragonfly d = new RealDragonfly("127.0.0.1", port, p, dir, null);
            d.awaitPing(Duration.ofSeconds(30));
            return d;
        }
        String addr = System.getenv("DF2REDIS_DRAGONFLY_ADDR");
        if (addr != null) {
            int colon = addr.lastIndexOf(':');
            RealDragonfly d = new RealDragonfly(addr.substring(0, colon), Integer.parseInt(addr.substring(colon + 1)),
                    null, null, null);
            d.awaitPing(Duration.ofSeconds(10));
            try (BlockingRespClient c = new BlockingRespClient(d.host, d.port, null, null)) {
                c.ok("FLUSHALL");
            }
            return d;
        }
        return Containers.start(flags);
    }

    /** Testcontainers, loaded only when Docker is there. */
    static final class Containers {
        static RealDragonfly start(List<String> flags) throws Exception {
            org.testcontainers.containers.GenericContainer<?> c = new org.testcontainers.containers.GenericContainer<>(
                    org.testcontainers.utility.DockerImageName.parse("docker.dragonflydb.io/dragonflydb/dragonfly"))
                    .withExposedPorts(6379)
                    .withCommand(String.join(" ", flags));
            c.start();
            RealDragonfly d = new RealDragonfly(c.getHost(), c.getMappedPort(6379), null, null, c::stop);
            d.awaitPing(Duration.ofSeconds(30));
            return d;
        }
    }

    private void awaitPing(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IOException("dragonfly exited with " + process.exitValue() + "; log: "
                        + Files.readString(dir.resolve("dragonfly.log")));
            }
            try (BlockingRespClient c = new BlockingRespClient(host, port, null, null)) {
                c.call("PING"); // any reply (also -NOAUTH) means the server is up
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IOException("dragonfly did not answer PING within " + timeout, last);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            deleteTree(dir.toFile());
        }
        if (container != null) {
            container.close();
        }
    }

    private static void deleteTree(File f) {
        File[] kids = f.listFiles();
        if (kids != null) {
            for (File k : kids) {
                deleteTree(k);
            }
        }
        f.delete();
    }
}
