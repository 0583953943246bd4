package io.df2redis.sink.redis;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.replica.FlowStats;
import io.df2redis.replica.Replicator;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.df2redis.sink.redis.CapturedCaseRedisSinkIT.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/** The sink against datasets built with the embedded master: dbs and FLUSHDB, a 1 M-element list, a Redis crash. */
class EmbeddedMasterRedisSinkIT {
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

    static long applied(Replicator r, int flow) {
        List<FlowStats> f = r.stats().flows();
        return f.size() > flow ? f.get(flow).appliedLsn() : 0;
    }

    static void awaitApplied(Replicator r, EmbeddedDragonflyMaster m) throws InterruptedException {
        for (int i = 0; i < m.shardCount(); i++) {
            int flow = i;
            long target = m.nextLsn(i);
            awaitTrue(() -> applied(r, flow) >= target, "flow " + i + " applied " + target);
        }
    }

    private static long dbsize(RedisServerProcess r, int db) {
        r.call("SELECT", db);
        long n = ((IntegerReply) r.call("DBSIZE")).value();
        r.call("SELECT", 0);
        return n;
    }

    private static String get(RedisServerProcess r, int db, String key) {
        r.call("SELECT", db);
        Object v = r.call("GET", key);
        r.call("SELECT", 0);
        return v instanceof BulkString b ? b.asString() : null;
    }

    /** Keys of dbs 0, 1 and 5 keep their db; a FLUSHDB in db 1 journaled on every flow runs once. */
    @Test
    void multipleDbsAndFlushdbOnce() throws Exception {
        redis.call("FLUSHALL");
        redis.call("CONFIG", "RESETSTAT");
        RedisSink sink = RedisSink.standalone(redis.address()).build();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(3).start();
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(sink).build()) {
            for (int db : new int[] {0, 1, 5}) {
                for (int i = 0; i < 20; i++) {
                    m.put(db, RdbKeyValue.of("k" + i, RdbValue.string("db" + db + ":" + i)));
                }
            }
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).isTrue();
            awaitApplied(r, m);
            assertThat(dbsize(redis, 0)).isEqualTo(20);
            assertThat(dbsize(redis, 1)).isEqualTo(20);
            assertThat(dbsize(redis, 5)).isEqualTo(20);
            assertThat(get(redis, 5, "k7")).isEqualTo("db5:7");
            for (int i = 0; i < 10; i++) {
                m.write(1, "SET", "live" + i, "v" + i);
                m.write(5, "SET", "live" + i, "five" + i);
            }
            m.write(1, "FLUSHDB");
            m.write(1, "SET", "after", "flush");
            awaitApplied(r, m);
            assertThat(dbsize(redis, 0)).isEqualTo(20);
            assertThat(dbsize(redis, 1)).isEqualTo(1);
            assertThat(get(redis, 1, "after")).isEqualTo("flush");
            assertThat(dbsize(redis, 5)).isEqualTo(30);
            assertThat(get(redis, 5, "live3")).isEqualTo("five3");
            String stats = ((BulkString) redis.call("INFO", "commandstats")).asString();
            assertThat(stats).as("FLUSHDB executed once").contains("cmdstat_flushdb:calls=1,");
            assertThat(sink.stats().errors()).isZero();
        }
    }

    /**
     * Small snapshot strings go as MSETs of up to 128 keys (a string with a TTL or in chunks is a SET
     * of its own), and a journal write lands on the batched value (writes during the full sync:
     * CapturedCaseRedisSinkIT, writes-during-fullsync).
     */
    @Test
    void snapshotStringsAreBatchedIntoMsets() throws Exception {
        redis.call("FLUSHALL");
        redis.call("CONFIG", "RESETSTAT");
        RedisSink sink = RedisSink.standalone(redis.address()).build();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(sink).build()) {
            for (int i = 0; i < 2000; i++) {
                m.put(0, RdbKeyValue.of("s" + i, RdbValue.string("v" + i)));
            }
            m.put(0, RdbKeyValue.of("ttl", RdbValue.string("t")).withExpireAtMs(System.currentTimeMillis() + 3_600_000));
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).isTrue();
            m.write(0, "APPEND", "s7", "+live");
            awaitApplied(r, m);
            assertThat(dbsize(redis, 0)).isEqualTo(2001);
            assertThat(get(redis, 0, "s7")).isEqualTo("v7+live");
            assertThat(get(redis, 0, "s1999")).isEqualTo("v1999");
            String stats = ((BulkString) redis.call("INFO", "commandstats")).asString();
            long msets = calls(stats, "mset");
            assertThat(msets).as(stats).isBetween(2000L / 128, 2000L / 4);
            assertThat(calls(stats, "set")).as("only the key with a TTL: SET … PXAT").isEqualTo(1);
            assertThat(sink.stats().errors()).isZero();
        }
    }

    private static long calls(String commandstats, String cmd) {
        java.util.regex.Matcher mt = java.util.regex.Pattern.compile("cmdstat_" + cmd + ":calls=(\\d+)")
                .matcher(commandstats);
        return mt.find() ? Long.parseLong(mt.group(1)) : 0;
    }

    /** A 1 M-element list arrives whole, in order, with bounded batches. */
    @Test
    void millionElementList() throws Exception {
        redis.call("FLUSHALL");
        int n = 1_000_000;
        List<byte[]> elems = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            elems.add(("e" + i).getBytes(StandardCharsets.UTF_8));
        }
        RedisSink sink = RedisSink.standalone(redis.address()).build();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(1).start();
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(sink).build()) {
            m.put(0, RdbKeyValue.of("big", RdbValue.list(elems)));
            long t0 = System.nanoTime();
            r.start();
            assertThat(r.awaitFullSync(Duration.ofSeconds(120))).isTrue();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(((IntegerReply) redis.call("LLEN", "big")).value()).isEqualTo(n);
            assertThat(((BulkString) redis.call("LINDEX", "big", 0)).asString()).isEqualTo("e0");
            assertThat(((BulkString) redis.call("LINDEX", "big", 500_000)).asString()).isEqualTo("e500000");
            assertThat(((BulkString) redis.call("LINDEX", "big", -1)).asString()).isEqualTo("e999999");
            System.out.printf("1M-element list: full sync into Redis in %d ms, %d commands%n", ms,
                    sink.stats().commands());
        }
    }

    /**
     * Redis is killed mid-stream: the replicator's applied LSN (and its ACKs) never pass what Redis
     * confirmed; after Redis restarts (AOF, fsync always) replication resumes and every write is there.
     */
    @Test
    void appliedLsnOnlyOverConfirmedWrites() throws Exception {
        try (RedisServerProcess aof = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always");
             EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(1).start();
             Replicator r = Replicator.builder().source(m.host(), m.port())
                     .options(o -> o.reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(300)))
                     .ownedSink(RedisSink.standalone(aof.address()).connectTimeout(Duration.ofSeconds(1))
                             .build()).build()) {
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).isTrue();
            for (int i = 0; i < 100; i++) {
                m.write("SET", "k" + i, "v" + i);
            }
            awaitApplied(r, m);
            assertThat(((IntegerReply) aof.call("DBSIZE")).value()).isEqualTo(100);
            long confirmed = applied(r, 0);
            aof.kill();
            AtomicLong maxSeen = new AtomicLong();
            AtomicBoolean watch = new AtomicBoolean(true);
            Thread watcher = new Thread(() -> {
                while (watch.get()) {
                    maxSeen.accumulateAndGet(applied(r, 0), Math::max);
                    maxSeen.accumulateAndGet(m.lastAck(0), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            watcher.start();
            for (int i = 100; i < 200; i++) {
                m.write("SET", "k" + i, "v" + i);
            }
            Thread.sleep(1500);
            watch.set(false);
            watcher.join();
            assertThat(maxSeen.get()).as("applied LSN / ACK while Redis was down").isLessThanOrEqualTo(confirmed);
            aof.launch();
            awaitApplied(r, m);
            assertThat(((IntegerReply) aof.call("DBSIZE")).value()).isEqualTo(200);
            for (int i = 0; i < 200; i += 37) {
                assertThat(((BulkString) aof.call("GET", "k" + i)).asString()).isEqualTo("v" + i);
            }
        }
    }

    /**
     * Clients keep writing while the (paced) snapshot streams and after it: strings, counters,
     * lists, hashes, sets, sorted sets, deletes and absolute expiries; Redis ends up equal to the
     * master's keyspace, TTLs included.
     */
    @Test
    void writeWorkloadDuringAndAfterFullSync() throws Exception {
        redis.call("FLUSHALL");
        RedisSink sink = RedisSink.standalone(redis.address()).unsupportedDataPolicy(UnsupportedDataPolicy.SKIP_AND_COUNT)
                .build();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(3).paceSnapshot(40_000).start();
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(sink).build()) {
            for (int i = 0; i < 5000; i++) {
                m.put(i % 3, RdbKeyValue.of("k" + i, RdbValue.string("v" + i)));
            }
            java.util.Random rnd = new java.util.Random(42);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong writes = new AtomicLong();
            AtomicLong duringFullSync = new AtomicLong();
            long future = System.currentTimeMillis() + 3_600_000;
            Thread writer = new Thread(() -> {
                while (!stop.get()) {
                    int db = rnd.nextInt(3);
                    String k = "k" + rnd.nextInt(6000);
                    switch (rnd.nextInt(8)) {
                        case 0 -> m.write(db, "SET", k, "w" + writes.get());
                        case 1 -> m.write(db, "INCR", "counter" + rnd.nextInt(20));
                        case 2 -> m.write(db, "RPUSH", "list" + rnd.nextInt(20), "e" + writes.get());
                        case 3 -> m.write(db, "HSET", "hash" + rnd.nextInt(20), "f" + rnd.nextInt(50), "x");
                        case 4 -> m.write(db, "SADD", "set" + rnd.nextInt(20), "m" + rnd.nextInt(50));
                        case 5 -> m.write(db, "ZADD", "zset" + rnd.nextInt(20), Integer.toString(rnd.nextInt(100)),
                                "m" + rnd.nextInt(50));
                        case 6 -> m.write(db, "DEL", k);
                        default -> m.write(db, "PEXPIREAT", k, Long.toString(future + rnd.nextInt(1000)));
                    }
                    writes.incrementAndGet();
                    if (r.state() == io.df2redis.replica.ReplicationState.FULL_SYNC) {
                        duringFullSync.incrementAndGet();
                    }
                    try {
                        Thread.sleep(0, 200_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "writer");
            r.start();
            writer.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(120))).as("stable sync; failure " + r.failure()).isTrue();
            Thread.sleep(1000);
            stop.set(true);
            writer.join();
            awaitApplied(r, m);
            assertThat(duringFullSync.get()).as("writes during full sync").isGreaterThan(100);
            assertThat(writes.get() - duringFullSync.get()).as("writes after full sync").isGreaterThan(100);
            com.fasterxml.jackson.databind.JsonNode expected = RedisKeyspace.JSON.readTree(
                    RedisKeyspace.JSON.writeValueAsString(io.df2redis.testkit.SampleDatasets.keyspaceOf(m)));
            assertThat(RedisKeyspace.compare("write workload", expected, RedisKeyspace.read(redis))).isEmpty();
            assertThat(sink.stats().errors()).isZero();
            System.out.printf("write workload: %d writes (%d during full sync), %d keys%n", writes.get(),
                    duringFullSync.get(), ((IntegerReply) redis.call("DBSIZE")).value());
        }
    }

    /**
     * With FullSyncTargetPolicy.UPSERT (no flush at full-sync start), every snapshot key replaces what the target held
     * under that name (upsert, whatever the old type), and keys the master does not hold survive.
     */
    @Test
    void withoutFlushSnapshotKeysReplaceWhatTheTargetHeld() throws Exception {
        redis.call("FLUSHALL");
        redis.call("RPUSH", "list", "old1", "old2", "old3");
        redis.call("SET", "hash", "was a string");
        redis.call("SADD", "zset", "was", "a", "set");
        redis.call("SET", "stray", "not on the master");
        RedisSink sink = RedisSink.standalone(redis.address()).fullSyncTargetPolicy(FullSyncTargetPolicy.UPSERT).build();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(sink).build()) {
            m.put(0, RdbKeyValue.of("list", RdbValue.list("a", "b")));
            m.put(0, RdbKeyValue.of("hash", RdbValue.hash("f", "v")));
            m.put(0, RdbKeyValue.of("zset", RdbValue.zset(List.of("m".getBytes(StandardCharsets.UTF_8)),
                    new double[] {1.5})));
            r.start();
            assertThat(r.awaitFullSync(Duration.ofSeconds(30))).isTrue();
            assertThat(redis.call("LRANGE", "list", 0, -1).toString()).contains("a").contains("b").doesNotContain("old");
            assertThat(((IntegerReply) redis.call("LLEN", "list")).value()).isEqualTo(2);
            assertThat(((BulkString) redis.call("HGET", "hash", "f")).asString()).isEqualTo("v");
            assertThat(((BulkString) redis.call("ZSCORE", "zset", "m")).asString()).isEqualTo("1.5");
            assertThat(((IntegerReply) redis.call("ZCARD", "zset")).value()).isEqualTo(1);
            assertThat(((BulkString) redis.call("GET", "stray")).asString()).isEqualTo("not on the master");
            assertThat(sink.stats().errors()).isZero();
        }
    }

    /**
     * A source db the target does not have (redis-server --databases 2): the SELECT error fails the
     * session with a typed error naming it, and none of that db's commands lands in another db.
     */
    @Test
    void aDbTheTargetLacksFailsWithoutWritingElsewhere() throws Exception {
        try (RedisServerProcess two = RedisServerProcess.start("--databases", "2");
             EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(1).start()) {
            m.put(0, RdbKeyValue.of("zero", RdbValue.string("0")));
            m.put(5, RdbKeyValue.of("five-a", RdbValue.string("5")));
            m.put(5, RdbKeyValue.of("five-b", RdbValue.list("x", "y")));
            try (Replicator r = Replicator.builder().source(m.host(), m.port())
                    .options(o -> o.maxReconnectAttempts(0))
                    .ownedSink(RedisSink.standalone(two.address()).build()).build()) {
                r.start();
                CapturedCaseRedisSinkIT.awaitTrue(() -> r.failure() != null, "failure");
                assertThat(r.failure()).isInstanceOf(RedisCommandException.class).hasMessageContaining("SELECT")
                        .hasMessageContaining("db 5");
            }
            for (int db = 0; db < 2; db++) {
                two.call("SELECT", db);
                assertThat(two.call("EXISTS", "five-a", "five-b")).as("db " + db).isEqualTo(new IntegerReply(0));
            }
        }
    }
}
