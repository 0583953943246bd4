package io.df2redis.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.df2redis.examples.cli.CliSyncFixture.Result;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.df2redis.examples.cli.CliSyncFixture.address;
import static io.df2redis.examples.cli.CliSyncFixture.closedPort;
import static io.df2redis.examples.cli.CliSyncFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --summary-json FILE}: the text summary's figures as JSON, for a run that completed, for one
 * refused before it started; a file in a missing directory is a usage error before anything connects.
 */
@Timeout(120)
class SummaryJsonIT extends TargetAndReference {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aMigrationWritesItsSummary(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("summary.json");
        Files.writeString(file, "an older summary, replaced");
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            for (int i = 0; i < 500; i++) {
                m.write(0, "SET", "k" + i, "v" + i);
            }
            m.put(0, RdbKeyValue.of("doc", RdbValue.json("{\"a\":1}"))); // skipped: no ReJSON in the target
            Result r = run("migrate", "--source", address(m), "--target", target.address(), "--no-progress",
                    "--unsupported", "skip", "--max-ops", "100000", "--summary-json", file.toString());
            assertThat(r.code()).as(r.err()).isZero();
            JsonNode s = JSON.readTree(file.toFile());
            assertThat(s.get("command").asText()).isEqualTo("migrate");
            assertThat(s.get("exitCode").asInt()).isZero();
            assertThat(s.get("ok").asBoolean()).isTrue();
            assertThat(s.get("started").asBoolean()).isTrue();
            assertThat(s.get("snapshotKeys").asLong()).isEqualTo(501);
            assertThat(s.get("sourceKeys").asLong()).isEqualTo(501);
            assertThat(s.get("fullSyncs").asLong()).isEqualTo(1);
            assertThat(s.get("durationMs").asLong()).isPositive();
            assertThat(s.get("fullSyncMs").asLong()).isPositive().isLessThanOrEqualTo(s.get("durationMs").asLong());
            assertThat(s.get("appliedLsn").size()).isEqualTo(2);
            JsonNode t = s.get("target");
            assertThat(t.get("skipped").asLong()).isEqualTo(1);
            assertThat(t.get("skippedByReason").get("no-json-module").asLong()).isEqualTo(1);
            assertThat(t.get("operations").asLong()).isGreaterThanOrEqualTo(500);
            assertThat(t.get("commands").asLong()).isPositive();
            assertThat(t.get("bytesSent").asLong()).isGreaterThan(500L * 20);
            assertThat(t.get("errors").asLong()).isZero();
            assertThat(t.get("maxOpsPerSecond").asLong()).isEqualTo(100_000);
            assertThat(t.get("maxBytesPerSecond").asLong()).isZero();
            // the same figures as the text summary
            assertThat(r.out()).contains("migrated 501 keys").contains("target: " + CliFormat.count(
                    t.get("commands").asLong()) + " commands").contains("limit 100,000 ops/s");
            try (var left = Files.list(dir)) {
                assertThat(left.map(p -> p.getFileName().toString())).containsExactly("summary.json");
            }
        }
    }

    @Test
    void aRunThatNeverStartedStillWritesWhy(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.json");
        Result r = run("replicate", "--source", "127.0.0.1:" + closedPort(), "--target", target.address(),
                "--summary-json", file.toString());
        assertThat(r.code()).isEqualTo(Df2RedisCli.CONNECT);
        JsonNode s = JSON.readTree(file.toFile());
        assertThat(s.get("command").asText()).isEqualTo("replicate");
        assertThat(s.get("exitCode").asInt()).isEqualTo(Df2RedisCli.CONNECT);
        assertThat(s.get("ok").asBoolean()).isFalse();
        assertThat(s.get("started").asBoolean()).isFalse();
        assertThat(s.get("lastError").asText()).contains("cannot connect to the source");
    }

    @Test
    void aFileInAMissingDirectoryIsAUsageError(@TempDir Path dir) {
        Result r = run("migrate", "--source", "127.0.0.1:1", "--target", "127.0.0.1:2", "--summary-json",
                dir.resolve("no/such/dir/s.json").toString());
        assertThat(r.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(r.err()).contains("--summary-json").contains("existing directory");
    }
}
