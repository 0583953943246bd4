package io.df2redis.testkit;

import io.df2redis.protocol.rdb.RdbValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** String and keyspace commands as {@code string_family.cc} and {@code generic_family.cc} journal them. */
class StringKeyRewritesTest {

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void stringWrites(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 1)) {
            p.m.write("SET", "k", "v", "PX", "600000");
            p.m.write("GETEX", "k", "PERSIST");
            p.m.write("GETEX", "k", "PX", "600000");
            p.m.write("GETEX", "k");
            p.m.write("GETSET", "k", "w");
            p.m.write("SETNX", "k", "x");
            p.m.write("SET", "k", "y", "XX", "KEEPTTL", "STICK");
            p.m.write("MSETNX", "k", "1", "other", "2");
            p.m.write("INCRBYFLOAT", "f", "0.5");
            p.m.write("SET", "b1", "ab");
            p.m.write("BITOP", "OR", "b2", "b1", "missing");
            p.m.write("BITOP", "AND", "b3", "missing");
            List<String> e = p.entries(0);
            assertThat(e.get(0)).startsWith("COMMAND SET k v PXAT ");
            assertThat(e.get(1)).isEqualTo("COMMAND PERSIST k");
            assertThat(e.get(2)).startsWith("COMMAND PEXPIREAT k ");
            assertThat(e.subList(3, e.size())).containsExactly("COMMAND GETSET k w", "COMMAND SET k y KEEPTTL STICK",
                    "COMMAND INCRBYFLOAT f 0.5", "COMMAND SET b1 ab", "COMMAND SET b2 ab");
            assertThat(p.m.get(0, "k").orElseThrow().dfMask() & 1).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void msetOnOneShardHasNoTxidAndAcrossShardsOneEach(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 2)) {
            String a = p.key("a", 0);
            String a2 = p.key("x", 0);
            String b = p.key("b", 1);
            assertThat(p.m.write("MSET", a, "1", a2, "2")).isZero();
            long tx = p.m.write("MSET", a, "3", b, "4");
            assertThat(tx).isPositive();
            assertThat(p.entries(0)).containsExactly("COMMAND MSET " + a + " 1 " + a2 + " 2", "COMMAND MSET " + a + " 3");
            assertThat(p.txids(0)).containsExactly(0L, tx);
            long cnt = profile == ReleaseProfile.V1_30 ? 2 : 1;
            assertThat(p.shardCounts(0)).containsExactly(1L, cnt);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void delAndUnlink(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 1)) {
            p.m.write("SET", "a", "1");
            p.m.write("UNLINK", "a", "missing");
            p.m.write("DEL", "missing");
            if (profile == ReleaseProfile.V1_40) {
                assertThat(p.entries(0)).containsExactly("COMMAND SET a 1", "COMMAND DEL a");
            } else {
                assertThat(p.entries(0)).containsExactly("COMMAND SET a 1", "COMMAND UNLINK a missing",
                        "COMMAND DEL missing");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void renameCopyMoveAndFlushall(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 2)) {
            String a = p.key("a", 0);
            String same = p.key("s", 0);
            String other = p.key("o", 1);
            p.m.write("RPUSH", a, "x");
            p.m.write("SET", other, "taken");
            assertThat(p.m.write("RENAME", a, same)).isZero();
            p.m.write("RENAMENX", same, other); // destination exists: nothing
            p.m.write("COPY", same, other, "REPLACE");
            p.m.write("MOVE", "nothing-here-" + a, "2");
            p.m.write(3, "SET", "in3", "v");
            long flush = p.m.write(3, "FLUSHALL");
            List<String> e0 = p.entries(0);
            List<String> e1 = p.entries(1);
            assertThat(e0.subList(0, 2)).containsExactly("COMMAND RPUSH " + a + " x", "COMMAND RENAME " + a + " " + same);
            assertThat(e1.get(0)).isEqualTo("COMMAND SET " + other + " taken");
            assertThat(e1.get(1)).startsWith("COMMAND RESTORE " + other + " 0 ").endsWith(" REPLACE ABSTTL");
            assertThat(e0).contains("COMMAND FLUSHALL");
            assertThat(e1).contains("COMMAND FLUSHALL");
            assertThat(p.raw(0).get(p.raw(0).size() - 1)).containsEntry("txid", flush).containsEntry("db", 3);
            assertThat(p.raw(1).get(p.raw(1).size() - 1)).containsEntry("txid", flush).containsEntry("db", 3);
            String move = "COMMAND MOVE nothing-here-" + a + " 2";
            assertThat(p.m.shardOf("nothing-here-" + a) == 0 ? e0 : e1).contains(move);
            assertThat(p.m.dbs()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void errorsJournalNothingAndReportTheRedisText(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 1)) {
            p.m.write("SADD", "s", "m");
            assertThatThrownBy(() -> p.m.write("INCR", "s")).hasMessageStartingWith("WRONGTYPE");
            assertThatThrownBy(() -> p.m.write("SET", "k", "v", "EX", "0"))
                    .hasMessage("ERR invalid expire time in 'set' command");
            assertThatThrownBy(() -> p.m.write("RENAME", "missing", "x")).hasMessage("ERR no such key");
            assertThatThrownBy(() -> p.m.write("LSET", "s", "0", "x")).hasMessageStartingWith("WRONGTYPE");
            p.m.write("SET", "n", "1");
            assertThat(p.entries(0)).containsExactly("COMMAND SADD s m", "COMMAND SET n 1");
            assertThat(((RdbValue.SetValue) p.m.get(0, "s").orElseThrow().value()).members()).hasSize(1);
        }
    }
}
