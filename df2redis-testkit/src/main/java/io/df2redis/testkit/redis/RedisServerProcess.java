package io.df2redis.testkit.redis;

import io.df2redis.protocol.client.RespClientException;
import io.df2redis.protocol.client.RespTimeoutException;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
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
 * A real {@code redis-server} on a free loopback port, in its own temporary directory (no RDB
 * saves, no AOF unless asked), for one test class. When the binary is missing (looked up in
 * {@code PATH}, then {@code /usr/bin} and {@code /usr/local/bin}) the calling test is skipped
 * with a JUnit assumption, except with {@code CI=true}, where it fails.
 */
public final class RedisServerProcess implements AutoCloseable {
    private static final String[] CANDIDATES = {"/usr/bin/redis-server", "/usr/local/bin/redis-server"};
    /** Ports tried by {@link #start} when another process takes the picked one first. */
    private static final int START_ATTEMPTS = 3;

    private final String binary;
    private final Path dir;
    private final int port;
    private final List<String> extra;
    private Process process;
    private SyncRespClient client;

    RedisServerProcess(String binary, Path dir, int port, List<String> extra) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.extra = extra;
    }

    /**
     * Starts a server with {@code extraArgs} appended to its command line (for example
     * {@code "--requirepass", "secret"}) and waits until it accepts connections.
     */
    public static RedisServerProcess start(String... extraArgs) throws Exception {
        String bin = findBinary();
        String msg = "redis-server not found (looked in PATH and " + String.join(", ", CANDIDATES) + ")";
        if (bin == null && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(msg + ": required when CI=true");
        }
        // outside CI, a machine without redis-server skips the Redis-backed tests
        Assumptions.assumeTrue(bin != null, msg + ": skipping");
        // the port is free when picked, but another process may bind it before redis-server does
        PortInUseException taken = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            RedisServerProcess r = new RedisServerProcess(bin, Files.createTempDirectory("df2redis-redis-"), port,
                    List.of(extraArgs));
            try {
                r.launch();
                return r;
            } catch (PortInUseException e) {
                r.close();
                if (taken != null) {
                    e.addSuppressed(taken);
                }
                taken = e;
            }
        }
        throw new PortInUseException("redis-server could not bind a free port in " + START_ATTEMPTS
                + " attempts (each taken by another process first)", taken);
    }

    /** {@code redis-server} exited because a port it was to listen on was taken by another process. */
    public static final class PortInUseException extends IllegalStateException {
        PortInUseException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The {@code redis-server} executable to use, or null when there is none. */
    public static String findBinary() {
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

    /**
     * Starts the process (again, on the same port and directory) and waits until it is ready: its
     * log (rewritten on each launch) says {@code Ready to accept connections}, which it logs only
     * once it listens, and the port accepts a connection. A socket that accepts alone could be
     * another process's on the same port.
     *
     * @throws PortInUseException when the server exited because its port was taken
     */
    public void launch() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--loglevel", "notice"));
        cmd.addAll(extra);
        Path log = dir.resolve("redis.log");
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            if (!process.isAlive()) {
                String text = Files.readString(log, StandardCharsets.ISO_8859_1);
                if (text.contains("Address already in use")) {
                    throw new PortInUseException("redis-server could not listen on 127.0.0.1:" + port
                            + " (taken by another process): " + text, null);
                }
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": " + text);
            }
            if (Files.readString(log, StandardCharsets.ISO_8859_1).contains("Ready to accept connections")
                    && accepts()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-server did not start within 10 s: "
                        + Files.readString(log, StandardCharsets.ISO_8859_1));
            }
            Thread.sleep(20);
        }
        closeClient();
    }

    private boolean accepts() {
        try {
            new Socket("127.0.0.1", port).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills the process (SIGKILL) and waits for it. */
    public void kill() throws InterruptedException {
        closeClient();
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** The server's port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** The server's working directory (its log is {@code redis.log} there). */
    public Path dir() {
        return dir;
    }

    /** Sends a command on the test's own connection and returns the reply (errors become AssertionErrors). */
    public RespReply call(Object... args) {
        RespReply r = callRaw(args);
        if (r instanceof ErrorReply e) {
            throw new AssertionError("redis " + args[0] + ": " + e.message());
        }
        return r;
    }

    /**
     * Sends a command on the test's own connection (opened on first use, reopened after the
     * server closed it) and returns the reply, error replies included.
     */
    public RespReply callRaw(Object... args) {
        boolean reused = client != null;
        try {
            return connection().call(args);
        } catch (RespClientException first) {
            closeClient();
            if (!reused || first instanceof RespTimeoutException) {
                throw new AssertionError("redis " + args[0] + " failed: " + first, first);
            }
            // the kept connection was closed by the server (a restart, CLIENT KILL): once more on a new one
            try {
                return connection().call(args);
            } catch (RespClientException e) {
                closeClient();
                throw new AssertionError("redis " + args[0] + " failed: " + e, e);
            }
        }
    }

    private SyncRespClient connection() {
        if (client == null) {
            client = SyncRespClient.connect("127.0.0.1", port, null, null);
        }
        return client;
    }

    private void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and deletes its directory. */
    @Override
    public void close() throws IOException {
        closeClient();
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
