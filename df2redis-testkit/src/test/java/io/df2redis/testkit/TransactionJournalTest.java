package io.df2redis.testkit;

import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.ErrorReply;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static io.df2redis.testkit.TestReplica.str;
import static org.assertj.core.api.Assertions.assertThat;

/** MULTI/EXEC blocks and scripts from a client connection: their writes share one txid (spec §5.7, §5.8). */
class TransactionJournalTest {

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void multiExecAcrossShardsAndDbs(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 2); RespClient c = RespClient.connect(p.m)) {
            String a = p.key("a", 0);
            String b = p.key("b", 1);
            assertThat(str(c.call("MULTI"))).isEqualTo("OK");
            assertThat(str(c.call("SET", a, "1"))).isEqualTo("QUEUED");
            assertThat(str(c.call("GET", a))).isEqualTo("QUEUED");
            assertThat(str(c.call("SELECT", "2"))).isEqualTo("QUEUED");
            assertThat(str(c.call("INCR", b))).isEqualTo("QUEUED");
            assertThat(str(c.call("LPUSH", b, "x"))).isEqualTo("QUEUED"); // WRONGTYPE at EXEC, others run
            ArrayReply r = (ArrayReply) c.call("EXEC");
            assertThat(r.elements()).hasSize(5);
            assertThat(str(r.get(1))).isEqualTo("1");
            assertThat(r.get(4)).isInstanceOf(ErrorReply.class);
            assertThat(str(c.call("SET", "after", "v"))).isEqualTo("OK"); // the connection stays in db 2
            assertThat(p.m.get(2, "after")).isPresent();
            List<java.util.Map<String, Object>> f0 = p.raw(0);
            List<java.util.Map<String, Object>> f1 = p.raw(1);
            java.util.Map<String, Object> set = f0.get(0);
            java.util.Map<String, Object> incr = f1.get(0);
            assertThat(StableSyncTest.describe(set)).isEqualTo("COMMAND SET " + a + " 1");
            assertThat(StableSyncTest.describe(incr)).isEqualTo("COMMAND INCR " + b);
            assertThat(incr).containsEntry("db", 2);
            assertThat((Long) set.get("txid")).isPositive().isEqualTo(incr.get("txid"));
            assertThat(set).containsEntry("shard_cnt", 1L);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void scriptsJournalTheirWritesUnderOneTxidAndJoinTheLuaAux(ReleaseProfile profile) {
        try (JournalProbe p = JournalProbe.start(profile, 2); RespClient c = RespClient.connect(p.m)) {
            String a = p.key("a", 0);
            String b = p.key("b", 1);
            String body = "redis.call('SET', KEYS[1], ARGV[1])\nlocal v = redis.call('GET', KEYS[1])\n"
                    + "redis.call('EXPIRE', KEYS[2], 100) -- no such key\nredis.call('RPUSH', KEYS[2], v)\nreturn v";
            String sha = str(c.call("SCRIPT", "LOAD", body));
            assertThat(str(c.call("EVALSHA", sha, "2", a, b, "x"))).isEqualTo("x");
            assertThat(str(c.call("EVAL", "return redis.call('INCR', KEYS[1])", "1", a + ":n"))).isEqualTo("1");
            assertThat(c.call("EVAL", "redis.call('LPUSH', KEYS[1], 'y')", "1", a)).isInstanceOf(ErrorReply.class);
            assertThat(c.call("EVALSHA", "0000000000000000000000000000000000000000", "0")).isInstanceOf(ErrorReply.class);
            java.util.Map<String, Object> set = p.raw(0).get(0);
            java.util.Map<String, Object> push = p.raw(1).get(0);
            assertThat(StableSyncTest.describe(set)).isEqualTo("COMMAND SET " + a + " x");
            assertThat(StableSyncTest.describe(push)).isEqualTo("COMMAND RPUSH " + b + " x");
            assertThat((Long) set.get("txid")).isPositive().isEqualTo(push.get("txid"));
            // the scripts run join the next full sync's AUX lua fields (flow 0)
            try (TestReplica r2 = TestReplica.connect(p.m)) {
                r2.fullSync();
                List<Object> lua = r2.flow(0).flatRecords().stream().filter(x -> "lua".equals(x.get("key")))
                        .map(x -> x.get("value")).toList();
                assertThat(lua).hasSize(3);
            }
        }
    }
}
