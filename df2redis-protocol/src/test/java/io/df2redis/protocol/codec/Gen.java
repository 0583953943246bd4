package io.df2redis.protocol.codec;

import io.df2redis.protocol.journal.JournalEncoder;
import io.df2redis.protocol.journal.JournalOp;
import io.df2redis.protocol.rdb.ModuleIds;
import io.df2redis.protocol.rdb.ModuleOpcodes;
import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbOpcodes;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.rdb.ValueBatch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random content for the codec properties, driven by a seed that jqwik chooses (so failures are
 * reproducible): strings that exercise every string/listpack/ziplist encoding, values of every
 * RDB type, encoder settings and journal items.
 */
final class Gen {
    /** Every type the encoder writes. */
    static final Set<RdbType> ENCODABLE = EnumSet.complementOf(EnumSet.of(RdbType.MODULE_PRE_GA));

    final Random r;
    /** Scale of container sizes: 1 = small. */
    int scale = 1;

    Gen(long seed) {
        this.r = new Random(seed);
    }

    boolean chance(int percent) {
        return r.nextInt(100) < percent;
    }

    int between(int lo, int hi) {
        return lo + r.nextInt(hi - lo + 1);
    }

    // ------------------------------------------------------------------ strings

    byte[] element() {
        switch (r.nextInt(12)) {
            case 0:
                return ascii(Long.toString(between(-300, 300)));
            case 1: {
                long[] edges = {127, 128, -128, -129, 4095, 4096, -4096, -4097, 32767, 32768, -32768, -32769,
                    8388607, 8388608, -8388608, -8388609, Integer.MAX_VALUE, Integer.MIN_VALUE,
                    Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L, Long.MAX_VALUE, Long.MIN_VALUE, 0, 12, 13};
                return ascii(Long.toString(chance(50) ? edges[r.nextInt(edges.length)] : r.nextLong() >> r.nextInt(64)));
            }
            case 2: {
                String[] odd = {"007", "-0", "+12", "1 ", " 1", "12a", "0x10", "1e3", "-", "",
                    "99999999999999999999", "-9223372036854775809", "00"};
                return ascii(odd[r.nextInt(odd.length)]);
            }
            case 3:
                return new byte[0];
            case 4:
            case 5: {
                byte[] b = new byte[r.nextInt(30)];
                r.nextBytes(b);
                return b;
            }
            case 6:
            case 7:
                return ascii(word(between(1, 40)));
            case 8:
                return repetitive(between(21, 400));
            case 9: {
                byte[] b = new byte[between(60, 5000)];
                r.nextBytes(b);
                return b;
            }
            case 10:
                return chance(15) ? repetitive(between(4000, 20000)) : ascii(word(between(1, 10)));
            default:
                return ascii(word(between(50, 70)));
        }
    }

    /** Compressible bytes (a short random pattern repeated, with some noise). */
    byte[] repetitive(int n) {
        byte[] pat = ascii(word(between(1, 8)));
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = chance(3) ? (byte) r.nextInt(256) : pat[i % pat.length];
        }
        return b;
    }

    String word(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append((char) between(' ', '~'));
        }
        return sb.toString();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    List<byte[]> elements(int max) {
        int n = size(max);
        List<byte[]> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(element());
        }
        return l;
    }

    /** Distinct elements. */
    List<byte[]> distinct(int max) {
        int n = size(max);
        LinkedHashSet<Bin> s = new LinkedHashSet<>();
        for (int i = 0; i < n * 2 && s.size() < n; i++) {
            s.add(Bin.of(element()));
        }
        List<byte[]> l = new ArrayList<>();
        for (Bin b : s) {
            l.add(b.b());
        }
        return l;
    }

    int size(int max) {
        int m = max * scale;
        switch (r.nextInt(6)) {
            case 0:
                return r.nextInt(3);
            case 1:
                return m;
            default:
                return r.nextInt(m + 1);
        }
    }

    double score() {
        switch (r.nextInt(8)) {
            case 0:
                return between(-1000, 1000);
            case 1:
                return r.nextDouble() * 100 - 50;
            case 2: {
                double[] e = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.NaN,
                    Double.MIN_VALUE, Double.MAX_VALUE, 1e16, 1e17, -1e17, 1.5e300, 9007199254740993.0, 0.1};
                return e[r.nextInt(e.length)];
            }
            case 3:
                return Double.longBitsToDouble(r.nextLong());
            default:
                return r.nextInt(100000) / 8.0;
        }
    }

    // ------------------------------------------------------------------ values

    /** A random entry of {@code type}, with random expiry / DF_MASK prefix. */
    RdbKeyValue keyValue(byte[] key, RdbType type) {
        RdbValue v = value(type);
        RdbKeyValue kv = new RdbKeyValue(key, type, v, -1, 0, 0);
        if (chance(30)) {
            kv = kv.withExpireAtMs(chance(20) ? 0 : Math.abs(r.nextLong() >> 2));
        }
        if (chance(25)) {
            int mask = r.nextInt(4);
            kv = kv.withDfMask(mask, (mask & 2) != 0 ? r.nextInt() & 0xFFFFFFFFL : 0);
        }
        return kv;
    }

    byte[] key() {
        return chance(20) ? ascii(Long.toString(r.nextInt())) : element();
    }

    RdbValue value(RdbType type) {
        switch (type.logicalType()) {
            case STRING:
                return RdbValue.string(chance(5) ? repetitive(between(30000, 70000)) : element());
            case JSON:
                if (chance(30)) {
                    return new RdbValue.JsonValue(ascii(Long.toString(between(-100000, 100000))));
                }
                return new RdbValue.JsonValue(ascii("{\"a\":\"" + word(between(0, 60)) + "\",\"n\":" + r.nextInt()
                        + "}"));
            case LIST:
                return RdbValue.list(elements(40));
            case SET:
                return set(type);
            case ZSET: {
                List<byte[]> m = distinct(40);
                double[] s = new double[m.size()];
                for (int i = 0; i < s.length; i++) {
                    s[i] = score();
                }
                return RdbValue.zset(m, s);
            }
            case HASH:
                return hash(type);
            case STREAM:
                return stream();
            case BLOOM: {
                List<RdbValue.BloomFilter> f = new ArrayList<>();
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    byte[] bits = new byte[between(1, 300)];
                    r.nextBytes(bits);
                    f.add(new RdbValue.BloomFilter(between(1, 20), bits));
                }
                return new RdbValue.BloomValue(0, 2.0 + r.nextInt(3), 0.01 * between(1, 50), r.nextInt(1000),
                        r.nextInt(1000), r.nextInt(100000), f);
            }
            case CMS: {
                int w = r.nextInt(6);
                int d = r.nextInt(5);
                long[] c = new long[w * d];
                for (int i = 0; i < c.length; i++) {
                    c[i] = r.nextLong() >> r.nextInt(64);
                }
                return new RdbValue.CmsValue(w, d, Math.abs(r.nextLong() >> 8), c);
            }
            case TOPK: {
                int k = r.nextInt(8);
                int heap = r.nextInt(k + 1);
                List<byte[]> items = new ArrayList<>();
                long[] counts = new long[heap];
                for (int i = 0; i < heap; i++) {
                    items.add(element());
                    counts[i] = r.nextInt(1 << 20);
                }
                int w = r.nextInt(8);
                int d = r.nextInt(4);
                byte[] counters = new byte[w * d * 4];
                r.nextBytes(counters);
                return new RdbValue.TopKValue(0, k, w, d, r.nextDouble(), items, counts, counters);
            }
            case CUCKOO: {
                List<byte[]> f = new ArrayList<>();
                int n = between(1, 3);
                for (int i = 0; i < n; i++) {
                    byte[] b = new byte[between(1, 400)];
                    r.nextBytes(b);
                    f.add(b);
                }
                return new RdbValue.CuckooValue(4, 20, 1, 1L << between(0, 12), r.nextInt(10000), r.nextInt(100), f);
            }
            case MODULE: {
                ModuleOpcodes ops = RdbValue.ModuleValue.opcodes();
                int n = r.nextInt(6);
                for (int i = 0; i < n; i++) {
                    switch (r.nextInt(5)) {
                        case 0:
                            ops.signed(r.nextLong());
                            break;
                        case 1:
                            ops.unsigned(r.nextLong() >>> r.nextInt(64));
                            break;
                        case 2:
                            ops.float32(r.nextFloat());
                            break;
                        case 3:
                            ops.float64(r.nextDouble());
                            break;
                        default:
                            ops.string(element());
                    }
                }
                String name = "";
                String cs = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                for (int i = 0; i < 9; i++) {
                    name += cs.charAt(r.nextInt(cs.length()));
                }
                return new RdbValue.ModuleValue(ModuleIds.moduleId(name, r.nextInt(1024)), ops.build());
            }
            default:
                throw new IllegalArgumentException(type.toString());
        }
    }

    private RdbValue set(RdbType type) {
        List<byte[]> m;
        if (type == RdbType.SET_INTSET) {
            LinkedHashSet<Long> s = new LinkedHashSet<>();
            int n = size(40);
            int width = r.nextInt(3);
            for (int i = 0; i < n; i++) {
                s.add(width == 0 ? (long) between(-32768, 32767) : width == 1 ? (long) r.nextInt() : r.nextLong());
            }
            m = new ArrayList<>();
            for (long x : s) {
                m.add(ascii(Long.toString(x)));
            }
        } else {
            m = distinct(40);
        }
        long[] exp = null;
        if (type == RdbType.SET_WITH_EXPIRY && chance(80)) {
            exp = new long[m.size()];
            for (int i = 0; i < exp.length; i++) {
                exp[i] = chance(30) ? -1 : RdbOpcodes.MEMBER_EXPIRY_BASE + r.nextInt(Integer.MAX_VALUE);
            }
        }
        return new RdbValue.SetValue(m, exp);
    }

    private RdbValue hash(RdbType type) {
        List<byte[]> f = distinct(30);
        List<byte[]> v = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) {
            v.add(element());
        }
        long[] exp = null;
        boolean ttlType = type == RdbType.HASH_WITH_EXPIRY || type == RdbType.HASH_METADATA
                || type == RdbType.HASH_LISTPACK_EX || type == RdbType.HASH_METADATA_PRE_GA
                || type == RdbType.HASH_LISTPACK_EX_PRE_GA;
        if (ttlType && chance(85)) {
            exp = new long[f.size()];
            for (int i = 0; i < exp.length; i++) {
                exp[i] = chance(30) ? -1 : (RdbOpcodes.MEMBER_EXPIRY_BASE + r.nextInt(Integer.MAX_VALUE)) * 1000L;
            }
        }
        return new RdbValue.HashValue(f, v, exp);
    }

    StreamId id(long ms, long seq) {
        return new StreamId(ms, seq);
    }

    RdbValue.StreamValue stream() {
        int n = size(30);
        List<RdbValue.StreamItem> items = new ArrayList<>();
        long ms = chance(20) ? 0 : Math.abs(r.nextLong() >> 24);
        long seq = 0;
        List<byte[]> commonFields = elements(4);
        for (int i = 0; i < n; i++) {
            if (chance(60)) {
                ms += 1 + r.nextInt(1000);
                seq = chance(50) ? 0 : r.nextInt(5);
            } else {
                seq += 1 + r.nextInt(3);
            }
            List<byte[]> fv = new ArrayList<>();
            List<byte[]> fields = chance(60) ? commonFields : elements(4);
            for (byte[] f : fields) {
                fv.add(f);
                fv.add(element());
            }
            items.add(new RdbValue.StreamItem(id(ms, seq), fv, chance(20)));
        }
        List<RdbValue.StreamGroup> groups = new ArrayList<>();
        int g = r.nextInt(4);
        for (int i = 0; i < g; i++) {
            List<ValueBatch.PendingEntry> pel = new ArrayList<>();
            List<StreamId> pendingIds = new ArrayList<>();
            for (RdbValue.StreamItem it : items) {
                if (chance(30)) {
                    pel.add(new ValueBatch.PendingEntry(it.id(), r.nextLong() >> r.nextInt(64), r.nextInt(100)));
                    pendingIds.add(it.id());
                }
            }
            List<RdbValue.StreamConsumer> consumers = new ArrayList<>();
            int c = r.nextInt(4);
            for (int k = 0; k < c; k++) {
                List<StreamId> mine = new ArrayList<>();
                for (StreamId id : pendingIds) {
                    if (chance(40)) {
                        mine.add(id);
                    }
                }
                consumers.add(new RdbValue.StreamConsumer(ascii("consumer-" + k + word(r.nextInt(5))),
                        r.nextLong() >> r.nextInt(64), chance(30) ? -1 : r.nextLong() >> r.nextInt(64), mine));
            }
            groups.add(new RdbValue.StreamGroup(ascii("group-" + i + "-" + word(r.nextInt(8))),
                    items.isEmpty() ? StreamId.ZERO : items.get(r.nextInt(items.size())).id(),
                    chance(30) ? -1 : r.nextInt(1000), pel, consumers));
        }
        RdbValue.StreamValue s = RdbValue.StreamValue.of(items, groups);
        if (chance(30)) {
            s = new RdbValue.StreamValue(items, r.nextInt(1000), id(ms + 5, 7), id(r.nextInt(9), 1),
                    id(r.nextInt(9), 2), r.nextInt(100000), groups);
        }
        return s;
    }

    // ------------------------------------------------------------------ settings

    RdbEncoder encoder(int rdbVersion) {
        return RdbEncoder.builder()
                .rdbVersion(rdbVersion)
                .lzfStrings(chance(40))
                .lzfListNodes(chance(30))
                .listNodeMaxElements(between(1, 20))
                .listNodeMaxBytes(between(16, 4096))
                .listPlainThreshold(chance(50) ? between(8, 3000) : 1 << 20)
                .streamNodeMaxEntries(between(1, 12))
                .streamNodeMaxBytes(between(20, 4096))
                .filterChunkBytes(between(1, 100))
                .intsetMinWidth(new int[] {2, 4, 8}[r.nextInt(3)])
                .zipmapFreeBytes(chance(50) ? 0 : between(1, 5))
                .zstdLevel(between(1, 5))
                .build();
    }

    /** An RDB version at which {@code type} can be written. */
    int versionFor(RdbType type) {
        if (type == RdbType.SET_LISTPACK) {
            return between(10, 12);
        }
        if (type == RdbType.JSON_OLD) {
            return between(5, 9);
        }
        return chance(80) ? 9 : between(5, 12);
    }

    /** A random encodable type that is valid at {@code rdbVersion}. */
    RdbType type(int rdbVersion) {
        RdbType[] all = ENCODABLE.toArray(new RdbType[0]);
        while (true) {
            RdbType t = all[r.nextInt(all.length)];
            if (t == RdbType.SET_LISTPACK && rdbVersion < 10 || t == RdbType.JSON_OLD && rdbVersion >= 10) {
                continue;
            }
            return t;
        }
    }

    /** A journal item with the fields it was built from. */
    record JItem(int db, JournalOp op, long txid, long shards, List<byte[]> args, byte[] bytes) {
    }

    /** A random journal item (SELECT + command / EXEC, or a bare PING). */
    JItem journalItem(int db) {
        int k = r.nextInt(10);
        if (k == 0) {
            return new JItem(db, JournalOp.PING, 0, 0, List.of(), JournalEncoder.item(db, JournalOp.PING, 0, 0,
                    List.of()));
        }
        if (k == 1) {
            long tx = r.nextInt(1000);
            long sh = between(1, 4);
            return new JItem(db, JournalOp.EXEC, tx, sh, List.of(), JournalEncoder.item(db, JournalOp.EXEC, tx, sh,
                    List.of()));
        }
        JournalOp op = k == 2 ? JournalOp.EXPIRED : k == 3 ? JournalOp.MULTI_COMMAND : JournalOp.COMMAND;
        List<byte[]> args = new ArrayList<>();
        args.add(ascii(new String[] {"SET", "DEL", "HSET", "LPUSH", "XADD", "FLUSHDB"}[r.nextInt(6)]));
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            args.add(chance(5) ? repetitive(between(100, 20000)) : element());
        }
        long tx = chance(50) ? 0 : Math.abs(r.nextLong() >> r.nextInt(64));
        long sh = between(0, 3);
        return new JItem(db, op, tx, sh, args, JournalEncoder.item(db, op, tx, sh, args));
    }
}
