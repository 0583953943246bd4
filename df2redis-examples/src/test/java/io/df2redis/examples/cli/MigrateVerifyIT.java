package io.df2redis.examples.cli;

import io.df2redis.examples.cli.CliSyncFixture.Cli;
import io.df2redis.examples.cli.CliSyncFixture.Result;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.rdb.ValueBatch;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.SampleDatasets;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.df2redis.examples.cli.CliSyncFixture.address;
import static io.df2redis.examples.cli.CliSyncFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acceptance with the embedded master as "our Dragonfly": {@code migrate} copies every
 * type into a real redis-server and {@code verify} — reading both live keyspaces — finds no
 * difference but the keys Redis cannot hold (reported by key, as the Verifier documents), then
 * finds each single change made to the target; {@code replicate} under a live write load, stopped
 * and caught up, verifies equal too.
 */
@Timeout(300)
class MigrateVerifyIT {
    private static RedisServerProcess target;

    @BeforeAll
    static void startRedis() throws Exception {
        target = RedisServerProcess.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (target != null) {
            target.close();
        }
    }

    @BeforeEach
    void emptyTarget() {
        target.call("FLUSHALL");
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A stream with two groups, consumers and pending entries. */
    static RdbValue.StreamValue streamWithGroups() {
        long now = System.currentTimeMillis();
        List<RdbValue.StreamItem> items = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            items.add(RdbValue.StreamItem.of(new StreamId(1_700_000_100_000L + i, 0), "k", "v" + i));
        }
        StreamId at3 = items.get(2).id();
        StreamId at5 = items.get(4).id();
        StreamId at7 = items.get(6).id();
        RdbValue.StreamGroup g1 = new RdbValue.StreamGroup(b("g1"), items.get(9).id(), 10,
                List.of(new ValueBatch.PendingEntry(at3, now - 3000, 2), new ValueBatch.PendingEntry(at5, now - 2000, 1),
                        new ValueBatch.PendingEntry(at7, now - 1000, 1)),
                List.of(new RdbValue.StreamConsumer(b("alice"), now - 500, now - 500, List.of(at3, at5)),
                        new RdbValue.StreamConsumer(b("bob"), now - 400, now - 400, List.of(at7))));
        RdbValue.StreamGroup g2 = new RdbValue.StreamGroup(b("g2"), StreamId.ZERO, 0, List.of(),
                List.of(new RdbValue.StreamConsumer(b("carol"), now - 100, -1, List.of())));
        return RdbValue.StreamValue.of(items, List.of(g1, g2));
    }

    /** Every type of the sample dataset (5000-element big values) plus a stream with groups and written keys. */
    private static void load(EmbeddedDragonflyMaster m) {
        SampleDatasets.everyType(m, 5000);
        m.put(0, RdbKeyValue.of("stream:groups", streamWithGroups()));
        m.write(0, "SET", "written:ttl", "v", "EX", "3600");
        m.write(0, "RPUSH", "written:list", "a", "b", "c");
        m.write(0, "ZADD", "written:zset", "1e-7", "tiny", "3e21", "huge", "-0.5", "neg");
        m.write(2, "HSET", "db2:hash", "f", "v");
        for (int i = 0; i < 300; i++) {
            m.write(i % 2 == 0 ? 0 : 1, "SET", "bulk:" + i, "value-" + i);
        }
    }

    /** {@code verify} in-process, output captured through picocli's writers. */
    static Result verify(String source, String targetAddress, String... extra) {
        List<String> args = new ArrayList<>(List.of("verify", "--source", source, "--target", targetAddress,
                "--recheck-delay", "100"));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private static Result verify(EmbeddedDragonflyMaster m) {
        return verify(address(m), target.address());
    }

    /** The difference lines {@code verify} printed. */
    static List<String> differenceLines(Result r) {
        List<String> out = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (line.matches("^(MISSING|UNEXPECTED|TYPE|VALUE|TTL) db .*")) {
                out.add(line.strip());
            }
        }
        return out;
    }

    @Test
    void migrateThenVerifyFindsNothingButWhatRedisCannotHoldThenEveryChange() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(3).start()) {
            load(m);
            Result migrate = run("migrate", "--source", address(m), "--target", target.address(), "--unsupported",
                    "skip", "--no-progress");
            assertThat(migrate.code()).as(migrate.out() + migrate.err()).isZero();
            assertThat(migrate.out()).contains("no-json-module=2");

            // the JSON documents were skipped by the sink: by default the Verifier reports them by key, as missing
            Result withJson = verify(m);
            assertThat(withJson.code()).as(withJson.out() + withJson.err()).isEqualTo(Df2RedisCli.DIFFERENCES);
            assertThat(differenceLines(withJson)).containsExactlyInAnyOrder(
                    "MISSING db 0 key 'json:doc': ReJSON-RL", "MISSING db 0 key 'json:scalar': ReJSON-RL");
            assertThat(withJson.out()).contains(" 2 differences");
            // with the same policy as the migration, they are counted as not compared (the target has no
            // ReJSON module) and everything else is equal
            Result skipped = verify(address(m), target.address(), "--unsupported", "skip");
            assertThat(skipped.code()).as(skipped.out() + skipped.err()).isZero();
            assertThat(differenceLines(skipped)).isEmpty();
            assertThat(skipped.out()).contains("not compared by value: 2 key(s): target cannot hold type ReJSON-RL");

            // without them the keyspaces are equal
            m.remove(0, b("json:doc"));
            m.remove(0, b("json:scalar"));
            Result equal = verify(m);
            assertThat(equal.code()).as(equal.out() + equal.err()).isZero();
            long keys = 0;
            for (int db : m.dbs()) {
                keys += m.entries(db).size();
            }
            assertThat(equal.out()).contains(keys + " source keys, " + keys + " target keys, " + keys + " compared, "
                    + "0 differences");

            // one element in the middle of the big list
            target.call("LSET", "list:big", "2500", "changed");
            Result list = verify(m);
            assertThat(list.code()).as(list.out()).isEqualTo(Df2RedisCli.DIFFERENCES);
            assertThat(differenceLines(list)).singleElement().asString()
                    .startsWith("VALUE db 0 key 'list:big': element #2500: 'e:2500' vs 'changed'");
            target.call("LSET", "list:big", "2500", "e:2500");

            // one field of the big hash (compared by HSCAN on the source, HMGET on the target)
            target.call("HSET", "hash:big", "e:4321", "other");
            Result hash = verify(m);
            assertThat(hash.code()).isEqualTo(Df2RedisCli.DIFFERENCES);
            assertThat(differenceLines(hash)).singleElement().asString()
                    .startsWith("VALUE db 0 key 'hash:big': field 'e:4321': 'value-4321' vs 'other'");
            target.call("HSET", "hash:big", "e:4321", "value-4321");

            // a consumer group removed from the stream
            target.call("XGROUP", "DESTROY", "stream:groups", "g2");
            Result group = verify(m);
            assertThat(group.code()).isEqualTo(Df2RedisCli.DIFFERENCES);
            assertThat(differenceLines(group)).singleElement().asString()
                    .startsWith("VALUE db 0 key 'stream:groups'").endsWith("groups: 2 vs 1");
        }
    }

    @Test
    void replicateUnderALiveWriteLoadThenVerifyFindsNoDifference() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(4).start()) {
            load(m);
            m.remove(0, b("json:doc"));
            m.remove(0, b("json:scalar"));
            m.paceSnapshot(2_000_000);
            Cli cli = new Cli();
            ReplicateCommand command = cli.subcommand("replicate");
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger written = new AtomicInteger();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                int i = 0;
                while (writing.get()) {
                    int db = i % 5 == 0 ? 1 : 0;
                    m.write(db, "SET", "live:" + (i % 400), "v" + i);
                    m.write(0, "INCR", "live:counter");
                    m.write(0, "RPUSH", "live:list", "e" + i);
                    m.write(0, "HSET", "hash:small", "f" + (i % 13), "x" + i);
                    m.write(0, "ZADD", "zset:small", Integer.toString(i % 50), "m" + (i % 17));
                    m.write(0, "SADD", "set:small", "s" + (i % 23));
                    if (i % 7 == 0) {
                        m.write(0, "DEL", "live:" + ((i + 200) % 400));
                    }
                    if (i % 11 == 0) {
                        m.write(0, "EXPIRE", "live:" + (i % 400), "3600");
                    }
                    written.set(++i);
                    if (i % 20 == 0) {
                        try {
                            Thread.sleep(2);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            });
            CompletableFuture<Result> result = CompletableFuture.supplyAsync(() -> cli.execute("replicate",
                    "--source", address(m), "--target", target.address(), "--unsupported", "skip",
                    "--status-interval", "200ms"));
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!cli.err.toString().contains("full sync done")) {
                    assertThat(result).as(cli.err.toString()).isNotDone();
                    assertThat(System.nanoTime()).as("stable sync within 120 s").isLessThan(deadline);
                    Thread.sleep(50);
                }
                int afterSync = written.get();
                while (written.get() < afterSync + 2000) {
                    Thread.sleep(20);
                }
            } finally {
                writing.set(false);
                writer.get(60, TimeUnit.SECONDS);
            }
            // caught up: every shard's journal acknowledged, i.e. confirmed by Redis
            for (int f = 0; f < m.shardCount(); f++) {
                long lsn = m.nextLsn(f);
                assertThat(m.awaitAck(f, lsn, Duration.ofSeconds(60))).as("flow %d ACK %d (last %d)", f, lsn,
                        m.lastAck(f)).isTrue();
            }
            Result v = verify(m);
            assertThat(v.code()).as(v.out() + v.err()).isZero();
            assertThat(v.out()).contains(" 0 differences");
            assertThat(written.get()).isGreaterThan(2000);

            command.requestStop();
            Result r = result.get(60, TimeUnit.SECONDS);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(verify(m).code()).isZero();
        }
    }
}
