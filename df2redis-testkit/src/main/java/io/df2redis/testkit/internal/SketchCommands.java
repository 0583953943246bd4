package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Probabilistic types written by commands, all journaled as received when they succeed:
 * Bloom filters ({@code BF.RESERVE}, {@code BF.ADD}, {@code BF.MADD}; also on v1.30) with
 * Dragonfly's sizing (fp rate halved per filter, at least 512 bits, {@code ceil(ln2·bpe)}
 * hashes, a new filter at capacity), Count-Min sketches ({@code CMS.INITBYDIM},
 * {@code CMS.INITBYPROB}, {@code CMS.INCRBY}), Top-K ({@code TOPK.RESERVE}, {@code TOPK.ADD},
 * {@code TOPK.INCRBY}) and Cuckoo filters ({@code CF.RESERVE}, {@code CF.ADD},
 * {@code CF.ADDNX}, {@code CF.INSERT}, {@code CF.DEL}); the last three exist since v1.40 only.
 *
 * <p>Membership and counts answer as Dragonfly's would, but the bits and counters are placed
 * with XXH64 rather than Dragonfly's XXH3-128, so the serialized bytes differ from a real
 * master's for the same items.
 *
 * <p><b>Why one class:</b> over 400 lines: the command table of the probabilistic types (Bloom, Cuckoo,
 * Count-Min, Top-K, HyperLogLog), each entry a few lines.
 */
final class SketchCommands {
    private static final XXHash64 XXH = XXHashFactory.fastestJavaInstance().hash64();
    private static final double LN2 = Math.log(2);

    private SketchCommands() {
    }

    static void register(Commands.Table t) {
        t.add("BF.RESERVE", -4, SketchCommands::bfReserve);
        t.add("BF.ADD", 3, x -> bfAdd(x, false));
        t.add("BF.MADD", -3, x -> bfAdd(x, true));
        t.addV140("CMS.INITBYDIM", 4, x -> cmsInit(x, x.integer(2), x.integer(3)));
        t.addV140("CMS.INITBYPROB", 4, x -> {
            double error = x.decimal(2, "CMS: invalid overestimation value");
            double prob = x.decimal(3, "CMS: invalid prob value");
            if (error <= 0 || error >= 1 || prob <= 0 || prob >= 1) {
                throw new IllegalArgumentException("CMS: invalid prob value");
            }
            return cmsInit(x, (long) Math.ceil(2 / error), (long) Math.ceil(Math.log(prob) / Math.log(0.5)));
        });
        t.addV140("CMS.INCRBY", -4, SketchCommands::cmsIncrBy);
        t.addV140("TOPK.RESERVE", -3, SketchCommands::topkReserve);
        t.addV140("TOPK.ADD", -3, x -> topkAdd(x, false));
        t.addV140("TOPK.INCRBY", -4, x -> topkAdd(x, true));
        t.addV140("CF.RESERVE", -3, SketchCommands::cfReserve);
        t.addV140("CF.ADD", 3, x -> cfAdd(x, false, 2, true));
        t.addV140("CF.ADDNX", 3, x -> cfAdd(x, true, 2, true));
        t.addV140("CF.INSERT", -4, x -> cfInsert(x, false));
        t.addV140("CF.INSERTNX", -4, x -> cfInsert(x, true));
        t.addV140("CF.DEL", 3, SketchCommands::cfDel);
    }

    static long hash(byte[] item, long seed) {
        return XXH.hash(item, 0, item.length, seed);
    }

    // ------------------------------------------------------------------ Bloom

    /** One filter of {@code entries} items at {@code fp}: its hash count and zeroed bits. */
    private static RdbValue.BloomFilter filter(long entries, double fp) {
        double bpe = -Math.log(Math.min(fp, 0.5)) / (LN2 * LN2);
        long hashes = (long) Math.ceil(LN2 * bpe);
        long bits = Math.max(512, (long) Math.ceil(entries * bpe));
        bits = Long.highestOneBit(bits - 1) << 1;
        return new RdbValue.BloomFilter(hashes, new byte[(int) (bits / 8)]);
    }

    private static long capacity(RdbValue.BloomFilter f, double fp) {
        double bpe = -Math.log(Math.min(fp, 0.5)) / (LN2 * LN2);
        return (long) Math.floor(f.bits().length * 8L / bpe);
    }

    private static RdbValue.BloomValue newBloom(long capacity, double error, double grow) {
        double fp = error * 0.5;
        RdbValue.BloomFilter f = filter(capacity, fp);
        return new RdbValue.BloomValue(0, grow, fp, 0, 0, capacity(f, fp), List.of(f));
    }

    private static byte[] bfReserve(Exec x) {
        double error = x.decimal(2, "ERR bad error rate");
        long capacity = x.integer(3);
        double grow = 2;
        for (int i = 4; i < x.argc(); i++) {
            if (x.word(i).equals("EXPANSION") && i + 1 < x.argc()) {
                grow = x.integer(++i);
            } else if (!x.word(i).equals("NONSCALING")) {
                throw Exec.syntax();
            }
        }
        if (error <= 0 || error >= 0.5) {
            throw new IllegalArgumentException("ERR (0 < error rate range < 1)");
        }
        if (x.get(x.arg(1)) != null) {
            throw new IllegalArgumentException("ERR item exists");
        }
        x.put(RdbKeyValue.of(x.arg(1), newBloom(capacity, error, grow)));
        x.auto();
        return Resp.OK;
    }

    private static byte[] bfAdd(Exec x, boolean multi) {
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        RdbValue.BloomValue b = x.get(key, RdbValue.BloomValue.class);
        if (b == null) {
            b = newBloom(0, 0.01, 2);
        }
        List<Long> added = new ArrayList<>();
        for (int i = 2; i < x.argc(); i++) {
            RdbValue.BloomValue[] ref = {b};
            added.add(bloomAdd(ref, x.arg(i)) ? 1L : 0L);
            b = ref[0];
        }
        x.update(key, old, b);
        x.auto();
        if (!multi) {
            return Resp.integer(added.get(0));
        }
        Out o = new Out().array(added.size());
        added.forEach(o::integer);
        return o.bytes();
    }

    private static boolean bloomAdd(RdbValue.BloomValue[] ref, byte[] item) {
        RdbValue.BloomValue b = ref[0];
        long h1 = hash(item, 0);
        long h2 = hash(item, 0x9e3779b97f4a7c15L);
        List<RdbValue.BloomFilter> filters = new ArrayList<>(b.filters());
        for (RdbValue.BloomFilter f : filters) {
            if (bloomTest(f, h1, h2, false)) {
                return false;
            }
        }
        RdbValue.BloomFilter last = filters.get(filters.size() - 1);
        byte[] bits = last.bits().clone();
        RdbValue.BloomFilter updated = new RdbValue.BloomFilter(last.hashCount(), bits);
        bloomTest(updated, h1, h2, true);
        filters.set(filters.size() - 1, updated);
        long current = b.currentSize() + 1;
        long prev = b.prevSize();
        long max = b.maxCapacity();
        double fp = b.fpProbability();
        if (current >= max) {
            prev += max;
            fp *= 0.5;
            RdbValue.BloomFilter next = filter((long) (max * b.growFactor()), fp);
            filters.add(next);
            current = 0;
            max = capacity(next, fp);
        }
        ref[0] = new RdbValue.BloomValue(b.options(), b.growFactor(), fp, prev, current, max, filters);
        return true;
    }

    /** Tests (or sets) the filter's bits of an item hashed to (h1, h2); true when all were set. */
    private static boolean bloomTest(RdbValue.BloomFilter f, long h1, long h2, boolean set) {
        long mask = f.bits().length * 8L - 1;
        boolean all = true;
        for (long i = 0; i < f.hashCount(); i++) {
            long bit = (h1 + h2 * i) & mask;
            int byteIdx = (int) (bit >>> 3);
            int m = 1 << (bit & 7);
            all &= (f.bits()[byteIdx] & m) != 0;
            if (set) {
                f.bits()[byteIdx] |= (byte) m;
            }
        }
        return all;
    }

    // ------------------------------------------------------------------ Count-Min

    private static byte[] cmsInit(Exec x, long width, long depth) {
        if (width <= 0 || depth <= 0 || width * depth > 1 << 24) {
            throw new IllegalArgumentException("CMS: invalid width/depth");
        }
        if (x.get(x.arg(1)) != null) {
            throw new IllegalArgumentException("CMS: key already exists");
        }
        x.put(RdbKeyValue.of(x.arg(1), new RdbValue.CmsValue(width, depth, 0, new long[(int) (width * depth)])));
        x.auto();
        return Resp.OK;
    }

    private static byte[] cmsIncrBy(Exec x) {
        if (x.argc() % 2 != 0) {
            throw Reads.wrongArgs("CMS.INCRBY");
        }
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        RdbValue.CmsValue c = x.get(key, RdbValue.CmsValue.class);
        if (c == null) {
            throw new IllegalArgumentException("CMS: key does not exist");
        }
        long[] counters = c.counters().clone();
        long total = c.totalCount();
        Out o = new Out().array((x.argc() - 2) / 2);
        for (int i = 2; i < x.argc(); i += 2) {
            long by = x.integer(i + 1);
            long min = Long.MAX_VALUE;
            for (int d = 0; d < c.depth(); d++) {
                int at = (int) (d * c.width() + Long.remainderUnsigned(hash(x.arg(i), d), c.width()));
                counters[at] += by;
                min = Math.min(min, counters[at]);
            }
            total += by;
            o.integer(min);
        }
        x.update(key, old, new RdbValue.CmsValue(c.width(), c.depth(), total, counters));
        x.auto();
        return o.bytes();
    }

    // ------------------------------------------------------------------ Top-K

    private static byte[] topkReserve(Exec x) {
        long k = x.integer(2);
        long width = 8;
        long depth = 7;
        double decay = 0.9;
        if (x.argc() == 6) {
            width = x.integer(3);
            depth = x.integer(4);
            decay = x.decimal(5, "ERR decay is not a float");
        } else if (x.argc() != 3) {
            throw Exec.syntax();
        }
        if (k <= 0 || width <= 0 || depth <= 0) {
            throw new IllegalArgumentException("ERR invalid k, width or depth");
        }
        if (x.get(x.arg(1)) != null) {
            throw new IllegalArgumentException("ERR key already exists");
        }
        x.put(RdbKeyValue.of(x.arg(1), new RdbValue.TopKValue(0, k, width, depth, decay, List.of(), new long[0],
                new byte[(int) (width * depth * 4)])));
        x.auto();
        return Resp.OK;
    }

    private static byte[] topkAdd(Exec x, boolean incrBy) {
        if (incrBy && x.argc() % 2 != 0) {
            throw Reads.wrongArgs("TOPK.INCRBY");
        }
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        RdbValue.TopKValue t = x.get(key, RdbValue.TopKValue.class);
        if (t == null) {
            throw new IllegalArgumentException("ERR no such key");
        }
        Map<ByteKey, Long> heap = new LinkedHashMap<>();
        for (int i = 0; i < t.heapItems().size(); i++) {
            heap.put(new ByteKey(t.heapItems().get(i)), t.heapCounts()[i]);
        }
        byte[] counters = t.counters().clone();
        List<byte[]> expelled = new ArrayList<>();
        for (int i = 2; i < x.argc(); i += incrBy ? 2 : 1) {
            long by = incrBy ? x.integer(i + 1) : 1;
            long est = 0;
            for (int d = 0; d < t.depth(); d++) {
                int at = (int) ((d * t.width() + Long.remainderUnsigned(hash(x.arg(i), d), t.width())) * 4);
                long v = (counters[at] & 0xffL) | (counters[at + 1] & 0xffL) << 8 | (counters[at + 2] & 0xffL) << 16
                        | (counters[at + 3] & 0xffL) << 24;
                v = Math.min(0xffffffffL, v + by);
                for (int b = 0; b < 4; b++) {
                    counters[at + b] = (byte) (v >>> (8 * b));
                }
                est = Math.max(est, v);
            }
            ByteKey item = new ByteKey(x.arg(i));
            byte[] out = null;
            if (heap.containsKey(item) || heap.size() < t.k()) {
                heap.put(item, est);
            } else {
                ByteKey min = heap.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
                if (est > heap.get(min)) {
                    heap.remove(min);
                    heap.put(item, est);
                    out = min.bytes();
                }
            }
            expelled.add(out);
        }
        List<Map.Entry<ByteKey, Long>> sorted = new ArrayList<>(heap.entrySet());
        sorted.sort(Map.Entry.<ByteKey, Long>comparingByValue(Comparator.reverseOrder()));
        List<byte[]> items = new ArrayList<>();
        long[] counts = new long[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            items.add(sorted.get(i).getKey().bytes());
            counts[i] = sorted.get(i).getValue();
        }
        x.update(key, old, new RdbValue.TopKValue(t.options(), t.k(), t.width(), t.depth(), t.decay(), items, counts,
                counters));
        x.auto();
        Out o = new Out().array(expelled.size());
        expelled.forEach(o::bulk);
        return o.bytes();
    }

    // ------------------------------------------------------------------ Cuckoo

    private static RdbValue.CuckooValue newCuckoo(long capacity, long bucketSize, long maxIterations, long expansion) {
        long buckets = Math.max(1, (capacity + bucketSize - 1) / bucketSize);
        if (Long.bitCount(buckets) != 1) {
            buckets = Long.highestOneBit(buckets) << 1;
        }
        return new RdbValue.CuckooValue(bucketSize, maxIterations, expansion, buckets, 0, 0,
                List.of(new byte[(int) (buckets * bucketSize)]));
    }

    private static byte[] cfReserve(Exec x) {
        long capacity = x.integer(2);
        long bucketSize = 2;
        long maxIterations = 20;
        long expansion = 1;
        for (int i = 3; i < x.argc(); i += 2) {
            if (i + 1 >= x.argc()) {
                throw Exec.syntax();
            }
            switch (x.word(i)) {
                case "BUCKETSIZE" -> bucketSize = x.integer(i + 1);
                case "MAXITERATIONS" -> maxIterations = x.integer(i + 1);
                case "EXPANSION" -> expansion = x.integer(i + 1);
                default -> throw Exec.syntax();
            }
        }
        if (capacity <= 0 || bucketSize <= 0 || bucketSize > 255) {
            throw new IllegalArgumentException("ERR invalid capacity or bucket size");
        }
        if (x.get(x.arg(1)) != null) {
            throw new IllegalArgumentException("ERR item exists");
        }
        x.put(RdbKeyValue.of(x.arg(1), newCuckoo(capacity, bucketSize, maxIterations, expansion)));
        x.auto();
        return Resp.OK;
    }

    private static byte[] cfAdd(Exec x, boolean nx, int itemAt, boolean create) {
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        RdbValue.CuckooValue c = x.get(key, RdbValue.CuckooValue.class);
        if (c == null) {
            if (!create) {
                throw new IllegalArgumentException("ERR not found");
            }
            c = newCuckoo(1024, 2, 20, 1);
        }
        c = copy(c);
        long[] r = cuckooInsert(c, x.arg(itemAt), nx);
        x.update(key, old, withItems(c, r[1]));
        x.auto();
        return Resp.integer(r[0]);
    }

    private static byte[] cfInsert(Exec x, boolean nx) {
        long capacity = 1024;
        boolean create = true;
        int i = 2;
        for (; i < x.argc() && !x.word(i).equals("ITEMS"); i++) {
            if (x.word(i).equals("CAPACITY") && i + 1 < x.argc()) {
                capacity = x.integer(++i);
            } else if (x.word(i).equals("NOCREATE")) {
                create = false;
            } else {
                throw Exec.syntax();
            }
        }
        if (i + 1 >= x.argc()) {
            throw Exec.syntax();
        }
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        RdbValue.CuckooValue c = x.get(key, RdbValue.CuckooValue.class);
        if (c == null) {
            if (!create) {
                throw new IllegalArgumentException("ERR not found");
            }
            c = newCuckoo(capacity, 2, 20, 1);
        }
        c = copy(c);
        Out o = new Out().array(x.argc() - i - 1);
        for (int j = i + 1; j < x.argc(); j++) {
            long[] r = cuckooInsert(c, x.arg(j), nx);
            c = withItems(c, r[1]);
            o.integer(r[0]);
        }
        x.update(key, old, c);
        x.auto();
        return o.bytes();
    }

    private static byte[] cfDel(Exec x) {
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        RdbValue.CuckooValue c = x.get(key, RdbValue.CuckooValue.class);
        if (c == null) {
            throw new IllegalArgumentException("ERR not found");
        }
        c = copy(c);
        int[] slot = cuckooFind(c, x.arg(2));
        if (slot == null) {
            return Resp.integer(0);
        }
        c.filters().get(slot[0])[slot[1]] = 0;
        x.update(key, old, new RdbValue.CuckooValue(c.slotsPerBucket(), c.maxIterations(), c.expansion(),
                c.bucketCount(), c.itemCount() - 1, c.deleteCount() + 1, c.filters()));
        x.auto();
        return Resp.integer(1);
    }

    /** A copy whose filter bytes may be changed (stored values are never changed in place). */
    private static RdbValue.CuckooValue copy(RdbValue.CuckooValue c) {
        List<byte[]> filters = new ArrayList<>();
        for (byte[] f : c.filters()) {
            filters.add(f.clone());
        }
        return new RdbValue.CuckooValue(c.slotsPerBucket(), c.maxIterations(), c.expansion(), c.bucketCount(),
                c.itemCount(), c.deleteCount(), filters);
    }

    private static RdbValue.CuckooValue withItems(RdbValue.CuckooValue c, long items) {
        return new RdbValue.CuckooValue(c.slotsPerBucket(), c.maxIterations(), c.expansion(), c.bucketCount(),
                items, c.deleteCount(), c.filters());
    }

    /** Fingerprint and the two candidate buckets of an item. */
    private static long[] cuckooSlots(RdbValue.CuckooValue c, byte[] item) {
        long h = hash(item, 7);
        long fp = (h >>> 56) & 0xff;
        fp = fp == 0 ? 1 : fp;
        long b1 = Long.remainderUnsigned(h, c.bucketCount());
        long b2 = Long.remainderUnsigned(b1 ^ hash(new byte[] {(byte) fp}, 11), c.bucketCount());
        return new long[] {fp, b1, b2};
    }

    private static int[] cuckooFind(RdbValue.CuckooValue c, byte[] item) {
        long[] s = cuckooSlots(c, item);
        for (int f = c.filters().size() - 1; f >= 0; f--) {
            byte[] bytes = c.filters().get(f);
            for (long b : new long[] {s[1], s[2]}) {
                for (int k = 0; k < c.slotsPerBucket(); k++) {
                    int at = (int) (b * c.slotsPerBucket() + k);
                    if ((bytes[at] & 0xff) == s[0]) {
                        return new int[] {f, at};
                    }
                }
            }
        }
        return null;
    }

    /** Inserts an item: {reply, new item count}; -1 when the filter is full. */
    private static long[] cuckooInsert(RdbValue.CuckooValue c, byte[] item, boolean nx) {
        if (nx && cuckooFind(c, item) != null) {
            return new long[] {0, c.itemCount()};
        }
        long[] s = cuckooSlots(c, item);
        byte[] bytes = c.filters().get(c.filters().size() - 1);
        for (long b : new long[] {s[1], s[2]}) {
            for (int k = 0; k < c.slotsPerBucket(); k++) {
                int at = (int) (b * c.slotsPerBucket() + k);
                if (bytes[at] == 0) {
                    bytes[at] = (byte) s[0];
                    return new long[] {1, c.itemCount() + 1};
                }
            }
        }
        return new long[] {-1, c.itemCount()};
    }
}
