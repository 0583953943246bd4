package io.df2redis.examples.cli;

import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.df2redis.examples.cli.CliSyncFixture.Result;
import static io.df2redis.examples.cli.CliSyncFixture.address;
import static io.df2redis.examples.cli.CliSyncFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key filter options: {@code migrate --include-key 'user:*' --rename-prefix user:u:} writes only
 * the users, renamed; {@code verify} with the same options reports 0 differences, without them it
 * reports the difference; bad options are usage errors.
 */
@Timeout(120)
class FilterOptionsIT {
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
    void migrateAndVerifyWithTheSameFilter() throws Exception {
        redis.call("FLUSHALL");
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            for (int i = 0; i < 50; i++) {
                m.write(0, "SET", "user:" + i, "name" + i);
                m.write(0, "SET", "order:" + i, "o" + i);
            }
            m.write(0, "RPUSH", "user:list", "a", "b");
            m.write(0, "XADD", "user:events", "*", "f", "v");
            String[] filter = {"--include-key", "user:*", "--exclude-type", "stream", "--rename-prefix", "user:u:"};
            Result r = run(concat(new String[] {"migrate", "--source", address(m), "--target", redis.address(),
                "--no-progress"}, filter));
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(((IntegerReply) redis.call("DBSIZE")).value()).isEqualTo(51);
            assertThat(((BulkString) redis.call("GET", "u:7")).asString()).isEqualTo("name7");
            assertThat(((IntegerReply) redis.call("EXISTS", "user:7", "order:7", "u:events")).value()).isZero();

            Result same = run(concat(new String[] {"verify", "--source", address(m), "--target", redis.address()},
                    filter));
            assertThat(same.code()).as(same.out() + same.err()).isZero();
            Result without = run("verify", "--source", address(m), "--target", redis.address());
            assertThat(without.code()).as(without.out()).isEqualTo(Df2RedisCli.DIFFERENCES);
        }
    }

    @Test
    void badFilterOptionsAreUsageErrors() {
        Result regex = run("migrate", "--source", "127.0.0.1:1", "--target", "127.0.0.1:2", "--include-key-regex",
                "(unclosed");
        assertThat(regex.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(regex.err()).contains("--include-key-regex");
        Result rename = run("migrate", "--source", "127.0.0.1:1", "--target", "127.0.0.1:2", "--rename-prefix",
                "nocolon");
        assertThat(rename.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(rename.err()).contains("OLD:NEW");
    }

    @Test
    void renameRules() {
        assertThat(FilterOptions.renameRule("user:u:")).containsExactly("user:", "u:");
        assertThat(FilterOptions.renameRule("a:b")).containsExactly("a", "b");
        assertThat(FilterOptions.renameRule("user:=")).containsExactly("user:", "");
        assertThat(FilterOptions.renameRule("x=y:z")).containsExactly("x", "y:z");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
