package io.df2redis.testkit;

import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbOpcodes;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.testkit.redis.RedisServerProcess;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded master's read commands through a real socket, where no Redis can serve as the
 * reference: lazy expiry (journaled), member and field TTLs, Dragonfly's types, DUMP payloads
 * (restored into a real redis-server), INFO keyspace, MODULE LIST, JSON.GET, and the SCAN cursor
 * guarantee under concurrent writes.
 */
class ReadCommandsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Wire wire(EmbeddedDragonflyMaster m) {
        return new Wire(m.host(), m.port());
    }

    @Test
    void anExpiredKeyIsInvisibleAndDeletedWhenRead() throws Exception {
        // --hz=0: no heartbeat, so no active expiry; the key goes when it is read
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).hz(0).start(); Wire w = wire(m)) {
            // long enough to outlive the round trips below on a loaded machine (a cold connection's first)
            long at = System.currentTimeMillis() + 2000;
            m.put(0, RdbKeyValue.of("soon", RdbValue.string("v")).withExpireAtMs(at));
            m.put(0, RdbKeyValue.of("stays", RdbValue.list("a")));
            assertThat(w.call("TYPE", "soon")).isEqualTo(new Wire.Simple("string"));
            assertThat((Long) w.call("PTTL", "soon")).isBetween(1L, 2000L);
            assertThat((Long) w.call("TTL", "soon")).isBetween(0L, 2L);
            assertThat(w.call("EXPIRETIME", "soon")).isEqualTo((at + 500) / 1000);
            assertThat(w.call("PEXPIRETIME", "soon")).isEqualTo(at);
            assertThat(w.call("INFO", "keyspace")).asString().contains("db0:keys=2,expires=1,avg_ttl=-1");
            while (System.currentTimeMillis() <= at) {
                Thread.sleep(20);
            }
            assertThat(w.call("INFO", "keyspace")).asString().contains("db0:keys=1,expires=0,");
            assertThat(m.get(0, "soon")).as("still stored until it is read").isPresent();
            assertThat(w.call("EXISTS", "soon", "stays", "soon")).isEqualTo(1L);
            assertThat(m.get(0, "soon")).as("deleted when read").isEmpty();
            assertThat(w.call("TYPE", "soon")).isEqualTo(new Wire.Simple("none"));
            assertThat(w.call("PTTL", "soon")).isEqualTo(-2L);
            assertThat(w.call("PTTL", "stays")).isEqualTo(-1L);
            assertThat(w.call("GET", "soon")).isEqualTo(Wire.Nil.BULK);
            assertThat(w.call("DBSIZE")).isEqualTo(1L);
        }
    }

    @Test
    void theLazyDeletionIsJournaledToAReplica() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(1).hz(0).start(); Wire w = wire(m);
             TestReplica r = TestReplica.connect(m)) {
            r.fullSync();
            m.write(0, "SET", "gone", "v", "PX", "100");
            m.write(0, "SET", "kept", "v");
            long before = m.nextLsn(0);
            Thread.sleep(150);
            assertThat(m.nextLsn(0)).as("nothing expires by itself").isEqualTo(before);
            assertThat(w.call("SCAN", "0")).isEqualTo(List.of("0", List.of("kept")));
            assertThat(m.get(0, "gone")).isEmpty();
            assertThat(m.nextLsn(0)).as("the DEL was journaled").isEqualTo(before + 1);
            r.awaitLsn(0, m.nextLsn(0));
        }
    }

    @Test
    void expiredMembersAndFieldsAreInvisible() throws Exception {
        long past = RdbOpcodes.MEMBER_EXPIRY_BASE + 10; // 2023
        long future = System.currentTimeMillis() / 1000 + 3600;
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start(); Wire w = wire(m)) {
            m.put(0, RdbKeyValue.of("s", new RdbValue.SetValue(List.of(b("old"), b("new"), b("plain")),
                    new long[] {past, future, -1})));
            m.put(0, RdbKeyValue.of("h", new RdbValue.HashValue(List.of(b("old"), b("new")), List.of(b("1"), b("2")),
                    new long[] {past * 1000, future * 1000})));
            m.put(0, RdbKeyValue.of("dead", new RdbValue.SetValue(List.of(b("x")), new long[] {past})));
            assertThat(w.call("SCARD", "s")).isEqualTo(2L);
            assertThat(new TreeSet<>((List<?>) w.call("SMEMBERS", "s")).toString()).isEqualTo("[new, plain]");
            assertThat(w.call("SISMEMBER", "s", "old")).isEqualTo(0L);
            assertThat(w.call("SMISMEMBER", "s", "old", "new")).isEqualTo(List.of(0L, 1L));
            assertThat(w.call("HGETALL", "h")).isEqualTo(List.of("new", "2"));
            assertThat(w.call("HLEN", "h")).isEqualTo(1L);
            assertThat(w.call("HMGET", "h", "old", "new")).isEqualTo(List.of(Wire.Nil.BULK, "2"));
            assertThat(w.call("HSCAN", "h", "0")).isEqualTo(List.of("0", List.of("new", "2")));
            assertThat(w.call("TYPE", "dead")).isEqualTo(new Wire.Simple("none"));
            assertThat(w.call("EXISTS", "dead")).isEqualTo(0L);
        }
    }

    @Test
    void everyTypeOfTheSampleDatasetAnswersItsTypeAndSize() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(3).start(); Wire w = wire(m)) {
            SampleDatasets.everyType(m, 2500);
            Map<String, String> types = Map.of("str:plain", "string", "list:big", "list", "set:big", "set",
                    "hash:big", "hash", "zset:big", "zset", "stream:s", "stream", "json:doc", "ReJSON-RL",
                    "set:memberttl", "set", "hash:fieldttl", "hash");
            types.forEach((k, t) -> assertThat(w.call("TYPE", k)).as(k).isEqualTo(new Wire.Simple(t)));
            assertThat(w.call("LLEN", "list:big")).isEqualTo(2500L);
            assertThat(w.call("LINDEX", "list:big", "-1")).isEqualTo("e:2499");
            assertThat(w.call("ZCARD", "zset:big")).isEqualTo(2500L);
            assertThat(w.call("ZRANGE", "zset:big", "2", "3", "WITHSCORES")).isEqualTo(List.of("e:2", "1", "e:3", "1.5"));
            assertThat(w.call("ZRANGE", "zset:small", "0", "-1", "WITHSCORES"))
                    .isEqualTo(List.of("b", "-2", "a", "1.5", "c", "inf"));
            assertThat(w.call("STRLEN", "str:big")).isEqualTo(300_003L);
            assertThat(w.call("GETRANGE", "str:big", "-3", "-1")).isEqualTo("end");
            assertThat(w.call("GET", "str:bin")).isEqualTo(new String(new byte[] {0, (byte) 0xFF, 10, 13, (byte) 0xC3},
                    StandardCharsets.ISO_8859_1));
            assertThat(w.call("XLEN", "stream:s")).isEqualTo(30L);
            assertThat(w.call("GET", "list:big")).isEqualTo(new Wire.Err(
                    "WRONGTYPE Operation against a key holding the wrong kind of value"));
            // the big hash and set come back whole through their scans, every element once
            for (String k : List.of("hash:big", "set:big", "zset:big")) {
                String cmd = k.startsWith("hash") ? "HSCAN" : k.startsWith("set") ? "SSCAN" : "ZSCAN";
                int stride = cmd.equals("SSCAN") ? 1 : 2;
                Set<String> seen = new HashSet<>();
                String cursor = "0";
                int rounds = 0;
                do {
                    List<?> page = (List<?>) w.call(cmd, k, cursor, "COUNT", "300");
                    cursor = (String) page.get(0);
                    List<?> items = (List<?>) page.get(1);
                    for (int i = 0; i < items.size(); i += stride) {
                        assertThat(seen.add((String) items.get(i))).as("%s returned twice", items.get(i)).isTrue();
                    }
                    rounds++;
                } while (!cursor.equals("0"));
                assertThat(seen).as(k).hasSize(2500);
                assertThat(rounds).as(k).isBetween(9, 10);
            }
            String keyspace = (String) w.call("INFO", "keyspace");
            assertThat(keyspace).startsWith("# Keyspace\r\n").contains("db0:keys=" + m.entries(0).size() + ",expires=2,")
                    .contains("db1:keys=2,expires=0,").contains("db5:keys=1,expires=0,");
            assertThat(w.call("INFO")).asString().contains("# Server").contains("# Keyspace")
                    .contains("dragonfly_version:" + m.profile().dragonflyVersion());
            assertThat(w.call("INFO", "server")).asString().contains("redis_version:7.4.0").doesNotContain("Keyspace");
        }
    }

    @Test
    void jsonGetModuleListAndStreamErrors() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start(); Wire w = wire(m)) {
            m.put(0, RdbKeyValue.of("doc", RdbValue.json("{ \"a\" : 1, \"b\" : [true, null, 2.50] }")));
            m.put(0, RdbKeyValue.of("str", RdbValue.string("x")));
            assertThat(w.call("JSON.GET", "doc")).isEqualTo("{\"a\":1,\"b\":[true,null,2.5]}");
            assertThat(w.call("JSON.GET", "doc", "$")).isEqualTo("[{\"a\":1,\"b\":[true,null,2.5]}]");
            assertThat(w.call("JSON.GET", "nokey")).isEqualTo(Wire.Nil.BULK);
            assertThat(w.call("JSON.GET", "str")).isEqualTo(new Wire.Err(
                    "WRONGTYPE Operation against a key holding the wrong kind of value"));
            assertThat(w.call("JSON.GET", "doc", "$.a")).isInstanceOf(Wire.Err.class);
            assertThat(w.call("MODULE", "LIST")).isEqualTo(List.of(
                    List.of(new Wire.Simple("name"), new Wire.Simple("ReJSON"), new Wire.Simple("ver"), 20_000L),
                    List.of(new Wire.Simple("name"), new Wire.Simple("search"), new Wire.Simple("ver"), 20_000L)));
            assertThat(w.call("MODULE", "LOAD", "x")).isEqualTo(new Wire.Err("ERR syntax error"));
            assertThat(w.call("XINFO", "STREAM", "str")).isEqualTo(new Wire.Err(
                    "WRONGTYPE Operation against a key holding the wrong kind of value"));
            assertThat(w.call("XINFO", "STREAM", "nokey")).isEqualTo(new Wire.Err("ERR no such key"));
            assertThat(w.call("XPENDING", "nokey", "g")).isEqualTo(new Wire.Err(
                    "NOGROUP No such key 'nokey' or consumer group 'g'"));
        }
    }

    @Test
    void dumpPayloadsRestoreIntoRedisAsTheSameValues() throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start(); Wire w = wire(m);
             RedisServerProcess redis = RedisServerProcess.start(); Wire r = new Wire("127.0.0.1", redis.port())) {
            List<byte[]> many = new ArrayList<>();
            for (int i = 0; i < 700; i++) {
                many.add(b("element-" + i));
            }
            m.put(0, RdbKeyValue.of("s", RdbValue.string("hello")));
            m.put(0, RdbKeyValue.of("n", RdbValue.string("12345")));
            m.put(0, RdbKeyValue.of("l", RdbValue.list(many)));
            m.put(0, RdbKeyValue.of("ints", RdbValue.set("1", "2", "-30")));
            m.put(0, RdbKeyValue.of("set", RdbValue.set(many)));
            m.put(0, RdbKeyValue.of("h", RdbValue.hash("f1", "v1", "f2", "v2")));
            m.put(0, RdbKeyValue.of("z", RdbValue.zset(List.of(b("a"), b("b")), new double[] {1.5, -2})));
            Map<String, List<String>> read = new HashMap<>();
            read.put("s", List.of("GET", "s"));
            read.put("n", List.of("GET", "n"));
            read.put("l", List.of("LRANGE", "l", "0", "-1"));
            read.put("ints", List.of("SMEMBERS", "ints"));
            read.put("set", List.of("SCARD", "set"));
            read.put("h", List.of("HGETALL", "h"));
            read.put("z", List.of("ZRANGE", "z", "0", "-1"));
            for (Map.Entry<String, List<String>> e : read.entrySet()) {
                Object payload = w.call("DUMP", e.getKey());
                assertThat(payload).as(e.getKey()).isInstanceOf(String.class);
                assertThat(r.call("RESTORE", e.getKey(), "0", ((String) payload).getBytes(StandardCharsets.ISO_8859_1)))
                        .as(e.getKey()).isEqualTo(new Wire.Simple("OK"));
                Object expected = w.cmd(e.getValue());
                Object actual = r.cmd(e.getValue());
                if (e.getKey().equals("ints")) {
                    expected = new TreeSet<>((List<?>) expected).toString();
                    actual = new TreeSet<>((List<?>) actual).toString();
                }
                assertThat(actual).as(e.getKey()).isEqualTo(expected);
            }
            assertThat(w.call("DUMP", "nokey")).isEqualTo(Wire.Nil.BULK);
        }
    }

    // ------------------------------------------------------------------ SCAN under concurrent writes

    /** Between two SCAN pages: create or delete some keys. */
    record Step(int count, List<Integer> create, List<Integer> delete) {
    }

    @Property(tries = 60)
    void scanReturnsEveryKeyPresentThroughoutExactlyOnce(@ForAll @IntRange(min = 0, max = 300) int initial,
                                                         @ForAll("steps") List<Step> steps) throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start(); Wire w = wire(m)) {
            Set<String> present = new HashSet<>();
            for (int i = 0; i < initial; i++) {
                m.write(0, "SET", "k" + i, "v");
                present.add("k" + i);
            }
            Set<String> always = new HashSet<>(present);
            List<String> returned = new ArrayList<>();
            String cursor = "0";
            int i = 0;
            do {
                Step s = steps.get(i++ % steps.size());
                List<?> page = (List<?>) w.call("SCAN", cursor, "COUNT", Integer.toString(s.count()));
                cursor = (String) page.get(0);
                for (Object k : (List<?>) page.get(1)) {
                    returned.add((String) k);
                    assertThat(present).as("a key that exists").contains((String) k);
                }
                for (int c : s.create()) {
                    m.write(0, "SET", "k" + c, "v");
                    present.add("k" + c);
                }
                for (int d : s.delete()) {
                    if (m.remove(0, b("k" + d))) {
                        present.remove("k" + d);
                        always.remove("k" + d);
                    }
                }
                // a deleted and re-created key was not present throughout
                s.create().forEach(c -> always.remove("k" + c));
                assertThat(i).isLessThan(100_000);
            } while (!cursor.equals("0"));
            assertThat(new HashSet<>(returned)).as("every key present throughout").containsAll(always);
            List<String> steady = new ArrayList<>(returned);
            steady.retainAll(always);
            assertThat(steady).as("no key present throughout returned twice").doesNotHaveDuplicates();
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<List<Integer>> keys = Arbitraries.integers().between(0, 400).list().ofMaxSize(6);
        return Combinators.combine(Arbitraries.integers().between(1, 40), keys, keys).as(Step::new)
                .list().ofMinSize(1).ofMaxSize(10);
    }
}
