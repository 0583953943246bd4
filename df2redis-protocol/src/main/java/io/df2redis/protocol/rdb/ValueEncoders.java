package io.df2redis.protocol.rdb;

import io.df2redis.protocol.internal.CompactWriter;
import io.df2redis.protocol.rdb.ValueUnits.Sequence;
import io.df2redis.protocol.rdb.ValueUnits.Single;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;

/**
 * The per-type value layouts of {@link RdbEncoder}, each cut into {@link ValueUnits}: strings,
 * JSON, lists, sets, sorted sets, hashes (with their field-expiry variants), CMS, Top-K and module
 * values here; quicklists in {@link QuicklistUnits}, streams in {@link StreamUnits}, Bloom and
 * Cuckoo filters in {@link FilterUnits}, score text in {@link ScoreText}.
 */
final class ValueEncoders {
    private ValueEncoders() {
    }

    /** The units of {@code value} written as {@code type}. */
    static ValueUnits create(RdbEncoder enc, RdbType type, RdbValue value) {
        switch (type) {
            case STRING:
                return new Single(out -> enc.writeString(out, ((RdbValue.StringValue) value).bytes()));
            case JSON:
            case JSON_OLD:
                return new Single(out -> enc.writeString(out, ((RdbValue.JsonValue) value).text()));
            case LIST: {
                List<byte[]> l = ((RdbValue.ListValue) value).elements();
                return new Sequence<>(out -> RdbRecords.writeLength(out, l.size()), l.iterator(),
                        (out, e, i) -> enc.writeString(out, e));
            }
            case LIST_ZIPLIST:
                return new Single(out -> enc.writeString(out,
                        CompactWriter.ziplist(((RdbValue.ListValue) value).elements())));
            case LIST_QUICKLIST:
            case LIST_QUICKLIST_2:
                return QuicklistUnits.of(enc, type, (RdbValue.ListValue) value);
            case SET: {
                List<byte[]> m = ((RdbValue.SetValue) value).members();
                return new Sequence<>(out -> RdbRecords.writeLength(out, m.size()), m.iterator(),
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
                return new Sequence<>(out -> RdbRecords.writeLength(out, s.members().size()), s.members().iterator(),
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
                return new Sequence<>(out -> RdbRecords.writeLength(out, z.members().size()), z.members().iterator(),
                        (out, e, i) -> {
                            enc.writeString(out, e);
                            if (text) {
                                RdbRecords.writeTextDouble(out, scores[i]);
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
                return new Sequence<>(out -> RdbRecords.writeLength(out, h.fields().size()), h.fields().iterator(),
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
                    RdbRecords.writeLength(out, h.fields().size());
                }, h.fields().iterator(), (out, f, i) -> {
                    long e = absoluteMs(exp, i);
                    RdbRecords.writeLength(out, e == 0 ? 0 : relative ? e - min + 1 : e);
                    enc.writeString(out, f);
                    enc.writeString(out, vs.next());
                });
            }
            case HASH_WITH_EXPIRY: {
                RdbValue.HashValue h = (RdbValue.HashValue) value;
                long[] exp = h.expireAtMillis();
                Iterator<byte[]> vs = h.values().iterator();
                return new Sequence<>(out -> RdbRecords.writeLength(out, h.fields().size()), h.fields().iterator(),
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
                return FilterUnits.bloom(enc, type == RdbType.SBF2, (RdbValue.BloomValue) value);
            case CMS: {
                RdbValue.CmsValue c = (RdbValue.CmsValue) value;
                return new Single(out -> {
                    RdbRecords.writeLength(out, c.width());
                    RdbRecords.writeLength(out, c.depth());
                    RdbRecords.writeLength(out, c.totalCount());
                    for (long v : c.counters()) {
                        out.writeLongLE(v);
                    }
                });
            }
            case TOPK: {
                RdbValue.TopKValue t = (RdbValue.TopKValue) value;
                return new Single(out -> {
                    RdbRecords.writeLength(out, t.options());
                    RdbRecords.writeLength(out, t.k());
                    RdbRecords.writeLength(out, t.width());
                    RdbRecords.writeLength(out, t.depth());
                    out.writeLongLE(Double.doubleToRawLongBits(t.decay()));
                    RdbRecords.writeLength(out, t.heapItems().size());
                    int i = 0;
                    for (byte[] item : t.heapItems()) {
                        enc.writeString(out, item);
                        RdbRecords.writeLength(out, t.heapCounts()[i++]);
                    }
                    RdbRecords.writeRawString(out, t.counters());
                });
            }
            case CUCKOO:
                return FilterUnits.cuckoo(enc, (RdbValue.CuckooValue) value);
            case MODULE_2: {
                RdbValue.ModuleValue m = (RdbValue.ModuleValue) value;
                return new Single(out -> {
                    RdbRecords.writeLengthUnsigned(out, m.moduleId());
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
        if (unixSeconds < RdbOpcodes.MEMBER_EXPIRY_BASE) {
            throw new IllegalArgumentException("member/field expiry " + unixSeconds
                    + " is before Dragonfly's expiry base " + RdbOpcodes.MEMBER_EXPIRY_BASE);
        }
        return unixSeconds - RdbOpcodes.MEMBER_EXPIRY_BASE;
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

    private static byte[] zsetCompact(RdbValue.ZSetValue z, boolean listpack) {
        CompactWriter.Listpack lp = listpack ? new CompactWriter.Listpack() : null;
        CompactWriter.Ziplist zl = listpack ? null : new CompactWriter.Ziplist();
        int i = 0;
        for (byte[] m : z.members()) {
            byte[] score = ScoreText.of(z.scores()[i++]);
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
}
