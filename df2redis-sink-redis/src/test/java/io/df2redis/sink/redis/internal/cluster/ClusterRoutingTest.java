package io.df2redis.sink.redis.internal.cluster;

import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.NullReply;
import io.df2redis.protocol.resp.RespReply;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Slots, key positions and topology parsing of the cluster sink. */
class ClusterRoutingTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> args(String... a) {
        List<byte[]> out = new ArrayList<>();
        for (String s : a) {
            out.add(b(s));
        }
        return out;
    }

    private static RespReply arr(Object... items) {
        List<RespReply> out = new ArrayList<>();
        for (Object o : items) {
            out.add(o instanceof RespReply r ? r : o instanceof Integer i ? new IntegerReply(i)
                    : BulkString.of(String.valueOf(o)));
        }
        return new ArrayReply(out);
    }

    @Test
    void slotsFollowTheRedisClusterSpecification() {
        assertThat(SlotHash.crc16(b("123456789"), 0, 9)).isEqualTo(0x31C3);
        assertThat(SlotHash.slot(b("foo"))).isEqualTo(12182);
        assertThat(SlotHash.slot(b("bar"))).isEqualTo(5061);
        assertThat(SlotHash.slot(b("{user1000}.following"))).isEqualTo(SlotHash.slot(b("user1000")));
        assertThat(SlotHash.slot(b("foo{}{bar}"))).as("empty tag: whole key")
                .isEqualTo(SlotHash.crc16(b("foo{}{bar}"), 0, 10) & 16383);
        assertThat(SlotHash.slot(b("foo{{bar}}zap"))).isEqualTo(SlotHash.slot(b("{bar")));
        assertThat(SlotHash.slot(b("foo{bar}{zap}"))).isEqualTo(SlotHash.slot(b("bar")));
        assertThat(SlotHash.slot(new byte[0])).isZero();
    }

    @Test
    void keyPositionsOfWriteCommands() {
        assertThat(CommandKeys.keyIndexes("SET", args("SET", "k", "v"))).containsExactly(1);
        assertThat(CommandKeys.keyIndexes("MSET", args("MSET", "a", "1", "b", "2"))).containsExactly(1, 3);
        assertThat(CommandKeys.keyIndexes("EVAL", args("EVAL", "s", "2", "k1", "k2", "arg"))).containsExactly(3, 4);
        assertThat(CommandKeys.keyIndexes("ZUNIONSTORE", args("ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2")))
                .containsExactly(1, 3, 4);
        assertThat(CommandKeys.keyIndexes("LMPOP", args("LMPOP", "2", "a", "b", "LEFT"))).containsExactly(2, 3);
        assertThat(CommandKeys.keyIndexes("BITOP", args("BITOP", "AND", "d", "a", "b"))).containsExactly(2, 3, 4);
        assertThat(CommandKeys.keyIndexes("XREADGROUP",
                args("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s1", "s2", ">", ">"))).containsExactly(5, 6);
        assertThat(CommandKeys.keyIndexes("RENAME", args("RENAME", "a", "b"))).containsExactly(1, 2);
        assertThat(CommandKeys.keyIndexes("FLUSHALL", args("FLUSHALL"))).isEmpty();
        assertThat(CommandKeys.keyIndexes("EVAL", args("EVAL", "s", "9", "k1"))).as("numkeys past the end")
                .containsExactly(3);
        assertThat(CommandKeys.keyIndexes("EVAL", args("EVAL", "s", "x"))).isEmpty();
    }

    @Test
    void splittableCommandsSplitPerSlotKeepingPairsAndOrder() {
        List<List<byte[]>> parts = CommandKeys.splitBySlot("MSET", args("MSET", "foo", "1", "bar", "2",
                "{foo}x", "3"));
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).stream().map(String::new).toList()).containsExactly("MSET", "foo", "1", "{foo}x", "3");
        assertThat(parts.get(1).stream().map(String::new).toList()).containsExactly("MSET", "bar", "2");
        assertThat(CommandKeys.splitBySlot("DEL", args("DEL", "foo", "bar"))).hasSize(2);
        assertThat(CommandKeys.splitBySlot("RENAME", args("RENAME", "foo", "bar"))).isNull();
        assertThat(CommandKeys.splitBySlot("MSETNX", args("MSETNX", "foo", "1", "bar", "2"))).isNull();
    }

    @Test
    void clusterShardsWithReplicasFailedNodesAndUnknownEndpoints() {
        RespReply shards = arr(
                arr("slots", arr(0, 100, 200, 300), "nodes", arr(
                        arr("id", "a", "port", 7000, "ip", "10.0.0.1", "endpoint", "10.0.0.1", "role", "master",
                                "health", "online"),
                        arr("id", "b", "port", 7001, "ip", "10.0.0.2", "endpoint", "10.0.0.2", "role", "replica",
                                "health", "online"))),
                arr("slots", arr(101, 199), "nodes", arr(
                        arr("id", "c", "port", 7002, "tls-port", 8002, "ip", "", "endpoint", "?", "role", "master",
                                "health", "online"))),
                arr("slots", arr(301, 16383), "nodes", arr(
                        arr("id", "d", "port", 7003, "endpoint", "x", "role", "master", "health", "failed"))));
        HostAndPort answered = new HostAndPort("seed.host", 6379);
        ClusterTopology t = ClusterTopology.fromShards(shards, answered, false);
        assertThat(t.owner(0)).isEqualTo(new HostAndPort("10.0.0.1", 7000));
        assertThat(t.owner(250)).isEqualTo(new HostAndPort("10.0.0.1", 7000));
        assertThat(t.owner(150)).as("announced without an address").isEqualTo(new HostAndPort("seed.host", 7002));
        assertThat(t.owner(5000)).as("failed master").isNull();
        assertThat(t.unassignedSlots()).isEqualTo(16383 - 301 + 1);
        assertThat(t.masters()).hasSize(2);
        assertThat(ClusterTopology.fromShards(shards, answered, true).owner(150).port()).isEqualTo(8002);
        ClusterTopology moved = t.withSlot(0, new HostAndPort("10.0.0.9", 1));
        assertThat(moved.owner(0).host()).isEqualTo("10.0.0.9");
        assertThat(t.owner(0).host()).as("immutable").isEqualTo("10.0.0.1");
    }

    @Test
    void clusterSlots() {
        RespReply slots = arr(arr(0, 8191, arr("127.0.0.1", 7000, "id1"), arr("127.0.0.1", 7003, "id4")),
                arr(8192, 16383, arr("", 7001, "id2")));
        ClusterTopology t = ClusterTopology.fromSlots(slots, new HostAndPort("h", 1));
        assertThat(t.owner(8191)).isEqualTo(new HostAndPort("127.0.0.1", 7000));
        assertThat(t.owner(8192)).isEqualTo(new HostAndPort("h", 7001));
        assertThat(t.unassignedSlots()).isZero();
        assertThatThrownBy(() -> ClusterTopology.fromSlots(arr(arr(5, 3, arr("h", 1))), new HostAndPort("h", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad slot range");
        assertThatThrownBy(() -> ClusterTopology.fromSlots(arr(arr(0, 99999, arr("h", 1))), new HostAndPort("h", 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Whatever a node answers, parsing ends in a topology or an IllegalArgumentException. */
    @Property(tries = 500)
    void arbitraryRepliesNeverEscapeAsOtherExceptions(@ForAll("replies") RespReply r) {
        for (int mode = 0; mode < 2; mode++) {
            try {
                ClusterTopology t = mode == 0 ? ClusterTopology.fromShards(r, new HostAndPort("h", 1), false)
                        : ClusterTopology.fromSlots(r, new HostAndPort("h", 1));
                assertThat(t.unassignedSlots()).isBetween(0, 16384);
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Provide
    Arbitrary<RespReply> replies() {
        Arbitrary<RespReply> leaf = Arbitraries.oneOf(
                Arbitraries.integers().between(-3, 17000).map(i -> (RespReply) new IntegerReply(i)),
                Arbitraries.of("slots", "nodes", "port", "ip", "endpoint", "role", "master", "health", "tls-port",
                        "?", "", "7000", "online", "failed").map(s -> (RespReply) BulkString.of(s)),
                Arbitraries.just((RespReply) NullReply.INSTANCE));
        return Arbitraries.recursive(() -> leaf,
                inner -> inner.list().ofMaxSize(8).map(l -> (RespReply) new ArrayReply(l)), 0, 4);
    }

    @Property(tries = 300)
    void splitPartsTogetherHoldExactlyTheOriginalPairs(@ForAll("keys") List<String> keys) {
        List<String> a = new ArrayList<>(List.of("MSET"));
        for (String k : keys) {
            a.add(k);
            a.add("v" + k);
        }
        List<List<byte[]>> parts = CommandKeys.splitBySlot("MSET", args(a.toArray(String[]::new)));
        List<String> rejoined = new ArrayList<>();
        for (List<byte[]> p : parts) {
            int slot = SlotHash.slot(p.get(1));
            for (int i = 1; i < p.size(); i += 2) {
                assertThat(SlotHash.slot(p.get(i))).isEqualTo(slot);
                assertThat(new String(p.get(i + 1))).isEqualTo("v" + new String(p.get(i)));
                rejoined.add(new String(p.get(i)));
            }
        }
        List<String> sorted = new ArrayList<>(rejoined);
        List<String> orig = new ArrayList<>(keys);
        sorted.sort(null);
        orig.sort(null);
        assertThat(sorted).isEqualTo(orig);
        assertThat(parts.stream().map(p -> SlotHash.slot(p.get(1))).toList()).doesNotHaveDuplicates();
    }

    @Provide
    Arbitrary<List<String>> keys() {
        return Arbitraries.strings().withChars("ab{}xyz01").ofMinLength(0).ofMaxLength(6).list().ofMinSize(1)
                .ofMaxSize(20);
    }
}
