package io.df2redis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The shared test vectors (real replication streams captured from Dragonfly masters, and Redis
 * RDB files): where they are, which captured cases start with a full sync, and their JSON and
 * binary files ({@code name} or {@code name.gz}). The root is the system property
 * {@code df2redis.vectors}, else the environment variable {@code DF2REDIS_VECTORS}, else the first
 * {@code vectors} (the repository's copy) or {@code shared/vectors} directory walking up from the
 * working directory.
 */
public final class CapturedCases {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CapturedCases() {
    }

    /** The vectors root directory; fails when it cannot be found. */
    public static Path vectorsRoot() {
        for (String configured : new String[] {System.getProperty("df2redis.vectors"),
            System.getenv("DF2REDIS_VECTORS")}) {
            if (configured != null && Files.isDirectory(Paths.get(configured))) {
                return Paths.get(configured).toAbsolutePath().normalize();
            }
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            for (String candidate : new String[] {"vectors", "shared/vectors"}) {
                Path c = p.resolve(candidate);
                if (Files.isDirectory(c.resolve("dragonfly"))) {
                    return c;
                }
            }
        }
        throw new IllegalStateException("test vectors not found: set -Ddf2redis.vectors or DF2REDIS_VECTORS");
    }

    /** A captured Dragonfly case directory, e.g. {@code dragonfly("v1.40.1/journal-2shards")}. */
    public static Path dragonfly(String relative) {
        return vectorsRoot().resolve("dragonfly").resolve(relative);
    }

    /** Every captured Dragonfly case whose flows start with a full sync, sorted by path. */
    public static List<Path> fullSyncCases() {
        Path root = vectorsRoot().resolve("dragonfly");
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().equals("handshake.json")).map(Path::getParent).sorted()
                    .filter(dir -> json(dir, "handshake.json").get("flows").get(0).get("kind").asText().equals("FULL"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A case's name relative to the Dragonfly captures, e.g. {@code v1.40.1/journal-2shards}. */
    public static String name(Path caseDir) {
        return vectorsRoot().resolve("dragonfly").relativize(caseDir.toAbsolutePath().normalize()).toString();
    }

    /** Whether {@code name} or {@code name.gz} exists in {@code dir}. */
    public static boolean has(Path dir, String name) {
        return Files.exists(dir.resolve(name)) || Files.exists(dir.resolve(name + ".gz"));
    }

    /** The bytes of {@code name}, or of {@code name.gz} decompressed. */
    public static byte[] read(Path dir, String name) {
        try {
            Path p = dir.resolve(name);
            if (Files.exists(p)) {
                return Files.readAllBytes(p);
            }
            try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve(name + ".gz")))) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code name} (or {@code name.gz}) parsed as JSON. */
    public static JsonNode json(Path dir, String name) {
        try {
            return JSON.readTree(read(dir, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
