package io.df2redis.testkit;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code DEBUG POPULATE} on the embedded master, as Dragonfly v1.40 runs it
 * ({@code debugcmd.cc}): the keys, the values, what happens to keys that exist, the options and
 * the errors, and the journal a replica in stable sync gets.
 */
class DebugPopulateTest {
    private static Wire wire(EmbeddedDragonflyMaster m) {
        return new Wire(m.host(), m.port());
    }

    @Test
    void writesCountStringsOfSizeXsNamedPrefixColonIndex() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start(); Wire w = wire(m)) {
            w.call("SET", "key:5", "old");
            w.call("RPUSH", "key:7", "a");
            w.call("SET", "key:1000", "outside");
            assertThat(w.call("DEBUG", "POPULATE", "1000", "key", "32")).isEqualTo(new Wire.Simple("OK"));
            assertThat(w.call("DBSIZE")).isEqualTo(1001L);
            assertThat(w.call("GET", "key:0")).isEqualTo("x".repeat(32));
            assertThat(w.call("GET", "key:999")).isEqualTo("x".repeat(32));
            assertThat(w.call("GET", "key:5")).as("SET overwrites").isEqualTo("x".repeat(32));
            assertThat(w.call("TYPE", "key:7")).as("SET replaces any type").isEqualTo(new Wire.Simple("string"));
            assertThat(w.call("GET", "key:1000")).isEqualTo("outside");
            assertThat(w.call("PTTL", "key:0")).isEqualTo(-1L);
        }
    }

    @Test
    void defaultsArePrefixKeyAndSixteenBytes() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(3).start(); Wire w = wire(m)) {
            assertThat(w.call("DEBUG", "populate", "10")).isEqualTo(new Wire.Simple("OK"));
            assertThat(w.call("DBSIZE")).isEqualTo(10L);
            for (int i = 0; i < 10; i++) {
                assertThat(w.call("GET", "key:" + i)).isEqualTo("x".repeat(16));
            }
            assertThat(w.call("DEBUG", "POPULATE", "3", "p", "0")).isEqualTo(new Wire.Simple("OK"));
            assertThat(w.call("GET", "p:2")).isEqualTo("");
        }
    }

    @Test
    void typesElementsRandAndExpire() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start(); Wire w = wire(m)) {
            w.call("SET", "l:1", "a string");
            assertThat(w.call("DEBUG", "POPULATE", "3", "l", "8", "TYPE", "list", "ELEMENTS", "4"))
                    .isEqualTo(new Wire.Simple("OK"));
            assertThat(w.call("LRANGE", "l:0", "0", "-1")).isEqualTo(List.of("xxxxxxxx", "xxxxxxxx", "xxxxxxxx", "xxxxxxxx"));
            assertThat(w.call("GET", "l:1")).as("LPUSH on a string is skipped").isEqualTo("a string");

            assertThat(w.call("DEBUG", "POPULATE", "2", "h", "40", "RAND", "TYPE", "HASH", "ELEMENTS", "3"))
                    .isEqualTo(new Wire.Simple("OK"));
            assertThat(w.call("HLEN", "h:1")).isEqualTo(3L);
            List<?> fields = (List<?>) w.call("HKEYS", "h:1");
            assertThat(fields).allSatisfy(f -> assertThat((String) f).hasSize(20).matches("[0-9a-f]+"));

            assertThat(w.call("DEBUG", "POPULATE", "2", "s", "4", "TYPE", "SET", "ELEMENTS", "5"))
                    .isEqualTo(new Wire.Simple("OK"));
            assertThat(w.call("SMEMBERS", "s:0")).as("five equal members are one").isEqualTo(List.of("xxxx"));

            assertThat(w.call("DEBUG", "POPULATE", "1", "z", "20", "RAND", "TYPE", "ZSET", "ELEMENTS", "5"))
                    .isEqualTo(new Wire.Simple("OK"));
            assertThat(w.call("ZCARD", "z:0")).isEqualTo(5L);
            List<?> scored = (List<?>) w.call("ZRANGE", "z:0", "0", "-1", "WITHSCORES");
            for (int i = 1; i < scored.size(); i += 2) {
                assertThat(Long.parseLong((String) scored.get(i))).isBetween(0L, 19L);
            }

            assertThat(w.call("DEBUG", "POPULATE", "2", "st", "10", "TYPE", "STREAM", "ELEMENTS", "2"))
                    .isEqualTo(new Wire.Simple("OK"));
            assertThat(w.call("XLEN", "st:1")).isEqualTo(1L);

            assertThat(w.call("DEBUG", "POPULATE", "20", "e", "4", "EXPIRE", "100", "200"))
                    .isEqualTo(new Wire.Simple("OK"));
            for (int i = 0; i < 20; i++) {
                assertThat((Long) w.call("TTL", "e:" + i)).isBetween(98L, 199L);
            }
        }
    }

    @Test
    void badArgumentsGetDragonflysErrorsAndWriteNothing() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().start(); Wire w = wire(m)) {
            assertThat(w.call("DEBUG", "POPULATE")).isEqualTo(new Wire.Err(
                    "ERR Unknown subcommand or wrong number of arguments for 'POPULATE'. Try DEBUG HELP."));
            assertThat(w.call("DEBUG", "NOSUCH")).isEqualTo(new Wire.Err(
                    "ERR Unknown subcommand or wrong number of arguments for 'NOSUCH'. Try DEBUG HELP."));
            Wire.Err uint = new Wire.Err("ERR value is out of range, must be positive");
            assertThat(w.call("DEBUG", "POPULATE", "-1")).isEqualTo(uint);
            assertThat(w.call("DEBUG", "POPULATE", "ten")).isEqualTo(uint);
            assertThat(w.call("DEBUG", "POPULATE", "1", "k", "-3")).isEqualTo(uint);
            assertThat(w.call("DEBUG", "POPULATE", "1", "k", "8", "BOGUS")).isEqualTo(new Wire.Err("ERR syntax error"));
            assertThat(w.call("DEBUG", "POPULATE", "1", "k", "8", "TYPE")).isEqualTo(new Wire.Err("ERR syntax error"));
            assertThat(w.call("DEBUG", "POPULATE", "1", "k", "8", "EXPIRE", "5"))
                    .isEqualTo(new Wire.Err("ERR syntax error"));
            assertThat(w.call("DEBUG", "POPULATE", "1", "k", "8", "EXPIRE", "5", "5"))
                    .isEqualTo(new Wire.Err("ERR expiry is out of range"));
            assertThat(w.call("DEBUG", "POPULATE", "1", "k", "8", "SLOTS", "0", "100")).asString()
                    .contains("not implemented by the embedded master");
            assertThat(w.call("DEBUG", "POPULATE", "1", "k", "8", "TYPE", "JSON")).asString()
                    .contains("not implemented by the embedded master");
            assertThat(w.call("DEBUG", "POPULATE", "100000000")).asString()
                    .contains("not implemented by the embedded master");
            assertThat(w.call("DEBUG", "POPULATE", "10", "k", "4294967295")).asString()
                    .contains("over the embedded master's 1 GiB");
            assertThat(w.call("DEBUG", "POPULATE", "1000", "k", "1000", "TYPE", "LIST", "ELEMENTS", "10000"))
                    .asString().contains("over the embedded master's 1 GiB");
            assertThat(w.call("DBSIZE")).isEqualTo(0L);
        }
    }

    @Test
    void aReplicaInStableSyncGetsOneSetPerKey() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             TestReplica r = TestReplica.connect(m); Wire w = wire(m)) {
            r.fullSync();
            long before = m.nextLsn(0) + m.nextLsn(1);
            assertThat(w.call("DEBUG", "POPULATE", "50", "j", "4")).isEqualTo(new Wire.Simple("OK"));
            assertThat(m.nextLsn(0) + m.nextLsn(1) - before).isEqualTo(50);
            r.awaitLsn(0, m.nextLsn(0));
            r.awaitLsn(1, m.nextLsn(1));
            List<String> sets = new java.util.ArrayList<>();
            for (int f = 0; f < 2; f++) {
                for (Map<String, Object> e : StableSyncTest.journal(r.flow(f))) {
                    if (!"LSN".equals(e.get("op"))) {
                        sets.add(StableSyncTest.describe(e));
                    }
                }
            }
            assertThat(sets).hasSize(50).allMatch(s -> s.matches("COMMAND SET j:\\d+ xxxx"));
        }
    }
}
