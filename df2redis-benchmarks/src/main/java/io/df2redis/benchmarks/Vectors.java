package io.df2redis.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Locates the shared test vectors: system property {@code df2redis.vectors}, else environment
 * variable {@code DF2REDIS_VECTORS}, else the first {@code vectors} (the repository's copy) or
 * {@code shared/vectors} directory found from the working directory upwards.
 */
public final class Vectors {
    public static final String PROPERTY = "df2redis.vectors";
    public static final String ENV = "DF2REDIS_VECTORS";

    private static final Pattern JOURNAL_START = Pattern.compile("\"journal_start_offset\"\\s*:\\s*(\\d+)");

    private Vectors() {
    }

    /** The vectors directory; fails with a message saying how to set it when none is found. */
    public static Path dir() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENV);
        }
        if (configured != null && !configured.isBlank()) {
            Path p = Paths.get(configured).toAbsolutePath().normalize();
            if (!Files.isDirectory(p)) {
                throw new IllegalStateException("test vectors directory " + p + " (from -D" + PROPERTY + " or $"
                        + ENV + ") does not exist");
            }
            return p;
        }
        Path start = Paths.get("").toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            for (String name : new String[] {"vectors", "shared/vectors"}) {
                Path candidate = d.resolve(name);
                if (Files.isDirectory(candidate.resolve("dragonfly"))) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("no vectors directory found above " + start + "; set -D" + PROPERTY
                + "=<dir> or $" + ENV);
    }

    /** A file under the vectors directory, by its relative path (e.g. {@code redis/redis-7.0-alltypes.rdb}). */
    public static Path file(String relative) {
        Path p = dir().resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("test vector " + p + " not found");
        }
        return p;
    }

    /** The whole content of a vector file. */
    public static byte[] read(String relative) {
        try {
            return Files.readAllBytes(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Offset of the first journal byte (right after the eof token) of flow {@code flow} of a
     * Dragonfly capture, from the case's {@code handshake.json} ({@code flows[i].journal_start_offset}).
     *
     * @param caseDir the case directory relative to the vectors directory, e.g. {@code dragonfly/v1.40.1/journal-2shards}
     */
    public static int journalStartOffset(String caseDir, int flow) {
        String json;
        try {
            json = Files.readString(file(caseDir + "/handshake.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Integer> offsets = new ArrayList<>();
        Matcher m = JOURNAL_START.matcher(json);
        while (m.find()) {
            offsets.add(Integer.parseInt(m.group(1)));
        }
        if (flow >= offsets.size()) {
            throw new IllegalStateException(caseDir + "/handshake.json lists no journal_start_offset for flow " + flow);
        }
        return offsets.get(flow);
    }
}
