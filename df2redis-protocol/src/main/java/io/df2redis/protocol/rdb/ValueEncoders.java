package io.df2redis.protocol.rdb;

import io.df2redis.protocol.internal.CompactWriter;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The per-type value layouts of {@link RdbEncoder}, each cut into "units": the value header and
 * then one unit per element (list node, set member, hash field, stream node, filter chunk…), so
 * that an entry can be split at the element boundaries where Dragonfly splits it (spec §4.4).
 */
final class ValueEncoders {
    private ValueEncoders() {
    }

    /** A value as a sequence of units; every boundary between two units is a valid split point. */
    abstract static class Units {
        /** Writes the next unit; false (nothing written) when the value is complete. */
        abstract boolean next(ByteBuf out);
    }

    /** A value written as one unit (never split). */
    static final class Single extends Units {
        private final Consumer<ByteBuf> writer;
        private boolean done;

        Single(Consumer<ByteBuf> writer) {
            this.writer = writer;
        }

        @Override
        boolean next(ByteBuf out) {
            if (done) {
                return false;
            }
            done = true;
            writer.accept(out);
            return true;
        }
    }

    /** Writes one element of a counted sequence; {@code index} counts from 0. */
    interface ElementWriter<T> {
        void write(ByteBuf out, T element, int index);
    }

    /** A header unit followed by one unit per element. */
    static final class Sequence<T> extends Units {
        private final Consumer<ByteBuf> header;
        private final Iterator<T> elements;
        private final ElementWriter<T> writer;
        private boolean headerDone;
        private int index;

        Sequence(Consumer<ByteBuf> header, Iterator<T> elements, ElementWriter<T> writer) {
            this.header = header;
            this.elements = elements;
            this.writer = writer;
        }

        @Override
        boolean next(ByteBuf out) {
            if (!headerDone) {
                headerDone = true;
                header.accept(out);
                return true;
            }
            if (!elements.hasNext()) {
                return false;
            }
            writer.write(out, elements.next(), index++);
            return true;
        }
    }

    static Units create(RdbEncoder enc, RdbType type, RdbValue value) {
        switch (type) {
            case STRING:
                return new Single(out -> enc.writeString(out, ((RdbValue.StringValue) value).bytes()));
            case JSON:
            case JSON_OLD:
                return new Single(out -> enc.writeString(out, ((RdbValue.JsonValue) value).text()));
            case LIST: {
                List<byte[]> l = ((RdbValue.ListValue) value).elements();
                return new Sequence<>(out -> RdbEncoder.writeLength(out, l.size()), l.iterator(),
                        (out, e, i) -> enc.writeString(out, e));
            }
            case LIST_ZIPLIST:
                return new Single(out -> enc.writeString(out,
                        CompactWriter.ziplist(((RdbValue.ListValue) value).elements())));
            case LIST_QUICKLIST:
            case LIST_QUICKLIST_2:
                return quicklist(enc, type, (RdbValue.ListValue) value);
            case SET: {
                List<byte[]> m = ((RdbValue.SetValue) value).members();
                return new Sequence<>(out -> RdbEncoder.writeLength(out, m.size()), m.iterator(),
                        (out, e, i) -> enc.writeString(out, e));
            }
            case SET_INTSET:
                return new Single(out -> enc.writeString(out, intset(enc, (RdbValue.SetValue) value)));
            case SET_LISTPACK:
                return new Single(out -> enc.writeString(out,
                        CompactWriter.listpack(((RdbValue.SetValue) value).members())));
            case SET_WITH_EXPIRY: {
                RdbValue.SetValue s = (RdbValue.SetValue) value;
                long[] exp = s.expireAtSeconds();
                return new Sequence<>(out -> RdbEncoder.writeLength(out, s.members().size()), s.members().iterator(),
                        (out, e, i) -> {
                            enc.writeString(out, e);
                            enc.writeLongLongAsString(out, memberExpiry(exp == null ? -1 : exp[i]));
                        });
            }
            case ZSET:
            case ZSET_2: {
                RdbValue.ZSetValue z = (RdbValue.ZSetValue) value;
                double[] scores = z.scores();
                boolean text = type == RdbType.ZSET;
                return new Sequence<>(out -> RdbEncoder.writeLength(out, z.members().size()), z.members().iterator(),
                        (out, e, i) -> {
                            enc.writeString(out, e);
                            if (text) {
                                RdbEncoder.writeTextDouble(out, scores[i]);
                            } else {
                                out.writeLongLE(Double.doubleToRawLongBits(scores[i]));
                            }
                        });
            }
            case ZSET_ZIPLIST:
            case ZSET_LISTPACK: {
                RdbValue.ZSetValue z = (RdbValue.ZSetValue) value;
                return new Single(out -> enc.writeString(out, zsetCompact(z, type == RdbType.ZSET_LISTPACK)));
            }
            case HASH: {
                RdbValue.HashValue h = (RdbValue.HashValue) value;
                Iterator<byte[]> vs = h.values().iterator();
                return new Sequence<>(out -> RdbEncoder.writeLength(out, h.fields().size()), h.fields().iterator(),
                        (out, f, i) -> {
                            enc.writeString(out, f);
                            enc.writeString(out, vs.next());
                        });
            }
            case HASH_ZIPMAP: {
                RdbValue.HashValue h = (RdbValue.HashValue) value;
                return new Single(out -> enc.writeString(out,
                        CompactWriter.zipmap(h.fields(), h.values(), enc.zipmapFreeBytes())));
            }
            case HASH_ZIPLIST:
            case HASH_LISTPACK: {
                RdbValue.HashValue h = (RdbValue.HashValue) value;
                return new Single(out -> enc.writeString(out, hashCompact(h, type == RdbType.HASH_LISTPACK)));
            }
            case HASH_LISTPACK_EX:
            case HASH_LISTPACK_EX_PRE_GA: {
                RdbValue.HashValue h = (RdbValue.HashValue) value;
                return new Single(out -> {
                    if (type == RdbType.HASH_LISTPACK_EX) {
                        out.writeLongLE(minExpire(h));
                    }
                    CompactWriter.Listpack lp = new CompactWriter.Listpack();
                    long[] exp = h.expireAtMillis();
                    Iterator<byte[]> vs = h.values().iterator();
                    int i = 0;
                    for (byte[] f : h.fields()) {
                        lp.add(f).add(vs.next()).addInt(absoluteMs(exp, i++));
                    }
                    enc.writeString(out, lp.build());
                });
            }
            case HASH_METADATA:
            case HASH_METADATA_PRE_GA: {
                RdbValue.HashValue h = (RdbValue.HashValue) value;
                boolean relative = type == RdbType.HASH_METADATA;
                long min = relative ? minExpire(h) : 0;
                long[] exp = h.expireAtMillis();
                Iterator<byte[]> vs = h.values().iterator();
                return new Sequence<>(out -> {
                    if (relative) {
                        out.writeLongLE(min);
                    }
                    RdbEncoder.writeLength(out, h.fields().size());
                }, h.fields().iterator(), (out, f, i) -> {
                    long e = absoluteMs(exp, i);
                    RdbEncoder.writeLength(out, e == 0 ? 0 : relative ? e - min + 1 : e);
                    enc.writeString(out, f);
                    enc.writeString(out, vs.next());
                });
            }
            case HASH_WITH_EXPIRY: {
                RdbValue.HashValue h = (RdbValue.HashValue) value;
                long[] exp = h.expireAtMillis();
                Iterator<byte[]> vs = h.values().iterator();
                return new Sequence<>(out -> RdbEncoder.writeLength(out, h.fields().size()), h.fields().iterator(),
                        (out, f, i) -> {
                            enc.writeString(out, f);
                            enc.writeString(out, vs.next());
                            long e = exp == null ? -1 : exp[i];
                            if (e >= 0 && e % 1000 != 0) {
                                throw new IllegalArgumentException("HASH_WITH_EXPIRY stores whole seconds; field "
                                        + i + " expires at " + e + " ms");
                            }
                            enc.writeLongLongAsString(out, memberExpiry(e < 0 ? -1 : e / 1000));
                        });
            }
            case STREAM_LISTPACKS:
            case STREAM_LISTPACKS_2:
            case STREAM_LISTPACKS_3:
                return new StreamUnits(enc, type, (RdbValue.StreamValue) value);
            case SBF:
            case SBF2:
                return bloom(enc, type == RdbType.SBF2, (RdbValue.BloomValue) value);
            case CMS: {
                RdbValue.CmsValue c = (RdbValue.CmsValue) value;
                return new Single(out -> {
                    RdbEncoder.writeLength(out, c.width());
                    RdbEncoder.writeLength(out, c.depth());
                    RdbEncoder.writeLength(out, c.totalCount());
                    for (long v : c.counters()) {
                        out.writeLongLE(v);
                    }
                });
            }
            case TOPK: {
                RdbValue.TopKValue t = (RdbValue.TopKValue) value;
                return new Single(out -> {
                    RdbEncoder.writeLength(out, t.options());
                    RdbEncoder.writeLength(out, t.k());
                    RdbEncoder.writeLength(out, t.width());
                    RdbEncoder.writeLength(out, t.depth());
                    out.writeLongLE(Double.doubleToRawLongBits(t.decay()));
                    RdbEncoder.writeLength(out, t.heapItems().size());
                    int i = 0;
                    for (byte[] item : t.heapItems()) {
                        enc.writeString(out, item);
                        RdbEncoder.writeLength(out, t.heapCounts()[i++]);
                    }
                    RdbEncoder.writeRawString(out, t.counters());
                });
            }
            case CUCKOO:
                return cuckoo(enc, (RdbValue.CuckooValue) value);
            case MODULE_2: {
                RdbValue.ModuleValue m = (RdbValue.ModuleValue) value;
                return new Single(out -> {
                    RdbEncoder.writeLengthUnsigned(out, m.moduleId());
                    out.writeBytes(m.payload());
                    out.writeByte(RdbOpcodes.MODULE_EOF);
                });
            }
            default:
                throw new IllegalArgumentException("the encoder cannot write RDB type " + type);
        }
    }

    // ------------------------------------------------------------------ sets, zsets, hashes

    private static byte[] intset(RdbEncoder enc, RdbValue.SetValue s) {
        long[] v = new long[s.members().size()];
        int i = 0;
        for (byte[] m : s.members()) {
            Long x = CompactWriter.canonicalLong(m);
            if (x == null) {
                throw new IllegalArgumentException("SET_INTSET member is not a canonical integer: "
                        + new String(m, StandardCharsets.UTF_8));
            }
            v[i++] = x;
        }
        return CompactWriter.intset(v, Math.max(enc.intsetMinWidth(), CompactWriter.intsetWidth(v)));
    }

    /** Unix seconds to Dragonfly's member expiry (relative to 2023-02-01), -1 for none. */
    private static long memberExpiry(long unixSeconds) {
        if (unixSeconds < 0) {
            return -1;
        }
        if (unixSeconds < RdbEncoder.MEMBER_EXPIRY_BASE) {
            throw new IllegalArgumentException("member/field expiry " + unixSeconds
                    + " is before Dragonfly's expiry base " + RdbEncoder.MEMBER_EXPIRY_BASE);
        }
        return unixSeconds - RdbEncoder.MEMBER_EXPIRY_BASE;
    }

    private static long absoluteMs(long[] exp, int i) {
        long e = exp == null ? -1 : exp[i];
        if (e == 0) {
            throw new IllegalArgumentException("field expiry 0 cannot be represented (0 means no TTL)");
        }
        return e < 0 ? 0 : e;
    }

    private static long minExpire(RdbValue.HashValue h) {
        long min = Long.MAX_VALUE;
        if (h.expireAtMillis() != null) {
            for (long e : h.expireAtMillis()) {
                if (e >= 0 && e < min) {
                    min = e;
                }
            }
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    /** Largest magnitude Dragonfly / Redis 7.2 store as an integer score ({@code LLONG_MAX / 2}). */
    private static final double MAX_INTEGER_SCORE = (double) (Long.MAX_VALUE / 2);

    /**
     * A score as Dragonfly stores it in a listpack (and, up to v1.30, a ziplist): integral values
     * within ±2^62 as integers, others in the shortest round-trip text (Dragonfly's
     * double-conversion settings: decimal notation for exponents -6..20, else {@code 1e100}),
     * {@code inf}, {@code -inf}, {@code nan}. -0.0 is written {@code -0} (Dragonfly would
     * store 0) so that it decodes unchanged.
     */
    static byte[] scoreText(double d) {
        String s;
        if (Double.isNaN(d)) {
            s = "nan";
        } else if (Double.isInfinite(d)) {
            s = d > 0 ? "inf" : "-inf";
        } else if (d == 0 && Double.doubleToRawLongBits(d) < 0) {
            s = "-0";
        } else if (d >= -MAX_INTEGER_SCORE && d <= MAX_INTEGER_SCORE && d == (long) d) {
            s = Long.toString((long) d);
        } else {
            s = shortestDouble(d);
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The shortest decimal text that parses back to {@code d} (finite, non-zero), formatted as above. */
    static String shortestDouble(double d) {
        java.math.BigDecimal exact = new java.math.BigDecimal(d);
        java.math.BigDecimal bd = null;
        for (int p = 1; p <= 17 && bd == null; p++) {
            java.math.BigDecimal c = exact.round(new java.math.MathContext(p, java.math.RoundingMode.HALF_EVEN));
            if (c.doubleValue() == d) {
                bd = c;
            }
        }
        if (bd == null) {
            bd = exact.round(new java.math.MathContext(17, java.math.RoundingMode.HALF_EVEN));
        }
        bd = bd.stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int n = digits.length();
        int point = n - bd.scale(); // d = 0.<digits> x 10^point
        int exponent = point - 1;
        StringBuilder sb = new StringBuilder(n + 8);
        if (d < 0) {
            sb.append('-');
        }
        if (exponent >= -6 && exponent < 21) {
            if (point <= 0) {
                sb.append("0.");
                sb.append("0".repeat(-point));
                sb.append(digits);
            } else if (point >= n) {
                sb.append(digits).append("0".repeat(point - n));
            } else {
                sb.append(digits, 0, point).append('.').append(digits, point, n);
            }
        } else {
            sb.append(digits.charAt(0));
            if (n > 1) {
                sb.append('.').append(digits, 1, n);
            }
            sb.append('e').append(exponent);
        }
        return sb.toString();
    }

    private static byte[] zsetCompact(RdbValue.ZSetValue z, boolean listpack) {
        CompactWriter.Listpack lp = listpack ? new CompactWriter.Listpack() : null;
        CompactWriter.Ziplist zl = listpack ? null : new CompactWriter.Ziplist();
        int i = 0;
        for (byte[] m : z.members()) {
            byte[] score = scoreText(z.scores()[i++]);
            if (lp != null) {
                lp.add(m).add(score);
            } else {
                zl.add(m).add(score);
            }
        }
        return lp != null ? lp.build() : zl.build();
    }

    private static byte[] hashCompact(RdbValue.HashValue h, boolean listpack) {
        CompactWriter.Listpack lp = listpack ? new CompactWriter.Listpack() : null;
        CompactWriter.Ziplist zl = listpack ? null : new CompactWriter.Ziplist();
        Iterator<byte[]> vs = h.values().iterator();
        for (byte[] f : h.fields()) {
            byte[] v = vs.next();
            if (lp != null) {
                lp.add(f).add(v);
            } else {
                zl.add(f).add(v);
            }
        }
        return lp != null ? lp.build() : zl.build();
    }

    // ------------------------------------------------------------------ lists

    /** Growable int array. */
    static final class IntList {
        int[] a = new int[16];
        int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }
    }

    /**
     * Quicklist nodes: plan the node sizes in a first pass over the elements (PLAIN nodes for
     * big elements in type 18), then write one node per unit in a second pass.
     */
    private static Units quicklist(RdbEncoder enc, RdbType type, RdbValue.ListValue value) {
        boolean v2 = type == RdbType.LIST_QUICKLIST_2;
        IntList plan = new IntList(); // > 0: packed node of n elements, -1: PLAIN node
        int cur = 0;
        long curBytes = 0;
        for (byte[] e : value.elements()) {
            if (v2 && e.length >= enc.listPlainThreshold()) {
                if (cur > 0) {
                    plan.add(cur);
                    cur = 0;
                    curBytes = 0;
                }
                plan.add(-1);
                continue;
            }
            if (cur > 0 && (cur >= enc.listNodeMaxElements() || curBytes + e.length > enc.listNodeMaxBytes())) {
                plan.add(cur);
                cur = 0;
                curBytes = 0;
            }
            cur++;
            curBytes += e.length;
        }
        if (cur > 0) {
            plan.add(cur);
        }
        Iterator<byte[]> it = value.elements().iterator();
        List<Integer> nodes = new java.util.AbstractList<>() {
            @Override
            public Integer get(int index) {
                return plan.a[index];
            }

            @Override
            public int size() {
                return plan.n;
            }
        };
        return new Sequence<>(out -> RdbEncoder.writeLength(out, plan.n), nodes.iterator(), (out, node, i) -> {
            byte[] bytes;
            if (node < 0) {
                RdbEncoder.writeLength(out, 1);
                bytes = it.next();
            } else {
                if (v2) {
                    RdbEncoder.writeLength(out, 2);
                    CompactWriter.Listpack lp = new CompactWriter.Listpack();
                    for (int k = 0; k < node; k++) {
                        lp.add(it.next());
                    }
                    bytes = lp.build();
                } else {
                    CompactWriter.Ziplist zl = new CompactWriter.Ziplist();
                    for (int k = 0; k < node; k++) {
                        zl.add(it.next());
                    }
                    bytes = zl.build();
                }
            }
            if (enc.lzfListNodes()) {
                enc.writeLzfString(out, bytes);
            } else {
                enc.writeString(out, bytes);
            }
        });
    }

    // ------------------------------------------------------------------ filters

    /** Writes a filter's bytes as [len][bytes] chunks of at most {@code chunk} bytes, one unit each. */
    private static final class ChunkedFilters extends Units {
        private final Consumer<ByteBuf> header;
        private final List<Consumer<ByteBuf>> heads;
        private final List<byte[]> filters;
        private final int chunk;
        private boolean headerDone;
        private int filter;
        private int pos = -1; // -1: filter head not written yet

        ChunkedFilters(Consumer<ByteBuf> header, List<Consumer<ByteBuf>> heads, List<byte[]> filters, int chunk) {
            this.header = header;
            this.heads = heads;
            this.filters = filters;
            this.chunk = chunk;
        }

        @Override
        boolean next(ByteBuf out) {
            if (!headerDone) {
                headerDone = true;
                header.accept(out);
                return true;
            }
            if (filter == filters.size()) {
                return false;
            }
            byte[] f = filters.get(filter);
            if (pos < 0) {
                heads.get(filter).accept(out);
                RdbEncoder.writeLength(out, f.length);
                pos = 0;
            }
            if (pos < f.length) {
                int n = Math.min(chunk, f.length - pos);
                RdbEncoder.writeLength(out, n);
                out.writeBytes(f, pos, n);
                pos += n;
            }
            if (pos == f.length) {
                filter++;
                pos = -1;
            }
            return true;
        }
    }

    private static Units bloom(RdbEncoder enc, boolean chunked, RdbValue.BloomValue b) {
        Consumer<ByteBuf> header = out -> {
            RdbEncoder.writeLength(out, b.options());
            out.writeLongLE(Double.doubleToRawLongBits(b.growFactor()));
            out.writeLongLE(Double.doubleToRawLongBits(b.fpProbability()));
            RdbEncoder.writeLength(out, b.prevSize());
            RdbEncoder.writeLength(out, b.currentSize());
            RdbEncoder.writeLength(out, b.maxCapacity());
            RdbEncoder.writeLength(out, b.filters().size());
        };
        if (!chunked) {
            return new Sequence<>(header, b.filters().iterator(), (out, f, i) -> {
                RdbEncoder.writeLength(out, f.hashCount());
                enc.writeString(out, f.bits());
            });
        }
        List<Consumer<ByteBuf>> heads = new ArrayList<>();
        List<byte[]> bits = new ArrayList<>();
        for (RdbValue.BloomFilter f : b.filters()) {
            heads.add(out -> RdbEncoder.writeLength(out, f.hashCount()));
            bits.add(f.bits());
        }
        return new ChunkedFilters(header, heads, bits, enc.filterChunkBytes());
    }

    private static Units cuckoo(RdbEncoder enc, RdbValue.CuckooValue c) {
        Consumer<ByteBuf> header = out -> {
            RdbEncoder.writeLength(out, c.slotsPerBucket());
            RdbEncoder.writeLength(out, c.maxIterations());
            RdbEncoder.writeLength(out, c.expansion());
            RdbEncoder.writeLength(out, c.bucketCount());
            RdbEncoder.writeLength(out, c.itemCount());
            RdbEncoder.writeLength(out, c.deleteCount());
            RdbEncoder.writeLength(out, c.filters().size());
        };
        List<Consumer<ByteBuf>> heads = new ArrayList<>();
        for (int i = 0; i < c.filters().size(); i++) {
            heads.add(out -> {
            });
        }
        return new ChunkedFilters(header, heads, c.filters(), enc.filterChunkBytes());
    }

    // ------------------------------------------------------------------ streams

    /**
     * Streams: the node count, one unit per [node id, listpack] pair (no split after the last
     * node: the metadata tail is written with it, as Dragonfly v1.39+ does).
     */
    private static final class StreamUnits extends Units {
        private final RdbEncoder enc;
        private final int version;
        private final RdbValue.StreamValue s;
        private final IntList plan = new IntList();
        private int node = -1;
        private int entry;

        StreamUnits(RdbEncoder enc, RdbType type, RdbValue.StreamValue s) {
            this.enc = enc;
            this.version = type == RdbType.STREAM_LISTPACKS ? 1 : type == RdbType.STREAM_LISTPACKS_2 ? 2 : 3;
            this.s = s;
            int cur = 0;
            long bytes = 0;
            for (RdbValue.StreamItem e : s.entries()) {
                if (cur > 0 && (cur >= enc.streamNodeMaxEntries() || bytes >= enc.streamNodeMaxBytes())) {
                    plan.add(cur);
                    cur = 0;
                    bytes = 0;
                }
                cur++;
                for (byte[] b : e.fieldsAndValues()) {
                    bytes += b.length + 2;
                }
                bytes += 6;
            }
            if (cur > 0) {
                plan.add(cur);
            }
        }

        @Override
        boolean next(ByteBuf out) {
            if (node == plan.n) {
                return false;
            }
            if (node < 0) {
                RdbEncoder.writeLength(out, plan.n);
            } else {
                writeNode(out, plan.a[node]);
            }
            node++;
            if (node == plan.n) {
                // the last node's unit carries the metadata tail: no split between them
                tail(out);
            }
            return true;
        }

        private void writeNode(ByteBuf out, int count) {
            List<RdbValue.StreamItem> items = s.entries().subList(entry, entry + count);
            entry += count;
            RdbValue.StreamItem master = items.get(0);
            List<byte[]> masterFields = new ArrayList<>();
            List<byte[]> mfv = master.fieldsAndValues();
            for (int i = 0; i < mfv.size(); i += 2) {
                masterFields.add(mfv.get(i));
            }
            long live = 0;
            for (RdbValue.StreamItem e : items) {
                if (!e.deleted()) {
                    live++;
                }
            }
            CompactWriter.Listpack lp = new CompactWriter.Listpack();
            lp.addInt(live).addInt(count - live).addInt(masterFields.size());
            for (byte[] f : masterFields) {
                lp.add(f);
            }
            lp.addInt(0);
            for (RdbValue.StreamItem e : items) {
                List<byte[]> fv = e.fieldsAndValues();
                int nf = fv.size() / 2;
                boolean same = nf == masterFields.size();
                for (int i = 0; same && i < nf; i++) {
                    same = Arrays.equals(fv.get(2 * i), masterFields.get(i));
                }
                int flags = (e.deleted() ? 1 : 0) | (same ? 2 : 0);
                lp.addInt(flags).addInt(e.id().ms() - master.id().ms()).addInt(e.id().seq() - master.id().seq());
                if (same) {
                    for (int i = 0; i < nf; i++) {
                        lp.add(fv.get(2 * i + 1));
                    }
                    lp.addInt(nf + 3);
                } else {
                    lp.addInt(nf);
                    for (byte[] b : fv) {
                        lp.add(b);
                    }
                    lp.addInt(2L * nf + 4);
                }
            }
            byte[] key = new byte[16];
            putBe(key, 0, master.id().ms());
            putBe(key, 8, master.id().seq());
            enc.writeString(out, key);
            enc.writeString(out, lp.build());
        }

        private void tail(ByteBuf out) {
            RdbEncoder.writeLengthUnsigned(out, s.length());
            RdbEncoder.writeLengthUnsigned(out, s.lastId().ms());
            RdbEncoder.writeLengthUnsigned(out, s.lastId().seq());
            if (version >= 2) {
                RdbEncoder.writeLengthUnsigned(out, s.firstId().ms());
                RdbEncoder.writeLengthUnsigned(out, s.firstId().seq());
                RdbEncoder.writeLengthUnsigned(out, s.maxDeletedId().ms());
                RdbEncoder.writeLengthUnsigned(out, s.maxDeletedId().seq());
                RdbEncoder.writeLengthUnsigned(out, s.entriesAdded());
            }
            RdbEncoder.writeLength(out, s.groups().size());
            for (RdbValue.StreamGroup g : s.groups()) {
                enc.writeString(out, g.name());
                RdbEncoder.writeLengthUnsigned(out, g.lastDeliveredId().ms());
                RdbEncoder.writeLengthUnsigned(out, g.lastDeliveredId().seq());
                if (version >= 2) {
                    RdbEncoder.writeLengthUnsigned(out, g.entriesRead());
                }
                RdbEncoder.writeLength(out, g.pending().size());
                for (ValueBatch.PendingEntry p : g.pending()) {
                    out.writeLong(p.id().ms());
                    out.writeLong(p.id().seq());
                    out.writeLongLE(p.deliveryTimeMs());
                    RdbEncoder.writeLengthUnsigned(out, p.deliveryCount());
                }
                RdbEncoder.writeLength(out, g.consumers().size());
                for (RdbValue.StreamConsumer c : g.consumers()) {
                    enc.writeString(out, c.name());
                    out.writeLongLE(c.seenTimeMs());
                    if (version >= 3) {
                        out.writeLongLE(c.activeTimeMs());
                    }
                    RdbEncoder.writeLength(out, c.pending().size());
                    for (StreamId id : c.pending()) {
                        out.writeLong(id.ms());
                        out.writeLong(id.seq());
                    }
                }
            }
        }

        private static void putBe(byte[] b, int off, long v) {
            for (int i = 0; i < 8; i++) {
                b[off + i] = (byte) (v >>> (56 - 8 * i));
            }
        }
    }
}
