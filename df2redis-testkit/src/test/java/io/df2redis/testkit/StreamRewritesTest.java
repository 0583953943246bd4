package io.df2redis.testkit;

import io.df2redis.protocol.rdb.RdbValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Stream and consumer-group commands as {@code stream_family.cc} journals them. */
class StreamRewritesTest {

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void addsAndTrims(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 1)) {
            p.m.write("XADD", "s", "1-1", "f", "a");
            p.m.write("XADD", "s", "1-*", "f", "b");
            p.m.write("XADD", "s", "MAXLEN", "2", "5-0", "f", "c");
            p.m.write("XADD", "s", "MINID", "=", "2", "6-0", "f", "d");
            p.m.write("XADD", "nokey", "NOMKSTREAM", "*", "f", "v");
            p.m.write("XTRIM", "s", "MINID", "6");
            p.m.write("XTRIM", "s", "MAXLEN", "0");
            p.m.write("XTRIM", "gone", "MINID", "1");
            p.m.write("XTRIM", "gone", "MAXLEN", "1");
            assertThat(p.entries(0)).containsExactly("COMMAND XADD s 1-1 f a", "COMMAND XADD s 1-2 f b",
                    "COMMAND XADD s MINID 1-2 5-0 f c", "COMMAND XADD s MINID = 2 6-0 f d", "COMMAND XTRIM s MINID 6",
                    "COMMAND XTRIM s MAXLEN 0", "COMMAND XTRIM gone MINID 1");
            RdbValue.StreamValue s = (RdbValue.StreamValue) p.m.get(0, "s").orElseThrow().value();
            assertThat(s.length()).isZero();
            assertThat(s.entriesAdded()).isEqualTo(4);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void readGroupNoAckHistoryAndClaims(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 1)) {
            p.m.write("XADD", "s", "1-0", "f", "a");
            p.m.write("XADD", "s", "2-0", "f", "b");
            p.m.write("XGROUP", "CREATE", "s", "g", "$");
            p.m.write("XADD", "s", "3-0", "f", "c");
            p.m.write("XREADGROUP", "GROUP", "g", "c1", "NOACK", "STREAMS", "s", ">");
            p.m.write("XGROUP", "SETID", "s", "g", "0");
            p.m.write("XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "s", ">");
            p.m.write("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "0");
            p.m.write("XAUTOCLAIM", "s", "g", "c2", "0", "0");
            p.m.write("XGROUP", "DELCONSUMER", "s", "g", "c1");
            p.m.write("XGROUP", "DESTROY", "s", "g");
            List<String> e = p.entries(0);
            List<String> head = List.of("COMMAND XADD s 1-0 f a", "COMMAND XADD s 2-0 f b", "COMMAND XGROUP CREATE s g $",
                    "COMMAND XADD s 3-0 f c");
            assertThat(e.subList(0, 4)).isEqualTo(head);
            if (profile == ReleaseProfile.V1_40) {
                assertThat(e.get(4)).isEqualTo("COMMAND XGROUP CREATECONSUMER s g c1");
                assertThat(e.get(5)).isEqualTo("COMMAND XGROUP SETID s g 3-0 ENTRIESREAD 3"); // NOACK: no XCLAIM
                assertThat(e.get(6)).isEqualTo("COMMAND XGROUP SETID s g 0");
                assertThat(e.get(7)).matches("COMMAND XCLAIM s g c1 0 1-0 TIME \\d+ RETRYCOUNT 1 FORCE JUSTID LASTID 1-0");
                assertThat(e.get(8)).isEqualTo("COMMAND XGROUP SETID s g 1-0 ENTRIESREAD 1");
                assertThat(e.subList(9, e.size())).containsExactly("COMMAND XAUTOCLAIM s g c2 0 0",
                        "COMMAND XGROUP DELCONSUMER s g c1", "COMMAND XGROUP DESTROY s g");
            } else {
                // v1.30.3 journals nothing for XREADGROUP
                assertThat(e.subList(4, e.size())).containsExactly("COMMAND XGROUP SETID s g 0",
                        "COMMAND XAUTOCLAIM s g c2 0 0", "COMMAND XGROUP DELCONSUMER s g c1",
                        "COMMAND XGROUP DESTROY s g");
            }
            RdbValue.StreamValue s = (RdbValue.StreamValue) p.m.get(0, "s").orElseThrow().value();
            assertThat(s.groups()).isEmpty();
        }
    }
}
