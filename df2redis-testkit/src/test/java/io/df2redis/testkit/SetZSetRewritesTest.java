package io.df2redis.testkit;

import io.df2redis.protocol.rdb.RdbValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Set and sorted-set rewrites as {@code set_family.cc} and {@code zset_family.cc} journal them,
 * beyond what the captures show.
 */
class SetZSetRewritesTest {

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void spopOfTheWholeSetIsADelAndOfSomeAnSrem(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 1)) {
            p.m.write("SADD", "s", "a", "b", "c");
            p.m.write("SPOP", "s", "2");
            RdbValue.SetValue left = (RdbValue.SetValue) p.m.get(0, "s").orElseThrow().value();
            assertThat(left.members()).hasSize(1);
            p.m.write("SPOP", "s");
            p.m.write("SPOP", "s");
            List<String> e = p.entries(0);
            assertThat(e).hasSize(3);
            assertThat(e.get(1)).startsWith("COMMAND SREM s ").doesNotContain(new String(left.members().get(0)));
            assertThat(e.get(1).split(" ")).hasSize(5);
            assertThat(e.get(2)).isEqualTo("COMMAND DEL s");
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void storesWriteDelPlusSaddOrOnlyDelForAnEmptyResult(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 2)) {
            String a = p.key("a", 0);
            String b = p.key("b", 1);
            String d = p.key("d", 1);
            p.m.write("SADD", a, "1", "2");
            p.m.write("SADD", b, "3");
            long union = p.m.write("SUNIONSTORE", d, a, b);
            long inter = p.m.write("SINTERSTORE", d, a, b); // empty: dst existed → DEL
            p.m.write("SINTERSTORE", d, a, b); // empty, dst missing → nothing
            p.m.write("SMOVE", a, d, "1");
            assertThat(p.entries(1)).containsExactly("COMMAND SADD " + b + " 3", "COMMAND DEL " + d,
                    "COMMAND SADD " + d + " 1 2 3", "COMMAND DEL " + d, "COMMAND SADD " + d + " 1");
            assertThat(p.entries(0)).containsExactly("COMMAND SADD " + a + " 1 2", "COMMAND SREM " + a + " 1");
            assertThat(p.txids(1).subList(1, 3)).containsOnly(union);
            assertThat(p.txids(1).get(3)).isEqualTo(inter).isNotEqualTo(union);
            assertThat(p.shardCounts(1).subList(1, 5)).containsOnly(1L);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void zstoresAreDelPlusZaddWithSixDigitScoresOnV140AndVerbatimOnV130(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 1)) {
            p.m.write("ZADD", "z", "1", "a", "2", "b");
            p.m.write("ZINTERSTORE", "d", "1", "z", "WEIGHTS", "0.3333333333");
            p.m.write("ZADD", "big", "1234567.25", "m");
            p.m.write("ZUNIONSTORE", "d2", "2", "big", "missing");
            if (profile == ReleaseProfile.V1_40) {
                assertThat(p.entries(0)).containsExactly("COMMAND ZADD z 1 a 2 b", "COMMAND DEL d",
                        "COMMAND ZADD d 0.333333 a 0.666667 b", "COMMAND ZADD big 1234567.25 m", "COMMAND DEL d2",
                        "COMMAND ZADD d2 1.23457e+06 m");
            } else {
                assertThat(p.entries(0)).containsExactly("COMMAND ZADD z 1 a 2 b",
                        "COMMAND ZINTERSTORE d 1 z WEIGHTS 0.3333333333", "COMMAND ZADD big 1234567.25 m",
                        "COMMAND ZUNIONSTORE d2 2 big missing");
            }
            // the master keeps the exact scores; a replica of v1.40 gets the rounded ones
            RdbValue.ZSetValue d2 = (RdbValue.ZSetValue) p.m.get(0, "d2").orElseThrow().value();
            assertThat(d2.scores()).containsExactly(1234567.25);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void zpops(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 1)) {
            p.m.write("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
            p.m.write("ZPOPMAX", "z");
            p.m.write("BZPOPMIN", "none", "z", "0");
            p.m.write("ZMPOP", "1", "z", "MIN", "COUNT", "5");
            String zmpop = profile == ReleaseProfile.V1_40 ? "COMMAND ZPOPMIN z 5" : "COMMAND ZMPOP 1 z MIN COUNT 5";
            assertThat(p.entries(0)).containsExactly("COMMAND ZADD z 1 a 2 b 3 c 4 d", "COMMAND ZPOPMAX z",
                    "COMMAND ZPOPMIN z", zmpop);
            assertThat(p.m.get(0, "z")).isEmpty();
        }
    }
}
