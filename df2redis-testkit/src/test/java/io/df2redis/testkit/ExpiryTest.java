package io.df2redis.testkit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static io.df2redis.testkit.StableSyncTest.describe;
import static io.df2redis.testkit.StableSyncTest.journal;
import static org.assertj.core.api.Assertions.assertThat;

/** Expiry as Dragonfly journals it: actively on the heartbeat, lazily on a write, a deadline in the past. */
class ExpiryTest {

    private static List<String> entries(FlowReader f) {
        return journal(f).stream().filter(x -> !"LSN".equals(x.get("op"))).map(StableSyncTest::describe).toList();
    }

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void aKeyExpiresOnTheHeartbeatWithoutBeingTouched(ReleaseProfile profile) {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(profile).start();
             TestReplica r = TestReplica.connect(m)) {
            r.fullSync();
            // "kept" first: written after "soon", a slow write could come after the heartbeat's DEL
            m.write("SET", "kept", "v", "PX", "600000");
            m.write("SET", "soon", "v", "PX", "50");
            // nothing reads "soon": the heartbeat deletes it and journals the DEL
            FlowReader f = r.awaitLsn(0, 4);
            String expired = profile == ReleaseProfile.V1_30 ? "EXPIRED" : "COMMAND";
            assertThat(entries(f)).hasSize(3);
            assertThat(entries(f).get(0)).startsWith("COMMAND SET kept v PXAT ");
            assertThat(entries(f).get(1)).startsWith("COMMAND SET soon v PXAT ");
            assertThat(entries(f).get(2)).isEqualTo(expired + " DEL soon");
            Map<String, Object> del = journal(f).stream().filter(x -> describe(x).endsWith("DEL soon")).findFirst()
                    .orElseThrow();
            assertThat(del).containsEntry("txid", 0L).containsEntry("shard_cnt", 1L);
            assertThat(m.get(0, "soon")).isEmpty();
            assertThat(m.get(0, "kept")).isPresent();
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void aWriteToAnExpiredKeyJournalsItsDeletionFirst(ReleaseProfile profile) throws Exception {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(profile).hz(0).start();
             TestReplica r = TestReplica.connect(m)) {
            r.fullSync();
            m.write("RPUSH", "l", "a");
            m.write("PEXPIRE", "l", "20");
            Thread.sleep(40);
            m.write("RPUSH", "l", "b");
            FlowReader f = r.awaitLsn(0, 5);
            String expired = profile == ReleaseProfile.V1_30 ? "EXPIRED" : "COMMAND";
            assertThat(entries(f).get(2)).isEqualTo(expired + " DEL l");
            assertThat(entries(f).get(3)).isEqualTo("COMMAND RPUSH l b");
            assertThat(((io.df2redis.protocol.rdb.RdbValue.ListValue) m.get(0, "l").orElseThrow().value()).elements())
                    .hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void deadlinesInThePastDeleteTheKey(ReleaseProfile profile) {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(profile).start();
             TestReplica r = TestReplica.connect(m)) {
            r.fullSync();
            m.write("SET", "a", "v");
            m.write("EXPIRE", "a", "-1");
            m.write("SET", "b", "v");
            m.write("SET", "b", "w", "PXAT", "1000");
            m.write("SET", "c", "v");
            m.write("EXPIREAT", "c", "1");
            m.write("EXPIRE", "missing", "10");
            if (profile == ReleaseProfile.V1_30) {
                // v1.30.3 journals nothing for a SET whose deadline passed (a master-side defect)
                FlowReader f = r.awaitLsn(0, 6);
                assertThat(entries(f)).containsExactly("COMMAND SET a v", "COMMAND DEL a", "COMMAND SET b v",
                        "COMMAND SET c v", "COMMAND DEL c");
            } else {
                FlowReader f = r.awaitLsn(0, 7);
                assertThat(entries(f)).containsExactly("COMMAND SET a v", "COMMAND DEL a", "COMMAND SET b v",
                        "COMMAND DEL b", "COMMAND SET c v", "COMMAND DEL c");
            }
            assertThat(m.dbs()).isEmpty();
        }
    }
}
