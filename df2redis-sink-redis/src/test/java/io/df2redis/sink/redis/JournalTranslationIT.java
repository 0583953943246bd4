package io.df2redis.sink.redis;

import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.journal.JournalOp;
import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.NullReply;
import io.df2redis.replica.JournalEvent;
import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.SinkEvent;
import io.df2redis.testkit.redis.RedisServerProcess;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dragonfly-only journal forms, applied directly through the sink into a real Redis. */
class JournalTranslationIT {
    private static RedisServerProcess redis;
    private RedisSink sink;

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

    @BeforeEach
    void flush() {
        redis.call("FLUSHALL");
    }

    private RedisSink open(RedisSink.Builder b) {
        RedisSink s = b.build();
        s.open(new MasterInfo("0".repeat(40), "SYNC1", 1, 5, "0".repeat(40), "df-v1.40.1"));
        return s;
    }

    private static void apply(RedisSink s, int db, Object... args) throws Exception {
        List<byte[]> a = new ArrayList<>();
        for (Object o : args) {
            a.add(o instanceof byte[] b ? b : String.valueOf(o).getBytes(StandardCharsets.UTF_8));
        }
        JournalEntry e = new JournalEntry(JournalOp.COMMAND, 0, db, 0, 1, a, 0, false);
        CompletableFuture<Void> f = s.apply(new SinkEvent.Journal(0, new JournalEvent(0, 1, false, e)))
                .toCompletableFuture();
        f.get(10, TimeUnit.SECONDS);
    }

    /** A Dragonfly DUMP payload: type, value, RDB version 9 (LE), CRC-64 (LE). */
    private static byte[] dump(RdbType type, RdbValue value) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeByte(type.code());
        RdbEncoder.dragonfly().writeValue(buf, type, value);
        buf.writeShortLE(9);
        long crc = RdbEncoder.crc64(0, buf, 0, buf.readableBytes());
        buf.writeLongLE(crc);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    @Test
    void dragonflyTokensAreDropped() throws Exception {
        try (RedisSink s = open(RedisSink.standalone(redis.address()))) {
            apply(s, 0, "SET", "k", "v", "STICK", "_MCFLAGS", "42");
            apply(s, 2, "SET", "k2", "v2", "PXAT", System.currentTimeMillis() + 100_000, "_MCFLAGS", "7", "STICK");
            apply(s, 0, "STICK", "k");
            assertThat(((BulkString) redis.call("GET", "k")).asString()).isEqualTo("v");
            redis.call("SELECT", 2);
            assertThat(((BulkString) redis.call("GET", "k2")).asString()).isEqualTo("v2");
            assertThat(((IntegerReply) redis.call("PTTL", "k2")).value()).isPositive();
            redis.call("SELECT", 0);
            assertThat(s.stats().dfMaskIgnored()).isEqualTo(5);
        }
    }

    @Test
    void restorePassesRedisNativePayloadsThroughAndReencodesTheRest() throws Exception {
        try (RedisSink s = open(RedisSink.standalone(redis.address())
                .unsupportedDataPolicy(UnsupportedDataPolicy.SKIP_AND_COUNT))) {
            long exp = System.currentTimeMillis() + 3_600_000;
            // type 16 (hash listpack), RDB version 9: Redis 7.0 loads it as is (CRC checked by Redis)
            apply(s, 0, "RESTORE", "h", exp, dump(RdbType.HASH_LISTPACK, RdbValue.hash("f1", "v1", "f2", "v2")),
                    "REPLACE", "ABSTTL", "STICK");
            assertThat(((ArrayReply) redis.call("HGETALL", "h")).size()).isEqualTo(4);
            assertThat(((IntegerReply) redis.call("PEXPIRETIME", "h")).value()).isEqualTo(exp);
            // a corrupted native payload is rejected by Redis: proof the payload reached RESTORE unchanged
            byte[] bad = dump(RdbType.STRING, RdbValue.string("x"));
            bad[bad.length - 1] ^= 1;
            assertThatThrownBy(() -> apply(s, 0, "RESTORE", "bad", 0, bad, "REPLACE"))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(RedisCommandException.class)
                    .hasMessageContaining("RESTORE").hasMessageContaining("bad");
            // type 21 (stream listpacks 3) needs Redis 7.2: decoded and written with XADD/XSETID
            List<RdbValue.StreamItem> items = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                items.add(RdbValue.StreamItem.of(new StreamId(1000 + i, 0), "f", "v" + i));
            }
            apply(s, 0, "RESTORE", "st", 0, dump(RdbType.STREAM_LISTPACKS_3, RdbValue.StreamValue.of(items, List.of())),
                    "REPLACE", "ABSTTL");
            assertThat(((IntegerReply) redis.call("XLEN", "st")).value()).isEqualTo(5);
            // Dragonfly-only JSON (type 30) without ReJSON: the policy
            apply(s, 0, "RESTORE", "j", 0, dump(RdbType.JSON, RdbValue.json("{\"a\":1}")), "REPLACE", "ABSTTL");
            assertThat(redis.call("EXISTS", "j")).isEqualTo(new IntegerReply(0));
            assertThat(s.stats().skipped()).extracting(UnsupportedData::keyAsString).containsExactly("j");
        }
    }

    @Test
    void fieldAndMemberTtlsAndPrepend() throws Exception {
        try (RedisSink s = open(RedisSink.standalone(redis.address())
                .unsupportedDataPolicy(UnsupportedDataPolicy.SKIP_AND_COUNT))) {
            apply(s, 0, "SADDEX", "s", "100", "a", "b");
            apply(s, 0, "HSETEX", "h", "100", "f", "v", "g", "w");
            apply(s, 0, "SET", "p", "world");
            apply(s, 0, "PREPEND", "p", "hello ");
            apply(s, 0, "JSON.SET", "j", "$", "1");
            apply(s, 0, "BF.ADD", "b", "x");
            assertThat(((IntegerReply) redis.call("SCARD", "s")).value()).isEqualTo(2);
            assertThat(((ArrayReply) redis.call("HGETALL", "h")).size()).isEqualTo(4);
            assertThat(((BulkString) redis.call("GET", "p")).asString()).isEqualTo("hello world");
            assertThat(redis.call("GET", "j")).isInstanceOf(NullReply.class);
            assertThat(s.stats().skipped()).extracting(d -> d.keyAsString() + ":" + d.reason())
                    .containsExactly("s:member-ttl", "h:field-ttl", "j:no-json-module", "b:no-bloom-module");
        }
    }

    @Test
    void authPasswordAndAclUser() throws Exception {
        try (RedisServerProcess secured = RedisServerProcess.start("--requirepass", "s3cret")) {
            try (RedisSink s = open(RedisSink.standalone(secured.address()).password("s3cret"))) {
                apply(s, 0, "SET", "a", "1");
            }
            try (RedisSink s = open(RedisSink.standalone("redis://default:s3cret@" + secured.address()))) {
                apply(s, 0, "SET", "b", "2");
            }
            assertThatThrownBy(() -> open(RedisSink.standalone(secured.address()).password("wrong")))
                    .isInstanceOf(TargetAuthenticationException.class);
        }
    }

    @Test
    void callbackPolicyNamesTheKey() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (RedisSink s = open(RedisSink.standalone(redis.address()).onUnsupported(
                (key, db, type, reason) -> seen.add(new String(key, StandardCharsets.UTF_8) + "@" + db + ":" + type
                        + ":" + reason)))) {
            apply(s, 4, "CF.ADD", "cf", "x");
            apply(s, 0, "SET", "ok", "v");
            assertThat(seen).containsExactly("cf@4:CF.ADD:no-bloom-module");
            assertThat(s.stats().skippedByReason()).containsEntry("no-bloom-module", 1L);
        }
    }

    @Test
    void failPolicyAndErrorRepliesAreTyped() throws Exception {
        try (RedisSink s = open(RedisSink.standalone(redis.address()))) {
            assertThatThrownBy(() -> apply(s, 3, "JSON.SET", "doc", "$", "1")).cause()
                    .isInstanceOf(UnsupportedDataException.class).hasMessageContaining("doc");
            apply(s, 0, "SET", "str", "v");
            assertThatThrownBy(() -> apply(s, 0, "LPUSH", "str", "x")).cause()
                    .isInstanceOfSatisfying(RedisCommandException.class, e -> {
                        assertThat(e.command()).isEqualTo("LPUSH");
                        assertThat(e.key()).isEqualTo("str");
                        assertThat(e.error()).startsWith("WRONGTYPE");
                        assertThat(e.endpoint()).isEqualTo(redis.address()); // which target failed
                        assertThat(e).isInstanceOf(RedisSinkException.class).hasMessageContaining(redis.address());
                    });
            assertThat(s.stats().errors()).isPositive();
        }
    }
}
