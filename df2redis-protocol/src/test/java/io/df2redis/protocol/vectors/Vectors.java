package io.df2redis.protocol.vectors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates the test vectors (the repository's {@code vectors/} directory); reading and comparing
 * them as JSON is in df2redis-tools' tests.
 */
public final class Vectors {
    private Vectors() {
    }

    /** The vectors directory; fails loudly when absent (the tests must not silently skip). */
    public static Path root() {
        String prop = System.getProperty("df2redis.vectors");
        if (prop == null) {
            prop = System.getenv("DF2REDIS_VECTORS");
        }
        if (prop != null && Files.isDirectory(Paths.get(prop))) {
            return Paths.get(prop).toAbsolutePath().normalize();
        }
        Path p = Paths.get("").toAbsolutePath();
        while (p != null) {
            for (String candidate : new String[] {"vectors", "shared/vectors"}) {
                Path c = p.resolve(candidate);
                if (Files.isDirectory(c.resolve("dragonfly"))) {
                    return c;
                }
            }
            p = p.getParent();
        }
        throw new IllegalStateException("test vectors not found: set -Ddf2redis.vectors or DF2REDIS_VECTORS");
    }
}
