package io.df2redis.scenarios;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The CLI ({@code df2redis.jar}) run as a separate JVM, as an operator runs it: its standard output
 * and error are read line by line into memory and into a log file, so a test can wait for a line,
 * kill the process with SIGKILL ({@link #kill9()}) or stop it with SIGTERM ({@link #stop}).
 *
 * <p>Threads: one reader thread per stream appends to {@code lines} under its monitor; test
 * threads read it under the same monitor.
 */
final class CliProcess implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Path log;
    private final PrintWriter logWriter;

    private CliProcess(Process process, Path log) throws IOException {
        this.process = process;
        this.log = log;
        this.logWriter = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
        pump(process.getInputStream(), "out");
        pump(process.getErrorStream(), "err");
    }

    /** The CLI jar the build made ({@code df2redis.jar} system property, set by the module's pom). */
    static Path jar() {
        String p = System.getProperty("df2redis.jar");
        if (p == null || !Files.isRegularFile(Path.of(p))) {
            throw new IllegalStateException("df2redis.jar not found (" + p + "): build df2redis-examples first "
                    + "(the scenarios module runs after it in the reactor)");
        }
        return Path.of(p);
    }

    /** Starts {@code java -jar df2redis.jar args…}, its output logged to {@code log}. */
    static CliProcess start(Path log, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("DF2REDIS_SOURCE_PASSWORD");
        pb.environment().remove("DF2REDIS_TARGET_PASSWORD");
        return new CliProcess(pb.start(), log);
    }

    private void pump(InputStream in, String stream) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                    logWriter.println("[" + stream + "] " + line);
                }
            } catch (IOException e) {
                // the process died: its streams end
            }
        }, "cli-" + stream);
        t.setDaemon(true);
        t.start();
    }

    /** Every line printed so far (both streams). */
    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Whether a line printed so far matches. */
    boolean printed(Predicate<String> p) {
        return lines().stream().anyMatch(p);
    }

    /**
     * Waits for a line matching {@code p}.
     *
     * @throws AssertionError when the process exits or the time runs out first (with its output)
     */
    void awaitLine(Predicate<String> p, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (lines.stream().noneMatch(p)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && lines.stream().noneMatch(p)) {
                    if (!process.isAlive()) {
                        // let the readers finish the last lines
                        lines.wait(200);
                        if (lines.stream().anyMatch(p)) {
                            return;
                        }
                    }
                    throw new AssertionError("df2redis.jar " + (process.isAlive() ? "did not print " + what + " within "
                            + timeout : "exited (" + process.exitValue() + ") before printing " + what)
                            + "; its output (" + log + "):\n" + String.join("\n", lines));
                }
                lines.wait(Math.min(100, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
    }

    /** Kills the process with SIGKILL and waits for it to be gone. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("df2redis.jar survived SIGKILL for 30 s");
        }
    }

    /** Stops the process with SIGTERM; returns its exit code. */
    int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("df2redis.jar did not stop within " + timeout + " of SIGTERM; output:\n"
                    + String.join("\n", lines()));
        }
        return process.exitValue();
    }

    /** Waits for the process to exit by itself; returns its exit code. */
    int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("df2redis.jar did not exit within " + timeout + "; output:\n"
                    + String.join("\n", lines()));
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        logWriter.close();
    }
}
