package io.df2redis.testkit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * List moves and pops journaled as {@code list_family.cc} journals them (v1.40.1, v1.30.3):
 * the cases the captures do not cover.
 */
class ListRewritesTest {

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void movesWithinOneShard(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 2)) {
            String a = p.key("a", 0);
            String b = p.key("b", 0);
            p.m.write("RPUSH", a, "1", "2", "3");
            p.m.write("LMOVE", a, b, "RIGHT", "LEFT");
            p.m.write("RPOPLPUSH", a, b);
            p.m.write("BLMOVE", a, b, "LEFT", "RIGHT", "0");
            p.m.write("LMOVE", "missing", b, "LEFT", "LEFT");
            if (profile == ReleaseProfile.V1_40) {
                assertThat(p.entries(0)).containsExactly("COMMAND RPUSH " + a + " 1 2 3",
                        "COMMAND RPOP " + a, "COMMAND LPUSH " + b + " 3",
                        "COMMAND RPOP " + a, "COMMAND LPUSH " + b + " 2",
                        "COMMAND LPOP " + a, "COMMAND RPUSH " + b + " 1");
                // single-hop moves run without a txid; the blocking one is multi-hop
                assertThat(p.txids(0).subList(0, 5)).containsOnly(0L);
                assertThat(p.txids(0).get(5)).isPositive().isEqualTo(p.txids(0).get(6));
            } else {
                // v1.30.3 auto-journals a same-shard move as received, and a blocking one as LMOVE
                assertThat(p.entries(0)).containsExactly("COMMAND RPUSH " + a + " 1 2 3",
                        "COMMAND LMOVE " + a + " " + b + " RIGHT LEFT", "COMMAND RPOPLPUSH " + a + " " + b,
                        "COMMAND LMOVE " + a + " " + b + " LEFT RIGHT");
                assertThat(p.txids(0).subList(0, 3)).containsOnly(0L);
                assertThat(p.txids(0).get(3)).isPositive();
            }
            assertThat(p.m.get(0, a)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void movesAcrossShardsArePopPlusPushUnderOneTxid(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 2)) {
            String a = p.key("a", 0);
            String b = p.key("b", 1);
            p.m.write("RPUSH", a, "x", "y");
            long tx = p.m.write("BRPOPLPUSH", a, b, "1");
            assertThat(tx).isPositive();
            assertThat(p.entries(0)).containsExactly("COMMAND RPUSH " + a + " x y", "COMMAND RPOP " + a);
            assertThat(p.entries(1)).containsExactly("COMMAND LPUSH " + b + " y");
            assertThat(p.txids(0).get(1)).isEqualTo(tx);
            assertThat(p.txids(1).get(0)).isEqualTo(tx);
            long cnt = profile == ReleaseProfile.V1_30 ? 2 : 1;
            assertThat(p.shardCounts(1)).containsExactly(cnt);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void popsBlockingPopsAndLmpop(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 1)) {
            p.m.write("RPUSH", "l", "1", "2", "3", "4", "5");
            p.m.write("LPOP", "l", "2");
            p.m.write("BRPOP", "empty", "l", "0");
            p.m.write("LMPOP", "2", "empty", "l", "LEFT", "COUNT", "2");
            p.m.write("LPUSHX", "missing", "v");
            p.m.write("LPOP", "missing");
            String lmpop = profile == ReleaseProfile.V1_40
                    ? "COMMAND LPOP l" // Dragonfly v1.40 drops the COUNT: a replica pops one element
                    : "COMMAND LMPOP 2 empty l LEFT COUNT 2";
            assertThat(p.entries(0)).containsExactly("COMMAND RPUSH l 1 2 3 4 5", "COMMAND LPOP l 2",
                    "COMMAND RPOP l", lmpop, "COMMAND LPUSHX missing v");
            assertThat(p.m.get(0, "l")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void editsAreJournaledAsReceivedWhenTheListExists(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 1)) {
            p.m.write("RPUSH", "l", "a", "b", "a");
            p.m.write("LREM", "l", "-1", "a");
            p.m.write("LREM", "l", "0", "zzz");
            p.m.write("LINSERT", "l", "AFTER", "nope", "x");
            p.m.write("LTRIM", "l", "0", "0");
            p.m.write("LTRIM", "missing", "0", "0");
            p.m.write("LREM", "missing", "0", "a");
            assertThat(p.entries(0)).containsExactly("COMMAND RPUSH l a b a", "COMMAND LREM l -1 a",
                    "COMMAND LREM l 0 zzz", "COMMAND LINSERT l AFTER nope x", "COMMAND LTRIM l 0 0");
        }
    }
}
