package io.df2redis.replica.internal;

import io.df2redis.replica.SpillException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of spill segment files and the clean-up of stale ones. A segment is named
 * {@code df2redis-spill-<pid>-<spill>-f<flow>-<segment>.seg}: the process id, the number of the
 * {@link Spiller} in this process (one per session), the flow and the segment's sequence number.
 * A file of that pattern is stale when its process is no longer alive, or, for this process, when
 * its spill is no longer open; nothing else in a directory is ever touched, so replicators of
 * other live processes can share it.
 *
 * <p>Thread ownership: stateless but for the process-wide spill counter and the set of open spills
 * (both concurrent); any thread.
 */
final class SpillFiles {
    /** The pattern of segment file names. */
    static final Pattern NAME = Pattern.compile("df2redis-spill-(\\d+)-(\\d+)-f(\\d+)-(\\d+)\\.seg");

    private static final Logger LOG = LoggerFactory.getLogger(SpillFiles.class);
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicLong SPILLS = new AtomicLong();
    private static final Set<Long> OPEN = ConcurrentHashMap.newKeySet();

    private SpillFiles() {
    }

    /** Numbers a new spill of this process and marks it open (its files are not stale). */
    static long register() {
        long n = SPILLS.incrementAndGet();
        OPEN.add(n);
        return n;
    }

    /** The spill {@code n} is closed: files left of it are stale. */
    static void unregister(long n) {
        OPEN.remove(n);
    }

    /** The file-name prefix of flow {@code flow}'s segments in spill {@code n}. */
    static String prefix(long n, int flow) {
        return "df2redis-spill-" + PID + "-" + n + "-f" + flow + "-";
    }

    /**
     * Creates {@code dir} when missing and checks that it is a writable directory.
     *
     * @throws SpillException when it cannot be used
     */
    static void prepare(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SpillException("cannot create the spill directory " + dir + " (" + e + "): create it, choose "
                    + "another SpillOptions.directory, or set slowConsumerPolicy(PAUSE_READING) to replicate without "
                    + "spilling", e);
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new SpillException("the spill directory " + dir + " is not a writable directory: fix its "
                    + "permissions, choose another SpillOptions.directory, or set slowConsumerPolicy(PAUSE_READING)");
        }
    }

    /**
     * Deletes the stale segment files in {@code dir} (see the class comment).
     *
     * @param alive whether a process id is alive
     * @return the files deleted
     */
    static int deleteStale(Path dir, LongPredicate alive) {
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(f)) {
                    continue;
                }
                long pid = Long.parseLong(m.group(1));
                long spill = Long.parseLong(m.group(2));
                boolean stale = pid == PID ? !OPEN.contains(spill) : !alive.test(pid);
                if (stale && Files.deleteIfExists(f)) {
                    deleted++;
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn("could not clean up stale spill files in {}: {}", dir, e.toString());
        }
        if (deleted > 0) {
            LOG.info("deleted {} stale spill segment file(s) of ended processes or sessions in {}", deleted, dir);
        }
        return deleted;
    }

    /** Whether process {@code pid} is alive (a reused id keeps the files until that process ends too). */
    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
