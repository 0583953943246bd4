package io.df2redis.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.df2redis.examples.cli.CliSyncFixture.address;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --log-format json} in a CLI process of its own (the logging backend is chosen once per
 * JVM): every log line on stderr is one JSON object, the library's lines included; no line in the
 * simple logger's text format remains; the run itself is unchanged.
 */
@Timeout(120)
class LogFormatJsonIT extends TargetAndReference {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Process cli(Path out, Path err, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Df2RedisCli.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    @Test
    void everyLogLineIsJson() throws Exception {
        Path out = Files.createTempFile("df2redis-cli", ".out");
        Path err = Files.createTempFile("df2redis-cli", ".err");
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            for (int i = 0; i < 100; i++) {
                m.write(0, "SET", "k" + i, "v" + i);
            }
            Process p = cli(out, err, "migrate", "--source", address(m), "--target", target.address(),
                    "--no-progress", "--log-format", "json", "--log-level", "debug");
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(stderr).isZero();
            assertThat(Files.readString(out)).contains("migrated 100 keys");
            List<JsonNode> logs = new ArrayList<>();
            for (String line : stderr.split("\n")) {
                assertThat(line).as("a text log line").doesNotContainPattern("^\\[[^\\]]+\\] (TRACE|DEBUG|INFO|WARN|ERROR) ");
                assertThat(line).as("SLF4J's own report").doesNotStartWith("SLF4J");
                if (line.startsWith("{")) {
                    logs.add(JSON.readTree(line));
                }
            }
            assertThat(logs).as(stderr).isNotEmpty();
            assertThat(logs).allSatisfy(n -> assertThat(n.has("ts") && n.has("level") && n.has("logger")
                    && n.has("msg")).isTrue());
            assertThat(logs).anySatisfy(n -> assertThat(n.get("logger").asText()).startsWith("io.df2redis.replica"));
            assertThat(logs).anySatisfy(n -> assertThat(n.get("level").asText()).isEqualTo("DEBUG"));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void aBadFormatIsAUsageError() {
        CliSyncFixture.Result r = CliSyncFixture.run("migrate", "--source", "127.0.0.1:1", "--target", "127.0.0.1:2",
                "--log-format", "xml");
        assertThat(r.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(r.err()).contains("expected text or json");
    }
}
