package io.df2redis.testkit;

import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.IntegerReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.df2redis.testkit.TestReplica.str;
import static org.assertj.core.api.Assertions.assertThat;

/** The stable-sync journal: items, LSN records, multi-shard commands, PING, expiry, ACKs. */
class StableSyncTest {

    /** The journal records after the eof token (SELECT excluded). */
    static List<Map<String, Object>> journal(FlowReader f) {
        List<Map<String, Object>> out = new ArrayList<>();
        boolean after = false;
        for (Map<String, Object> r : f.records()) {
            if ("EOF_TOKEN".equals(r.get("op"))) {
                after = true;
                continue;
            }
            if ((after || f.kind.equals("PARTIAL")) && !"SELECT".equals(r.get("op"))) {
                out.add(r);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<String> args(Map<String, Object> r) {
        return ((List<Map<String, Object>>) r.get("args")).stream().map(a -> (String) a.get("utf8")).toList();
    }

    static String describe(Map<String, Object> r) {
        return switch ((String) r.get("op")) {
            case "LSN" -> "LSN " + r.get("lsn");
            case "PING" -> "PING";
            default -> r.get("op") + " " + String.join(" ", args(r));
        };
    }

    @Test
    void lsnRecordsFollowTheFirstItemAndThenAtTheInterval() throws Exception {
        // an interval far longer than two writes in a row take, even on a loaded machine
        Duration interval = Duration.ofSeconds(2);
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().lsnInterval(interval).start();
             TestReplica r = TestReplica.connect(m)) {
            r.fullSync();
            m.write("SET", "a", "1");
            long lsnRecordSent = System.nanoTime(); // the write appended its LSN record before it returned
            m.write("SET", "b", "2");
            m.write("SET", "c", "3");
            r.awaitLsn(0, 4);
            // the interval must have passed since that record (time itself is the condition here)
            long left = lsnRecordSent + interval.toNanos() + 10_000_000L - System.nanoTime();
            if (left > 0) {
                Thread.sleep(left / 1_000_000 + 1);
            }
            m.write("SET", "d", "4");
            m.write("SET", "e", "5");
            FlowReader f = r.awaitLsn(0, 6);
            f.readFor(Duration.ofMillis(50));
            assertThat(journal(f).stream().map(StableSyncTest::describe)).containsExactly(
                    "COMMAND SET a 1", "LSN 1", "COMMAND SET b 2", "COMMAND SET c 3",
                    "COMMAND SET d 4", "LSN 4", "COMMAND SET e 5");
            assertThat(journal(f)).filteredOn(x -> "LSN".equals(x.get("op"))).allMatch(x -> Boolean.TRUE.equals(x.get("matches")));
            // an idle master sends nothing
            assertThat(f.conn.readFor(Duration.ofMillis(200))).isEmpty();
            ArrayReply offs = (ArrayReply) r.main.call("DFLY", "REPLICAOFFSET");
            assertThat(((IntegerReply) offs.get(0)).value()).isEqualTo(6).isEqualTo(m.nextLsn(0));
        }
    }

    /** Reads until {@code n} bytes arrived (no more), the connection closed, or {@code timeout} passed. */
    static byte[] readBytes(RespClient c, int n, Duration timeout) {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (got.size() < n && System.nanoTime() < deadline) {
            byte[] b = c.readSome(n - got.size(), Duration.ofMillis(100));
            if (b == null) {
                break;
            }
            got.writeBytes(b);
        }
        return got.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void multiShardAndGlobalCommands(ReleaseProfile profile) {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(profile).shards(2).start();
             TestReplica r = TestReplica.connect(m)) {
            String a = keyOnShard(m, "a", 0);
            String b = keyOnShard(m, "b", 1);
            m.write("SET", a, "1");
            m.write("SET", b, "2");
            r.fullSync();
            long msetTx = m.write("MSET", a, "x", b, "y");
            long delTx = m.write("UNLINK", a, b);
            long singleTx = m.write("SET", a, "z", "EX", "100");
            m.ping();
            boolean expired = m.expire(0, a);
            long flushTx = m.write("FLUSHALL");
            assertThat(msetTx).isPositive();
            assertThat(delTx).isGreaterThan(msetTx);
            assertThat(singleTx).isZero();
            assertThat(expired).isTrue();
            assertThat(flushTx).isGreaterThan(delTx);

            r.awaitLsn(0, m.nextLsn(0));
            r.awaitLsn(1, m.nextLsn(1));
            List<Map<String, Object>> j0 = journal(r.flow(0));
            List<Map<String, Object>> j1 = journal(r.flow(1));
            long cnt = profile == ReleaseProfile.V1_30 ? 2 : 1;
            String del = profile == ReleaseProfile.V1_30 ? "UNLINK" : "DEL";
            // flow 0
            assertThat(describe(j0.get(0))).isEqualTo("COMMAND MSET " + a + " x");
            assertThat(j0.get(0)).containsEntry("txid", msetTx).containsEntry("shard_cnt", cnt);
            assertThat(describe(j0.get(2))).isEqualTo("COMMAND " + del + " " + a);
            assertThat(j0.get(2)).containsEntry("txid", delTx).containsEntry("shard_cnt", cnt);
            assertThat(describe(j0.get(3))).startsWith("COMMAND SET " + a + " z PXAT ");
            assertThat(j0.get(3)).containsEntry("txid", 0L).containsEntry("shard_cnt", 1L);
            assertThat(describe(j0.get(4))).isEqualTo("PING");
            String expiredOp = profile == ReleaseProfile.V1_30 ? "EXPIRED" : "COMMAND";
            assertThat(describe(j0.get(5))).isEqualTo(expiredOp + " DEL " + a);
            assertThat(j0.get(5)).containsEntry("txid", 0L).containsEntry("shard_cnt", 1L);
            assertThat(describe(j0.get(6))).isEqualTo("COMMAND FLUSHALL");
            assertThat(j0.get(6)).containsEntry("txid", flushTx).containsEntry("shard_cnt", cnt);
            // flow 1
            assertThat(describe(j1.get(0))).isEqualTo("COMMAND MSET " + b + " y");
            assertThat(j1.get(0)).containsEntry("txid", msetTx);
            assertThat(describe(j1.get(2))).isEqualTo("COMMAND " + del + " " + b);
            assertThat(describe(j1.get(3))).isEqualTo("PING");
            assertThat(describe(j1.get(4))).isEqualTo("COMMAND FLUSHALL");
            assertThat(j1.get(4)).containsEntry("txid", flushTx);
            assertThat(m.dbs()).isEmpty();
        }
    }

    @Test
    void acksAreRecordedAndNeverAnswered() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             TestReplica r = TestReplica.connect(m)) {
            r.fullSync();
            assertThat(m.lastAck(0)).isEqualTo(-1);
            r.ack(0, 1);
            r.ack(1, 1);
            assertThat(m.awaitAck(0, 1, Duration.ofSeconds(5))).isTrue();
            assertThat(m.awaitAck(1, 1, Duration.ofSeconds(5))).isTrue();
            String k = keyOnShard(m, "k", 0);
            m.write("SET", k, "v");
            m.ping();
            r.awaitLsn(0, 3);
            r.ack(0, 3);
            assertThat(m.awaitAck(0, 3, Duration.ofSeconds(5))).isTrue();
            assertThat(m.awaitAck(1, 5, Duration.ofMillis(100))).isFalse();
            assertThat(m.acks(0)).containsExactly(1L, 3L);
            assertThat(m.lastAck(1)).isEqualTo(1);
            // no reply on the flow
            assertThat(r.flow(0).conn.readFor(Duration.ofMillis(150))).isEmpty();
            assertThat(m.connections()).anySatisfy(c -> {
                assertThat(c.flowId()).isEqualTo(0);
                assertThat(c.commands()).contains(List.of("REPLCONF", "ACK", "3"));
            });
            // an ACK with an extra pair is answered with an error, into the stream
            r.awaitLsn(1, m.nextLsn(1));
            r.flow(1).conn.send("REPLCONF", "ACK", "1", "capa", "x");
            byte[] error = "-ERR syntax error\r\n".getBytes();
            assertThat(java.util.HexFormat.of().formatHex(readBytes(r.flow(1).conn, error.length, TestReplica.WAIT)))
                    .isEqualTo(java.util.HexFormat.of().formatHex(error));
            assertThat(r.flow(1).conn.readFor(Duration.ofMillis(200))).as("nothing after the error").isEmpty();
        }
    }

    @Test
    void writesFromAClientConnectionAreJournaled() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().start();
             TestReplica r = TestReplica.connect(m);
             RespClient client = RespClient.connect(m)) {
            r.fullSync();
            assertThat(str(client.call("SET", "k", "v"))).isEqualTo("OK");
            assertThat(str(client.call("MSET", "a", "1", "b", "2"))).isEqualTo("OK");
            assertThat(str(client.call("GET", "k"))).isEqualTo("v");
            assertThat(str(client.call("DEL", "a", "missing"))).isEqualTo("1");
            assertThat(str(client.call("INCR", "n"))).isEqualTo("1");
            assertThat(str(client.call("SELECT", "3"))).isEqualTo("OK");
            assertThat(str(client.call("SET", "in3", "x", "NX"))).isEqualTo("OK");
            assertThat(client.call("SET", "in3", "y", "NX")).isEqualTo(io.df2redis.protocol.resp.NullReply.INSTANCE);
            assertThat(str(client.call("DBSIZE"))).isEqualTo("1");
            assertThat(str(client.call("WAIT", "1", "100"))).isEqualTo("1");
            FlowReader f = r.awaitLsn(0, 7);
            assertThat(journal(f).stream().filter(x -> !"LSN".equals(x.get("op"))).map(StableSyncTest::describe))
                    .containsExactly("COMMAND SET k v", "COMMAND MSET a 1 b 2", "COMMAND DEL a", "COMMAND INCR n",
                            "COMMAND SET in3 x", "PING");
            assertThat(journal(f).get(5)).containsEntry("db", 3);
            assertThat(m.get(3, "in3")).isPresent();
        }
    }

    /** A key named {@code prefix<n>} living on {@code shard}. */
    static String keyOnShard(EmbeddedDragonflyMaster m, String prefix, int shard) {
        for (int i = 0; ; i++) {
            if (m.shardOf(prefix + i) == shard) {
                return prefix + i;
            }
        }
    }
}
