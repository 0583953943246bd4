package io.df2redis.tools.inspect;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Locates and reads the test vectors (the repository's {@code vectors/} directory). */
public final class Vectors {
    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new SimpleModule()
            .addSerializer(RawJson.class, new StdSerializer<>(RawJson.class) {
                @Override
                public void serialize(RawJson v, JsonGenerator g, SerializerProvider p) throws IOException {
                    g.writeTree(JSON.readTree(v.text()));
                }
            }));

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

    /** Every Dragonfly case directory holding a decoded.json (partial-sync sessions included). */
    public static List<Path> dragonflyCases() {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root().resolve("dragonfly"))) {
            s.filter(p -> p.getFileName().toString().startsWith("decoded.json")).map(Path::getParent).sorted()
                    .forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Reads {@code name} or {@code name.gz}. */
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

    public static boolean exists(Path dir, String name) {
        return Files.exists(dir.resolve(name)) || Files.exists(dir.resolve(name + ".gz"));
    }

    public static JsonNode json(Path dir, String name) {
        try {
            return JSON.readTree(read(dir, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode toTree(Object o) {
        return JSON.valueToTree(o);
    }
}
