package io.df2redis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.zip.GZIPInputStream;

/** Locates the shared test vectors: system property {@code df2redis.vectors}, else {@code shared/vectors} up the tree. */
final class Vectors {
    static final ObjectMapper JSON = new ObjectMapper();

    private Vectors() {
    }

    static Path root() {
        String prop = System.getProperty("df2redis.vectors");
        if (prop != null && Files.isDirectory(Paths.get(prop))) {
            return Paths.get(prop).toAbsolutePath().normalize();
        }
        Path p = Paths.get("").toAbsolutePath();
        while (p != null) {
            Path c = p.resolve("shared/vectors");
            if (Files.isDirectory(c)) {
                return c;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("test vectors not found: set -Ddf2redis.vectors");
    }

    static Path dragonfly(String release, String caseName) {
        return root().resolve("dragonfly").resolve(release).resolve(caseName);
    }

    /** Reads {@code name} or {@code name.gz} as JSON. */
    static JsonNode json(Path dir, String name) {
        try {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return JSON.readTree(p.toFile());
            }
            try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve(name + ".gz")))) {
                return JSON.readTree(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
