package io.df2redis.examples.cli;

import io.df2redis.examples.cli.CliSyncFixture.Cli;
import io.df2redis.examples.cli.CliSyncFixture.Result;
import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.testkit.redis.RedisServerProcess;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.df2redis.examples.cli.CliSyncFixture.run;
import static io.df2redis.examples.cli.MigrateVerifyIT.differenceLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The acceptance against a real Dragonfly: {@code DF2REDIS_DRAGONFLY_BIN} (a binary started
 * here on a free loopback port, {@code --proactor_threads=2}, no snapshot file) or
 * {@code DF2REDIS_DRAGONFLY_ADDR} (a running server; it is flushed). Data of every type is written
 * with plain commands; {@code migrate} then {@code verify} finds only the JSON document Redis cannot
 * hold, and nothing once it is gone; {@code replicate} under a live write load, stopped, verifies
 * equal. Skipped, with a message, when neither variable is set.
 */
@Timeout(600)
class RealDragonflyCliIT {
    private static RedisServerProcess target;
    private static Process dragonfly;
    private static Path dir;
    private static String source;

    @BeforeAll
    static void start() throws Exception {
        String bin = System.getenv("DF2REDIS_DRAGONFLY_BIN");
        String addr = System.getenv("DF2REDIS_DRAGONFLY_ADDR");
        assumeTrue(bin != null || addr != null, "no real Dragonfly: set DF2REDIS_DRAGONFLY_BIN=/path/to/dragonfly or "
                + "DF2REDIS_DRAGONFLY_ADDR=host:port to run this test");
        if (bin != null) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            dir = Files.createTempDirectory("df2redis-dragonfly");
            dragonfly = new ProcessBuilder(bin, "--bind", "127.0.0.1", "--port", Integer.toString(port), "--dir",
                    dir.toString(), "--dbfilename=", "--logtostderr", "--proactor_threads=2")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dragonfly.log").toFile()).start();
            source = "127.0.0.1:" + port;
        } else {
            source = addr;
        }
        awaitPing();
        target = RedisServerProcess.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (target != null) {
            target.close();
        }
        if (dragonfly != null) {
            dragonfly.destroy();
            if (!dragonfly.waitFor(10, TimeUnit.SECONDS)) {
                dragonfly.destroyForcibly();
            }
            File[] files = dir.toFile().listFiles();
            for (File f : files == null ? new File[0] : files) {
                Files.deleteIfExists(f.toPath());
            }
            Files.deleteIfExists(dir);
        }
    }

    @BeforeEach
    void empty() throws Exception {
        target.call("FLUSHALL");
        try (SyncRespClient c = client()) {
            c.ok("FLUSHALL");
        }
    }

    private static SyncRespClient client() throws IOException {
        HostAndPort hp = HostAndPort.parse(source);
        return SyncRespClient.connect(hp.host(), hp.port(), null, null);
    }

    private static void awaitPing() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (dragonfly != null && !dragonfly.isAlive()) {
                throw new IOException("dragonfly exited with " + dragonfly.exitValue() + ": "
                        + Files.readString(dir.resolve("dragonfly.log")));
            }
            try (SyncRespClient c = client()) {
                c.call("PING");
                return;
            } catch (IOException | io.df2redis.protocol.client.RespClientException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IOException("dragonfly at " + source + " did not answer PING within 30 s", last);
    }

    /** Every type, written with plain commands, in dbs 0 and 3 (big values of 5000 elements). */
    private static void load(SyncRespClient c) throws IOException {
        c.ok("SET", "str", "hello");
        c.ok("APPEND", "str", " world");
        c.ok("SET", "ttl", "expires later", "EX", "3600");
        c.ok("SET", "counter", "41");
        c.ok("INCR", "counter");
        c.ok("SET", "big:str", "x".repeat(2_000_000));
        List<Object> list = new ArrayList<>(List.of("RPUSH", "big:list"));
        List<Object> set = new ArrayList<>(List.of("SADD", "big:set"));
        List<Object> hash = new ArrayList<>(List.of("HSET", "big:hash"));
        List<Object> zset = new ArrayList<>(List.of("ZADD", "big:zset"));
        for (int i = 0; i < 5000; i++) {
            list.add("e:" + i);
            set.add("m:" + i);
            hash.add("f:" + i);
            hash.add("v:" + i);
            zset.add(Double.toString(i * 0.25));
            zset.add("z:" + i);
        }
        c.ok(list.toArray());
        c.ok(set.toArray());
        c.ok(hash.toArray());
        c.ok(zset.toArray());
        c.ok("RPUSH", "list", "a", "b", "c");
        c.ok("SADD", "set", "1", "2", "3");
        c.ok("HSET", "hash", "f1", "v1", "f2", "v2");
        c.ok("ZADD", "zset", "1.5", "a", "-2", "b", "inf", "c");
        c.ok("EXPIRE", "big:list", "86400");
        for (int i = 1; i <= 50; i++) {
            c.ok("XADD", "stream", "1700000000000-" + i, "k", "v" + i);
        }
        c.ok("XDEL", "stream", "1700000000000-7");
        c.ok("XGROUP", "CREATE", "stream", "g1", "0");
        c.ok("XGROUP", "CREATE", "stream", "g2", "$");
        c.ok("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "5", "STREAMS", "stream", ">");
        c.ok("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "3", "STREAMS", "stream", ">");
        c.ok("XACK", "stream", "g1", "1700000000000-2");
        c.ok("JSON.SET", "doc", "$", "{\"a\":1,\"b\":[true,null]}");
        c.ok("SELECT", "3");
        c.ok("SET", "db3:str", "in db 3");
        c.ok("HSET", "db3:hash", "k", "v");
        c.ok("SELECT", "0");
    }

    @Test
    void migrateThenVerify() throws Exception {
        try (SyncRespClient c = client()) {
            load(c);
            Result migrate = run("migrate", "--source", source, "--target", target.address(), "--unsupported", "skip",
                    "--no-progress");
            assertThat(migrate.code()).as(migrate.out() + migrate.err()).isZero();
            assertThat(migrate.out()).contains("no-json-module=1");

            Result withJson = MigrateVerifyIT.verify(source, target.address());
            assertThat(withJson.code()).as(withJson.out() + withJson.err()).isEqualTo(Df2RedisCli.DIFFERENCES);
            assertThat(differenceLines(withJson)).containsExactly("MISSING db 0 key 'doc': ReJSON-RL");
            Result skipped = MigrateVerifyIT.verify(source, target.address(), "--unsupported", "skip");
            assertThat(skipped.code()).as(skipped.out() + skipped.err()).isZero();
            assertThat(skipped.out()).contains("target cannot hold type ReJSON-RL");

            c.ok("DEL", "doc");
            Result equal = MigrateVerifyIT.verify(source, target.address());
            assertThat(equal.code()).as(equal.out() + equal.err()).isZero();
            assertThat(equal.out()).contains(" 0 differences");

            target.call("LSET", "big:list", "2500", "changed");
            Result changed = MigrateVerifyIT.verify(source, target.address());
            assertThat(changed.code()).isEqualTo(Df2RedisCli.DIFFERENCES);
            assertThat(differenceLines(changed)).singleElement().asString().startsWith("VALUE db 0 key 'big:list'");
        }
    }

    @Test
    void replicateUnderALiveWriteLoadThenVerify() throws Exception {
        try (SyncRespClient c = client()) {
            load(c);
            c.ok("DEL", "doc");
        }
        Cli cli = new Cli();
        ReplicateCommand command = cli.subcommand("replicate");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (SyncRespClient w = client()) {
                int i = 0;
                while (writing.get()) {
                    check(w.call("SET", "live:" + (i % 400), "v" + i));
                    check(w.call("INCR", "live:counter"));
                    check(w.call("RPUSH", "live:list", "e" + i));
                    check(w.call("HSET", "hash", "f" + (i % 13), "x" + i));
                    check(w.call("ZADD", "zset", Integer.toString(i % 50), "m" + (i % 17)));
                    check(w.call("XADD", "stream", "*", "live", Integer.toString(i)));
                    if (i % 7 == 0) {
                        check(w.call("DEL", "live:" + ((i + 200) % 400)));
                    }
                    written.set(++i);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        CompletableFuture<Result> result = CompletableFuture.supplyAsync(() -> cli.execute("replicate",
                "--source", source, "--target", target.address(), "--unsupported", "skip", "--status-interval",
                "500ms"));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!cli.err.toString().contains("full sync done")) {
                assertThat(result).as(cli.err.toString()).isNotDone();
                assertThat(System.nanoTime()).as("stable sync within 180 s").isLessThan(deadline);
                Thread.sleep(100);
            }
            int afterSync = written.get();
            while (written.get() < afterSync + 2000) {
                assertThat(writer).isNotDone();
                Thread.sleep(20);
            }
        } finally {
            writing.set(false);
        }
        writer.get(60, TimeUnit.SECONDS);
        // a real master gives no view of the replica's ACKs: wait until verify agrees (writes have stopped)
        Result v = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        do {
            v = MigrateVerifyIT.verify(source, target.address());
        } while (v.code() != 0 && System.nanoTime() < deadline);
        assertThat(v.code()).as(v.out() + v.err()).isZero();
        assertThat(v.out()).contains(" 0 differences");

        command.requestStop();
        Result r = result.get(60, TimeUnit.SECONDS);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(MigrateVerifyIT.verify(source, target.address()).code()).isZero();
    }

    private static void check(RespReply r) {
        if (r instanceof ErrorReply e) {
            throw new IllegalStateException(e.message());
        }
    }
}
