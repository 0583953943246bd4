package io.df2redis.examples.cli;

import io.df2redis.examples.cli.CliSyncFixture.Result;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.df2redis.examples.cli.CliSyncFixture.address;
import static io.df2redis.examples.cli.CliSyncFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code migrate --max-ops}: the snapshot is paced (it cannot finish before the limit allows, and the
 * status lines show the limit and the senders' waits), and every key arrives.
 */
@Timeout(120)
class RateLimitCliIT {
    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServerProcess.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void migrateIsPacedByMaxOps() throws Exception {
        redis.call("FLUSHALL");
        int keys = 3_000;
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(3).start()) {
            for (int i = 0; i < keys; i++) {
                m.write(0, "SET", "k" + i, "v" + i);
            }
            long t0 = System.nanoTime();
            Result r = run("migrate", "--source", address(m), "--target", redis.address(), "--max-ops", "1000",
                    "--status-interval", "500ms");
            double secs = (System.nanoTime() - t0) / 1e9;
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(((IntegerReply) redis.call("DBSIZE")).value()).isEqualTo(keys);
            // 3 000 commands at 1 000/s after a burst of 100: at least 2.9 s, whatever else the run does
            assertThat(secs).as("migrate took %.1f s", secs).isGreaterThanOrEqualTo(2.9);
            assertThat(r.err()).contains("limit 1,000 ops/s (senders waited ");
            Matcher waited = Pattern.compile("senders waited ([0-9.]+) s\\)").matcher(r.err());
            double most = 0;
            while (waited.find()) {
                most = Math.max(most, Double.parseDouble(waited.group(1)));
            }
            assertThat(most).as("the senders' waits in the status lines: %s", r.err()).isGreaterThan(1.0);
            assertThat(r.out()).as("the summary").contains("migrated 3,000 keys").contains(
                    " errors, limit 1,000 ops/s (senders waited ");
        }
    }
}
