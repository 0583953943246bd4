package io.df2redis.examples.cli;

import io.df2redis.examples.cli.CliSyncFixture.Result;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static io.df2redis.examples.cli.CliSyncFixture.address;
import static io.df2redis.examples.cli.CliSyncFixture.closedPort;
import static io.df2redis.examples.cli.CliSyncFixture.differences;
import static io.df2redis.examples.cli.CliSyncFixture.keyspace;
import static io.df2redis.examples.cli.CliSyncFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code df2redis migrate} in-process: an embedded master into a real redis-server. */
@Timeout(120)
class MigrateCommandIT extends TargetAndReference {
    @Test
    void copiesEveryTypeAndExitsZeroWithTheTargetEqualToTheSource() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(3).start()) {
            CliSyncFixture.fill(m, reference, 3000);
            m.put(0, RdbKeyValue.of("doc", RdbValue.json("{\"a\":1}"))); // Redis without ReJSON cannot hold it
            target.call("SET", "stale", "not on the master: flushed by the full sync");
            // slow the snapshot down so that progress is shown while it runs
            m.paceSnapshot(400_000);

            Result refused = run("migrate", "--source", address(m), "--target", target.address());
            assertThat(refused.code()).isEqualTo(Df2RedisCli.USAGE);
            assertThat(refused.err()).contains("db0: 1 key").contains("--target-policy flush").contains("--force");
            assertThat(((BulkString) target.call("GET", "stale")).asString()).startsWith("not on the master");

            Result r = run("migrate", "--source", address(m), "--target", target.address(), "--unsupported", "skip",
                    "--status-interval", "100ms", "--force");

            assertThat(r.code()).as(r.err()).isZero();
            Map<String, Object> expected = keyspace(reference);
            Map<String, Object> actual = keyspace(target);
            assertThat(differences(expected, actual)).isEmpty();
            assertThat(CliSyncFixture.keyCount(actual)).isEqualTo(3000 + 11);
            // streams are compared by length above: check the entries too
            ArrayReply first = (ArrayReply) target.call("XRANGE", "stream", "-", "+", "COUNT", "1");
            assertThat(((BulkString) ((ArrayReply) first.get(0)).get(0)).asString()).isEqualTo("1700000000001-0");
            assertThat(((IntegerReply) target.call("PTTL", "ttl")).value()).isBetween(1L, 600_000L);
            // the summary: keys (the JSON key too, it was read from the snapshot), skips by reason
            assertThat(r.out()).contains("migrated 3,012 keys").contains("keys/s")
                    .contains("skipped 1 keys {no-json-module=1}");
            // progress: the source's key count (DBSIZE per db on this master), per-flow figures, percent
            assertThat(r.err()).contains("the source holds 3,012 keys").containsPattern(
                    "full sync: [0-9,]+/3,012 keys \\([0-9.]+%\\), .* \\| flows 0:[0-9,]+/.* 1:.* 2:");
        }
    }

    @Test
    void dataRedisCannotHoldFailsByDefault() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            m.write(0, "SET", "a", "1");
            m.put(0, RdbKeyValue.of("doc", RdbValue.json("{\"a\":1}")));
            Result r = run("migrate", "--source", address(m), "--target", target.address(), "--no-progress");
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Df2RedisCli.FAILURE);
            assertThat(r.err()).contains("replication failed").contains("doc");
        }
    }

    @Test
    void passwordsAreUsedAndNeverPrinted() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).requirePass("s3cret-src").start();
             RedisServerProcess secured = RedisServerProcess.start("--requirepass", "s3cret-dst")) {
            m.write(0, "SET", "a", "1");
            Result ok = run("migrate", "--source", address(m), "--source-password", "s3cret-src",
                    "--target", secured.address(), "--target-password", "s3cret-dst", "--status-interval", "50ms");
            assertThat(ok.code()).as(ok.err()).isZero();
            assertThat(ok.err()).contains("(password set)");
            assertThat(ok.out() + ok.err()).doesNotContain("s3cret");

            Result badSource = run("migrate", "--source", address(m), "--source-password", "wrong-src",
                    "--target", secured.address(), "--target-password", "s3cret-dst");
            assertThat(badSource.code()).isEqualTo(Df2RedisCli.CONNECT);
            assertThat(badSource.err()).contains("cannot connect to the source").doesNotContain("wrong-src");

            Result badTarget = run("migrate", "--source", address(m), "--source-password", "s3cret-src",
                    "--target", secured.address(), "--target-password", "wrong-dst");
            assertThat(badTarget.code()).isEqualTo(Df2RedisCli.CONNECT);
            assertThat(badTarget.err()).contains("cannot connect to the target").doesNotContain("wrong-dst");
        }
    }

    @Test
    @Timeout(30)
    void anUnreachableSourceOrTargetIsReportedAtOnce() throws Exception {
        int nobody = closedPort();
        Result r = run("migrate", "--source", "127.0.0.1:" + nobody, "--target", target.address());
        assertThat(r.code()).isEqualTo(Df2RedisCli.CONNECT);
        assertThat(r.err()).contains("cannot connect to the source Dragonfly at 127.0.0.1:" + nobody);
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(1).start()) {
            Result t = run("migrate", "--source", address(m), "--target", "127.0.0.1:" + nobody);
            assertThat(t.code()).isEqualTo(Df2RedisCli.CONNECT);
            assertThat(t.err()).contains("cannot connect to the target Redis at 127.0.0.1:" + nobody);
        }
    }

    @Test
    void badArgumentsAreUsageErrors() {
        String t = target.address();
        assertThat(run("migrate", "--target", t).code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(run("migrate", "--source", "no-port", "--target", t).code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(run("migrate", "--source", "h:99999", "--target", t).code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(run("migrate", "--source", t, "--target", t, "--unsupported", "maybe").code())
                .isEqualTo(Df2RedisCli.USAGE);
        assertThat(run("migrate", "--source", t, "--target", t, "--status-interval", "soon").code())
                .isEqualTo(Df2RedisCli.USAGE);
        assertThat(run("migrate", "--source", t, "--target", t + "," + t).code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(run("migrate", "--source", t, "--target", t, "--source-user", "u").code())
                .isEqualTo(Df2RedisCli.USAGE);
        assertThat(run("migrate", "--source", t, "--target", t, "--map-db", "3").code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(run("migrate", "--source", t, "--target", t, "--map-db", "a:0").code())
                .isEqualTo(Df2RedisCli.USAGE);
        Result r = run("replicate", "--source", t);
        assertThat(r.code()).isEqualTo(Df2RedisCli.USAGE);
        assertThat(r.err()).contains("--target");
        // the target was never touched
        assertThat(((IntegerReply) target.call("DBSIZE")).value()).isZero();
    }

    @Test
    void helpDocumentsTheExitCodes() {
        Result r = run("migrate", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Exit codes:").contains("5").contains("--target-cluster")
                .contains("DF2REDIS_SOURCE_PASSWORD");
    }
}
