package io.df2redis.testkit;

import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.resp.ErrorReply;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.df2redis.testkit.TestReplica.str;
import static org.assertj.core.api.Assertions.assertThat;

/** Dragonfly-only types written by commands: JSON, Bloom, CMS, Top-K, Cuckoo, field and member TTLs. */
class DocSketchTest {

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void documentsAndFiltersAreJournaledAsReceived(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 1); RespClient c = RespClient.connect(p.m)) {
            assertThat(str(c.call("JSON.SET", "j", "$", "{\"a\":{\"b\":1},\"l\":[]}"))).isEqualTo("OK");
            assertThat(str(c.call("JSON.NUMINCRBY", "j", "$.a.b", "2"))).isEqualTo("[3]");
            assertThat(str(c.call("JSON.ARRAPPEND", "j", "$.l", "\"x\""))).isNotNull();
            assertThat(str(c.call("JSON.DEL", "j", "$.a"))).isEqualTo("1");
            assertThat(str(c.call("BF.RESERVE", "bf", "0.01", "1000"))).isEqualTo("OK");
            assertThat(str(c.call("BF.ADD", "bf", "x"))).isEqualTo("1");
            assertThat(str(c.call("BF.ADD", "bf", "x"))).isEqualTo("0");
            assertThat(str(c.call("HSETEX", "h", "100", "f", "v"))).isEqualTo("1");
            assertThat(str(c.call("SADDEX", "s", "100", "m"))).isEqualTo("1");
            assertThat(p.entries(0)).containsExactly("COMMAND JSON.SET j $ {\"a\":{\"b\":1},\"l\":[]}",
                    "COMMAND JSON.NUMINCRBY j $.a.b 2", "COMMAND JSON.ARRAPPEND j $.l \"x\"", "COMMAND JSON.DEL j $.a",
                    "COMMAND BF.RESERVE bf 0.01 1000", "COMMAND BF.ADD bf x", "COMMAND BF.ADD bf x",
                    "COMMAND HSETEX h 100 f v", "COMMAND SADDEX s 100 m");
            assertThat(new String(((RdbValue.JsonValue) p.m.get(0, "j").orElseThrow().value()).text()))
                    .isEqualTo("{\"l\":[\"x\"]}");
            RdbValue.BloomValue bf = (RdbValue.BloomValue) p.m.get(0, "bf").orElseThrow().value();
            assertThat(bf.currentSize()).isEqualTo(1);
            assertThat(bf.fpProbability()).isEqualTo(0.005);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void sketchesExistSinceV140(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 1); RespClient c = RespClient.connect(p.m)) {
            if (profile == ReleaseProfile.V1_30) {
                assertThat(c.call("CMS.INITBYDIM", "c", "10", "2")).isInstanceOf(ErrorReply.class);
                assertThat(c.call("TOPK.RESERVE", "t", "3")).isInstanceOf(ErrorReply.class);
                assertThat(c.call("CF.ADD", "f", "x")).isInstanceOf(ErrorReply.class);
                assertThat(c.call("WAIT", "0", "0")).isInstanceOf(ErrorReply.class);
                return;
            }
            c.call("CMS.INITBYDIM", "c", "10", "2");
            assertThat(str(((io.df2redis.protocol.resp.ArrayReply) c.call("CMS.INCRBY", "c", "a", "3")).get(0)))
                    .isEqualTo("3");
            c.call("TOPK.RESERVE", "t", "2");
            c.call("TOPK.ADD", "t", "a", "b", "a");
            c.call("CF.RESERVE", "f", "100");
            assertThat(str(c.call("CF.ADD", "f", "x"))).isEqualTo("1");
            assertThat(str(c.call("CF.ADDNX", "f", "x"))).isEqualTo("0");
            assertThat(str(c.call("CF.DEL", "f", "x"))).isEqualTo("1");
            assertThat(p.entries(0)).containsExactly("COMMAND CMS.INITBYDIM c 10 2", "COMMAND CMS.INCRBY c a 3",
                    "COMMAND TOPK.RESERVE t 2", "COMMAND TOPK.ADD t a b a", "COMMAND CF.RESERVE f 100",
                    "COMMAND CF.ADD f x", "COMMAND CF.ADDNX f x", "COMMAND CF.DEL f x");
            RdbValue.TopKValue t = (RdbValue.TopKValue) p.m.get(0, "t").orElseThrow().value();
            assertThat(new String(t.heapItems().get(0))).isEqualTo("a");
        }
    }
}
