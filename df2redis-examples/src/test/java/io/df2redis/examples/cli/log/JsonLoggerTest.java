package io.df2redis.examples.cli.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON log lines: fields, argument formatting, escaping, throwables, levels. */
class JsonLoggerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!l.isEmpty()) {
                out.add(JSON.readTree(l));
            }
        }
        return out;
    }

    @Test
    void oneObjectPerEventWithItsFields() throws Exception {
        Logger log = new JsonLogger("io.df2redis.replica.Replicator", JsonLogger.Level.INFO, () -> stream);
        log.info("state {} -> {}", "full_sync", "stable_sync");
        log.debug("not shown at info");
        log.warn("a \"quoted\"\nmultiline {}", 42);
        log.error("failed", new IllegalStateException("boom \"x\""));
        List<JsonNode> l = lines();
        assertThat(l).hasSize(3);
        JsonNode first = l.get(0);
        assertThat(first.get("level").asText()).isEqualTo("INFO");
        assertThat(first.get("logger").asText()).isEqualTo("io.df2redis.replica.Replicator");
        assertThat(first.get("msg").asText()).isEqualTo("state full_sync -> stable_sync");
        assertThat(first.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(first.get("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(first.has("error")).isFalse();
        assertThat(l.get(1).get("msg").asText()).isEqualTo("a \"quoted\"\nmultiline 42");
        JsonNode err = l.get(2);
        assertThat(err.get("level").asText()).isEqualTo("ERROR");
        assertThat(err.get("error").asText()).isEqualTo("java.lang.IllegalStateException: boom \"x\"");
        assertThat(err.get("stack").asText()).contains("at io.df2redis.examples.cli.log.JsonLoggerTest");
        assertThat(bytes.toString(StandardCharsets.UTF_8).split("\n")).hasSize(3); // one line each
    }

    @Test
    void levelsFilter() throws Exception {
        Logger warn = new JsonLogger("w", JsonLogger.Level.WARN, () -> stream);
        assertThat(warn.isInfoEnabled()).isFalse();
        assertThat(warn.isWarnEnabled()).isTrue();
        warn.info("no");
        warn.warn("yes");
        Logger off = new JsonLogger("o", JsonLogger.Level.OFF, () -> stream);
        off.error("no");
        Logger trace = new JsonLogger("t", JsonLogger.Level.parse("trace"), () -> stream);
        trace.trace("t {}", 1);
        assertThat(lines()).extracting(n -> n.get("msg").asText()).containsExactly("yes", "t 1");
        assertThat(JsonLogger.Level.parse("nonsense")).isEqualTo(JsonLogger.Level.INFO);
    }

    @Test
    void theProviderReadsTheLevelPropertyAndKeepsOneLoggerPerName() {
        String before = System.getProperty(JsonLogger.LEVEL_PROPERTY);
        System.setProperty(JsonLogger.LEVEL_PROPERTY, "error");
        try {
            JsonLogProvider p = new JsonLogProvider();
            p.initialize();
            Logger a = p.getLoggerFactory().getLogger("a");
            assertThat(p.getLoggerFactory().getLogger("a")).isSameAs(a);
            assertThat(a.isWarnEnabled()).isFalse();
            assertThat(a.isErrorEnabled()).isTrue();
            assertThat(p.getRequestedApiVersion()).startsWith("2.0");
        } finally {
            if (before == null) {
                System.clearProperty(JsonLogger.LEVEL_PROPERTY);
            } else {
                System.setProperty(JsonLogger.LEVEL_PROPERTY, before);
            }
        }
    }
}
