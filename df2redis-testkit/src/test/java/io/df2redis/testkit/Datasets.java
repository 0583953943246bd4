package io.df2redis.testkit;

import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbOpcodes;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.rdb.ValueBatch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test datasets. */
final class Datasets {
    static final long FAR_FUTURE_MS = 4_102_444_800_000L; // 2100-01-01

    private Datasets() {
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<byte[]> strings(String prefix, int n) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(b(prefix + i));
        }
        return out;
    }

    /** db → entries: one key of every value type the protocol module can write for Dragonfly, in dbs 0, 1, 5. */
    static Map<Integer, List<RdbKeyValue>> allTypes(ReleaseProfile profile) {
        Map<Integer, List<RdbKeyValue>> m = new LinkedHashMap<>();
        List<RdbKeyValue> db0 = new ArrayList<>();
        db0.add(RdbKeyValue.of("str", RdbValue.string("hello")));
        db0.add(RdbKeyValue.of("str:int", RdbValue.string("12345")));
        db0.add(RdbKeyValue.of("str:neg", RdbValue.string("-7")));
        db0.add(RdbKeyValue.of("str:big", RdbValue.string("x".repeat(3000) + "y".repeat(3000))));
        db0.add(RdbKeyValue.of("str:ttl", RdbValue.string("expiring")).withExpireAtMs(FAR_FUTURE_MS));
        db0.add(RdbKeyValue.of("str:sticky", RdbValue.string("s")).withDfMask(true, -1));
        db0.add(RdbKeyValue.of("str:mc", RdbValue.string("m")).withDfMask(false, 42));
        db0.add(RdbKeyValue.of("list", RdbValue.list("a", "b", "c")));
        db0.add(RdbKeyValue.of("list:big", RdbValue.list(strings("element-", 400))));
        db0.add(RdbKeyValue.of("set", RdbValue.set("m1", "m2", "m3")));
        db0.add(RdbKeyValue.of("set:int", RdbValue.set("1", "2", "300000")));
        db0.add(RdbKeyValue.of("set:big", RdbValue.set(strings("member-", 300))));
        long base = RdbOpcodes.MEMBER_EXPIRY_BASE;
        db0.add(RdbKeyValue.of("set:ttl", new RdbValue.SetValue(List.of(b("a"), b("b")),
                new long[] {base + 100_000_000L, -1})));
        db0.add(RdbKeyValue.of("hash", RdbValue.hash("f1", "v1", "f2", "v2")));
        List<byte[]> hf = strings("field-", 200);
        db0.add(RdbKeyValue.of("hash:big", RdbValue.hash(hf, strings("value-", 200))));
        db0.add(RdbKeyValue.of("hash:ttl", new RdbValue.HashValue(List.of(b("f"), b("g")), List.of(b("1"), b("2")),
                new long[] {(base + 100_000_000L) * 1000, -1})));
        db0.add(RdbKeyValue.of("zset", RdbValue.zset(List.of(b("a"), b("b"), b("c")), new double[] {1, 2.5, 3})));
        db0.add(RdbKeyValue.of("zset:big", RdbValue.zset(strings("zm-", 200), scores(200))));
        db0.add(RdbKeyValue.of("stream", stream()));
        db0.add(RdbKeyValue.of("json", RdbValue.json("{\"a\":[1,2,3],\"b\":\"text\"}")));
        db0.add(RdbKeyValue.of("json:int", RdbValue.json("17")));
        db0.add(RdbKeyValue.of("bloom", new RdbValue.BloomValue(0, 2.0, 0.01, 0, 2, 100,
                List.of(new RdbValue.BloomFilter(7, filled(128))))));
        if (profile == ReleaseProfile.V1_40) {
            db0.add(RdbKeyValue.of("cms", new RdbValue.CmsValue(4, 2, 10, new long[] {1, 2, 3, 4, 0, 0, 0, 3})));
            db0.add(RdbKeyValue.of("topk", new RdbValue.TopKValue(0, 3, 8, 2, 0.9, List.of(b("a"), b("b")),
                    new long[] {5, 3}, filled(64))));
            db0.add(RdbKeyValue.of("cuckoo", new RdbValue.CuckooValue(4, 20, 1, 8, 2, 0, List.of(filled(32)))));
        }
        m.put(0, db0);
        m.put(1, List.of(RdbKeyValue.of("db1:str", RdbValue.string("one")),
                RdbKeyValue.of("db1:hash", RdbValue.hash("x", "y"))));
        m.put(5, List.of(RdbKeyValue.of("db5:list", RdbValue.list("z"))));
        return m;
    }

    /** The RDB type {@code kv} arrives as under {@code profile}. */
    static RdbType expectedType(RdbKeyValue kv, ReleaseProfile profile) {
        RdbType t = kv.type();
        if (profile == ReleaseProfile.V1_30) {
            return switch (t) {
                case HASH_LISTPACK -> RdbType.HASH_ZIPLIST;
                case ZSET_LISTPACK -> RdbType.ZSET_ZIPLIST;
                case SBF2 -> RdbType.SBF;
                default -> t;
            };
        }
        return t;
    }

    static double[] scores(int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = i * 1.5;
        }
        return d;
    }

    static byte[] filled(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    static RdbValue.StreamValue stream() {
        List<RdbValue.StreamItem> items = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            items.add(RdbValue.StreamItem.of(new StreamId(1_700_000_000_000L + i, 0), "field", "v" + i, "n",
                    Integer.toString(i)));
        }
        StreamId delivered = new StreamId(1_700_000_000_002L, 0);
        RdbValue.StreamGroup g = new RdbValue.StreamGroup(b("group"), delivered, 2,
                List.of(new ValueBatch.PendingEntry(delivered, 1_795_000_000_000L, 1)),
                List.of(new RdbValue.StreamConsumer(b("alice"), 1_795_000_000_000L, 1_795_000_000_000L,
                        List.of(delivered))));
        return RdbValue.StreamValue.of(items, List.of(g));
    }

    /** Strings that many compression tests use: compressible, well over 256 bytes per flush. */
    static List<RdbKeyValue> compressible(int n) {
        List<RdbKeyValue> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            char[] c = new char[200];
            Arrays.fill(c, (char) ('a' + i % 26));
            out.add(RdbKeyValue.of("c:" + i, RdbValue.string(new String(c))));
        }
        return out;
    }
}
