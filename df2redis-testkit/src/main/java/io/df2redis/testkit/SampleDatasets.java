package io.df2redis.testkit;

import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbRecords;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.tools.inspect.KeyspaceCollector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Datasets for tests of an {@link EmbeddedDragonflyMaster}, and the master's keyspace as an
 * independent model (in the vectors' {@code expected.json} shape) to compare a replica with.
 */
public final class SampleDatasets {
    private SampleDatasets() {
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** One key of every type and encoding the master can hold, in dbs 0, 1 and 5. */
    public static void everyType(EmbeddedDragonflyMaster m, int bigElements) {
        long future = System.currentTimeMillis() + 5L * 365 * 24 * 3600 * 1000;
        m.put(0, RdbKeyValue.of("str:plain", RdbValue.string("hello world")));
        m.put(0, RdbKeyValue.of("str:int", RdbValue.string("12345")));
        m.put(0, RdbKeyValue.of("str:neg", RdbValue.string("-7")));
        m.put(0, RdbKeyValue.of("str:bin", RdbValue.string(new byte[] {0, (byte) 0xFF, 10, 13, (byte) 0xC3})));
        m.put(0, RdbKeyValue.of("str:big", RdbValue.string("x".repeat(300_000) + "end")));
        m.put(0, RdbKeyValue.of("str:ttl", RdbValue.string("v")).withExpireAtMs(future));
        m.put(0, RdbKeyValue.of("str:sticky", RdbValue.string("s")).withDfMask(true, 0));
        m.put(0, RdbKeyValue.of("str:mc", RdbValue.string("m")).withDfMask(false, 42));
        m.put(0, RdbKeyValue.of("list:small", RdbValue.list("a", "b", "c", "1", "22")));
        m.put(0, RdbKeyValue.of("set:small", RdbValue.set("a", "b", "hello world")));
        m.put(0, RdbKeyValue.of("set:ints", RdbValue.set("1", "2", "3", "-5", "1000")));
        m.put(0, RdbKeyValue.of("hash:small", RdbValue.hash("f1", "v1", "f2", "v2")));
        m.put(0, RdbKeyValue.of("zset:small", RdbValue.zset(List.of(b("a"), b("b"), b("c")),
                new double[] {1.5, -2, Double.POSITIVE_INFINITY})));
        List<byte[]> big = new ArrayList<>();
        List<byte[]> vals = new ArrayList<>();
        double[] scores = new double[bigElements];
        for (int i = 0; i < bigElements; i++) {
            big.add(b("e:" + i));
            vals.add(b("value-" + i));
            scores[i] = i * 0.5;
        }
        m.put(0, RdbKeyValue.of("list:big", RdbValue.list(big)).withExpireAtMs(future));
        m.put(0, RdbKeyValue.of("set:big", RdbValue.set(big)));
        m.put(0, RdbKeyValue.of("hash:big", RdbValue.hash(big, vals)).withDfMask(true, 0));
        m.put(0, RdbKeyValue.of("zset:big", RdbValue.zset(big, scores)));
        long fieldTtl = (future / 1000) * 1000;
        m.put(0, new RdbKeyValue(b("hash:fieldttl"), RdbType.HASH_WITH_EXPIRY, new RdbValue.HashValue(
                List.of(b("f1"), b("f2"), b("nottl")), List.of(b("v1"), b("v2"), b("v3")),
                new long[] {fieldTtl, fieldTtl, -1}), -1, 0, 0));
        m.put(0, new RdbKeyValue(b("set:memberttl"), RdbType.SET_WITH_EXPIRY, new RdbValue.SetValue(
                List.of(b("m1"), b("m2"), b("nottl")), new long[] {future / 1000, future / 1000, -1}), -1, 0, 0));
        List<RdbValue.StreamItem> items = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            items.add(RdbValue.StreamItem.of(new StreamId(1_700_000_000_000L + i, i % 3), "field", "v" + i,
                    "n", Integer.toString(i)));
        }
        m.put(0, RdbKeyValue.of("stream:s", RdbValue.StreamValue.of(items, List.of())));
        m.put(0, RdbKeyValue.of("json:doc", RdbValue.json("{\"a\":1,\"b\":[true,null,\"x\"],\"c\":{\"d\":2.5}}")));
        m.put(0, RdbKeyValue.of("json:scalar", RdbValue.json("17")));
        m.put(1, RdbKeyValue.of("db1:str", RdbValue.string("one")));
        m.put(1, RdbKeyValue.of("db1:hash", RdbValue.hash("f", "v")));
        m.put(5, RdbKeyValue.of("db5:list", RdbValue.list("x", "y")));
    }

    /** The keyspace the master holds, decoded from an RDB file written by the encoder: the model. */
    public static Map<String, Object> keyspaceOf(EmbeddedDragonflyMaster m) {
        RdbEncoder enc = RdbEncoder.dragonfly();
        ByteBuf out = Unpooled.buffer();
        enc.writeHeader(out);
        for (int db : m.dbs()) {
            RdbRecords.writeSelectDb(out, db);
            for (RdbKeyValue kv : m.entries(db)) {
                enc.writeEntry(out, kv);
            }
        }
        enc.writeEof(out);
        KeyspaceCollector ks = new KeyspaceCollector(false, System.currentTimeMillis());
        RdbDecoder d = RdbDecoder.forFile(ks);
        d.feed(out);
        d.finish();
        return ks.keyspace();
    }
}
