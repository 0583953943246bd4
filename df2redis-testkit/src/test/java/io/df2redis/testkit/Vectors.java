package io.df2redis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared test vectors for the test kit's tests (located by {@link CapturedCases}). */
final class Vectors {
    static final ObjectMapper JSON = new ObjectMapper();

    private Vectors() {
    }

    static Path root() {
        return CapturedCases.vectorsRoot();
    }

    static Path dragonfly(String release, String caseName) {
        return root().resolve("dragonfly").resolve(release).resolve(caseName);
    }

    /** Reads {@code name} or {@code name.gz} as JSON. */
    static JsonNode json(Path dir, String name) {
        return CapturedCases.json(dir, name);
    }

    static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
