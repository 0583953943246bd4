package io.df2redis.testkit.dragonfly;

import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.tools.SyncRespClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Dragonfly master, when the environment provides one: {@value #BIN_ENV} names a binary
 * started on a free loopback port with the spec's flags (a fresh process per scenario);
 * {@value #ADDR_ENV} (host:port) names a running one, flushed before use (its flags are whatever
 * it was started with, so scenarios that need flags it lacks cannot be checked against it);
 * otherwise, when a Docker engine is available, the official image through Testcontainers
 * (an optional dependency).
 */
public final class RealDragonfly implements DragonflyUnderTest {
    /** Environment variable naming a Dragonfly binary. */
    public static final String BIN_ENV = "DF2REDIS_DRAGONFLY_BIN";
    /** Environment variable naming a running Dragonfly ({@code host:port}). */
    public static final String ADDR_ENV = "DF2REDIS_DRAGONFLY_ADDR";

    private final String host;
    private final int port;
    private final DragonflySpec spec;
    private final List<String> command; // the binary's command line, or null
    private volatile Process process; // replaced by restart()
    private final Path dir;
    private final AutoCloseable container;
    private final String how;

    private RealDragonfly(String host, int port, DragonflySpec spec, Process process, Path dir,
            AutoCloseable container, String how) {
        this(host, port, spec, null, process, dir, container, how);
    }

    private RealDragonfly(String host, int port, DragonflySpec spec, List<String> command, Process process, Path dir,
            AutoCloseable container, String how) {
        this.command = command;
        this.host = host;
        this.port = port;
        this.spec = spec;
        this.process = process;
        this.dir = dir;
        this.container = container;
        this.how = how;
    }

    /** How a real Dragonfly can be had here ({@code binary …}, {@code address …}, {@code testcontainers}), if at all. */
    public static Optional<String> availability() {
        if (System.getenv(BIN_ENV) != null) {
            return Optional.of("binary " + System.getenv(BIN_ENV));
        }
        if (System.getenv(ADDR_ENV) != null) {
            return Optional.of("address " + System.getenv(ADDR_ENV));
        }
        if (dockerAvailable()) {
            return Optional.of("testcontainers");
        }
        return Optional.empty();
    }

    /** Whether each {@link #start} gets a fresh master with the spec's flags (false for {@value #ADDR_ENV}). */
    public static boolean startsFresh() {
        return System.getenv(ADDR_ENV) == null;
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

    /** Starts (or connects to) a real master as {@code spec} says, and creates its ACL user if any. */
    public static RealDragonfly start(DragonflySpec spec) throws Exception {
        String bin = System.getenv(BIN_ENV);
        RealDragonfly d;
        if (bin != null) {
            int port = freePort();
            Path dir = Files.createTempDirectory("df2redis-dragonfly");
            List<String> cmd = new ArrayList<>(List.of(bin, "--bind", "127.0.0.1", "--port", Integer.toString(port),
                    "--dir", dir.toString(), "--dbfilename=", "--logtostderr"));
            cmd.addAll(spec.realFlags());
            Process p = launch(cmd, dir);
            d = new RealDragonfly("127.0.0.1", port, spec, List.copyOf(cmd), p, dir, null, "binary");
        } else if (System.getenv(ADDR_ENV) != null) {
            HostAndPort addr = HostAndPort.parse(System.getenv(ADDR_ENV));
            d = new RealDragonfly(addr.host(), addr.port(), spec, null, null, null, "address");
        } else {
            d = Containers.start(spec);
        }
        try {
            d.awaitPing(Duration.ofSeconds(30));
            d.createAclUser();
            if (!startsFresh()) {
                d.requireMatching(spec);
                try (SyncRespClient c = d.client()) {
                    c.ok("FLUSHALL");
                }
            }
            return d;
        } catch (Exception e) {
            d.close();
            throw e;
        }
    }

    /**
     * A running master ({@value #ADDR_ENV}) was started with flags this code cannot set: a
     * scenario that needs other flags is aborted (a JUnit assumption, reported as skipped with
     * the reason) rather than run against a master it does not describe.
     */
    private void requireMatching(DragonflySpec spec) throws IOException {
        String why = null;
        if (spec.tls() || spec.password() != null) {
            why = "TLS or a password";
        } else if (spec.backlogLength() >= 0 || spec.chunkSize() > 0 || spec.snapshotEgressLimit() > 0
                || spec.compression() != io.df2redis.testkit.CompressionMode.LZ4) {
            why = "master flags (" + spec + ")";
        } else if (flows() != spec.shards()) {
            why = spec.shards() + " shards (the running master has " + flows() + ")";
        }
        if (why != null) {
            org.junit.jupiter.api.Assumptions.abort("this scenario needs " + why + ", which the running master at "
                    + ADDR_ENV + " was not started with: set " + BIN_ENV + " to run it against a real Dragonfly");
        }
    }

    /** Testcontainers, loaded only when Docker is there. */
    static final class Containers {
        private Containers() {
        }

        static RealDragonfly start(DragonflySpec spec) {
            if (spec.tls()) {
                throw new IllegalStateException("TLS scenarios need " + BIN_ENV + " (certificate files on this host)");
            }
            org.testcontainers.containers.GenericContainer<?> c = new org.testcontainers.containers.GenericContainer<>(
                    org.testcontainers.utility.DockerImageName.parse("docker.dragonflydb.io/dragonflydb/dragonfly"))
                    .withExposedPorts(6379)
                    .withCommand(String.join(" ", spec.realFlags()));
            c.start();
            return new RealDragonfly(c.getHost(), c.getMappedPort(6379), spec, null, null, c::stop, "testcontainers");
        }
    }

    private static Process launch(List<String> cmd, Path dir) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dragonfly.log").toFile())).start();
    }

    private void createAclUser() throws IOException {
        if (spec.aclUser() != null) {
            try (SyncRespClient c = client()) {
                c.ok("ACL", "SETUSER", spec.aclUser(), "on", ">" + spec.aclPassword(), "~*", "+@all");
            }
        }
    }

    /**
     * Stops the binary's process and starts it again with the same command line and port: a new
     * replication id and an empty data set (no snapshot file). Aborts the scenario for a master
     * this kit did not start.
     */
    @Override
    public void restart() throws Exception {
        if (command == null) {
            org.junit.jupiter.api.Assumptions.abort("this scenario restarts the master, which only a Dragonfly "
                    + "started from " + BIN_ENV + " can do (this one is the " + how + ")");
        }
        Process old = process;
        old.destroy();
        if (!old.waitFor(10, TimeUnit.SECONDS)) {
            old.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        process = launch(command, dir);
        awaitPing(Duration.ofSeconds(30));
        createAclUser();
    }

    private void awaitPing(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IOException("dragonfly exited with " + process.exitValue() + "; log: "
                        + Files.readString(dir.resolve("dragonfly.log")));
            }
            if (spec.tls()) {
                // the certificate may be made for another name (a test of that): an open port will do
                try (java.net.Socket s = new java.net.Socket()) {
                    s.connect(new java.net.InetSocketAddress(host, port), 1000);
                    return;
                } catch (IOException e) {
                    last = e;
                }
            } else {
                try (SyncRespClient c = client()) {
                    RespReply r = c.call("PING");
                    if (!(r instanceof ErrorReply e) || !e.message().startsWith("LOADING")) {
                        return;
                    }
                } catch (IOException | io.df2redis.protocol.client.RespClientException e) {
                    last = e;
                }
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IOException("dragonfly did not answer PING within " + timeout, last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public String name() {
        return "real dragonfly, " + how + " (" + spec + ")";
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public DragonflySpec spec() {
        return spec;
    }

    @Override
    public Optional<EmbeddedDragonflyMaster> embedded() {
        return Optional.empty();
    }

    /** The master's log file (binary mode), for a failing test's message; empty otherwise. */
    public Optional<Path> log() {
        return dir == null ? Optional.empty() : Optional.of(dir.resolve("dragonfly.log"));
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (container != null) {
            container.close();
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
