package io.df2redis.benchmarks;

import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.sink.redis.internal.FlowWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The two ways of writing one snapshot value into Redis that {@link RestoreVsNativeHarness} and
 * {@link SnapshotWriteEncodingBenchmark} compare, and the value shapes they compare them on.
 *
 * <ul>
 *   <li>{@link #nativeCommands}: what {@code FlowWriter} sends for the value as the decoder
 *       delivers it (batches of at most {@link #BATCH} elements, the decoder's default
 *       {@code batchMaxElements}): strings {@code SET} (+ {@code PEXPIREAT}); containers
 *       {@code DEL}, then one {@code RPUSH}/{@code HSET}/{@code ZADD} per batch (argument lists
 *       copied as {@code FlowWriter} does), then {@code PEXPIREAT} when the key has a TTL.</li>
 *   <li>{@link #restoreCommand}: {@code RESTORE key <abs ms or 0> <payload> ABSTTL REPLACE}, the
 *       payload being what {@code DUMP} returns: the type byte, the value encoded by
 *       {@link RdbEncoder#writeValue} in the type {@link RdbValue#defaultType()} picks (listpack
 *       for small hashes/zsets, quicklist 2 for lists, hashtable/skiplist for big ones), the RDB
 *       version (2 bytes LE) and the CRC-64/Jones of all that (8 bytes LE).</li>
 * </ul>
 */
final class SnapshotWrites {
    /** Elements per value batch: {@code RdbDecoderOptions} default {@code batchMaxElements}. */
    static final int BATCH = 1000;

    private static final byte[] SET = b("SET");
    private static final byte[] DEL = b("DEL");
    private static final byte[] RPUSH = b("RPUSH");
    private static final byte[] HSET = b("HSET");
    private static final byte[] ZADD = b("ZADD");
    private static final byte[] PEXPIREAT = b("PEXPIREAT");
    private static final byte[] PXAT = b("PXAT");
    private static final byte[] RESTORE = b("RESTORE");
    private static final byte[] ZERO = b("0");
    private static final byte[] ABSTTL = b("ABSTTL");
    private static final byte[] REPLACE = b("REPLACE");

    private SnapshotWrites() {
    }

    /** A named dataset; {@code elements} counts strings as 1, containers by their elements. */
    record Shape(String name, List<RdbKeyValue> data, long elements) {
        long keys() {
            return data.size();
        }

        /** Key + element bytes (scores as 8 bytes). */
        long bytes() {
            long b = 0;
            for (RdbKeyValue kv : data) {
                b += kv.key().length;
                RdbValue v = kv.value();
                if (v instanceof RdbValue.StringValue s) {
                    b += s.bytes().length;
                } else if (v instanceof RdbValue.ListValue l) {
                    for (byte[] e : l.elements()) {
                        b += e.length;
                    }
                } else if (v instanceof RdbValue.HashValue h) {
                    for (int i = 0; i < h.fields().size(); i++) {
                        b += h.fields().get(i).length + h.values().get(i).length;
                    }
                } else if (v instanceof RdbValue.ZSetValue z) {
                    for (byte[] m : z.members()) {
                        b += m.length + 8;
                    }
                }
            }
            return b;
        }

        RdbType restoreType() {
            RdbKeyValue kv = data.get(0);
            return kv.value().defaultType();
        }
    }

    /** The shapes, by name: str, str_ttl, hash10, zset10, biglist, bighash, bigzset; "all" for every one. */
    static List<Shape> shapes(String names, int scale) {
        List<Shape> out = new ArrayList<>();
        for (String n : (names.equals("all") ? "str,str_ttl,hash10,zset10,biglist,bighash,bigzset" : names).split(",")) {
            out.add(shape(n.trim(), scale));
        }
        return out;
    }

    /** {@code scale} = 1 is the documented size: 100k strings, 20k small hashes/zsets, 4 × 100k big values. */
    static Shape shape(String name, int scale) {
        long ttl = System.currentTimeMillis() + 3_600_000L;
        List<RdbKeyValue> d = new ArrayList<>();
        long elements = 0;
        switch (name) {
            case "str", "str_ttl" -> {
                int n = 100_000 * scale;
                for (int i = 0; i < n; i++) {
                    RdbKeyValue kv = RdbKeyValue.of(name + ":" + i, RdbValue.string(RedisSinkHarness.filled("s" + i + ":", 64)));
                    d.add(name.equals("str_ttl") ? kv.withExpireAtMs(ttl) : kv);
                }
                elements = n;
            }
            case "hash10" -> {
                int n = 20_000 * scale;
                for (int i = 0; i < n; i++) {
                    d.add(RdbKeyValue.of("hash10:" + i, hash(i, 10)));
                }
                elements = n * 10L;
            }
            case "zset10" -> {
                int n = 20_000 * scale;
                for (int i = 0; i < n; i++) {
                    d.add(RdbKeyValue.of("zset10:" + i, zset(i, 10)));
                }
                elements = n * 10L;
            }
            case "biglist" -> {
                for (int i = 0; i < 4 * scale; i++) {
                    List<byte[]> e = new ArrayList<>(100_000);
                    for (int j = 0; j < 100_000; j++) {
                        e.add(RedisSinkHarness.filled("e" + j + ":", 16));
                    }
                    d.add(RdbKeyValue.of("biglist:" + i, RdbValue.list(e)));
                }
                elements = 400_000L * scale;
            }
            case "bighash" -> {
                for (int i = 0; i < 4 * scale; i++) {
                    d.add(RdbKeyValue.of("bighash:" + i, hash(i, 100_000)));
                }
                elements = 400_000L * scale;
            }
            case "bigzset" -> {
                for (int i = 0; i < 2 * scale; i++) {
                    d.add(RdbKeyValue.of("bigzset:" + i, zset(i, 100_000)));
                }
                elements = 200_000L * scale;
            }
            default -> throw new IllegalArgumentException("unknown shape " + name
                    + " (str, str_ttl, hash10, zset10, biglist, bighash, bigzset)");
        }
        return new Shape(name, d, elements);
    }

    private static RdbValue.HashValue hash(int key, int n) {
        List<byte[]> f = new ArrayList<>(n);
        List<byte[]> v = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            f.add(("field" + j).getBytes(StandardCharsets.US_ASCII));
            v.add(RedisSinkHarness.filled("h" + key + "." + j + ":", 16));
        }
        return RdbValue.hash(f, v);
    }

    private static RdbValue.ZSetValue zset(int key, int n) {
        List<byte[]> m = new ArrayList<>(n);
        double[] s = new double[n];
        for (int j = 0; j < n; j++) {
            m.add(RedisSinkHarness.filled("m" + key + "." + j + ":", 16));
            s[j] = j % 3 == 0 ? j : j + 0.25 * (j % 7);
        }
        return RdbValue.zset(m, s);
    }

    /** Emits the native commands {@code FlowWriter} sends for {@code kv}. */
    static void nativeCommands(RdbKeyValue kv, Consumer<List<byte[]>> out) {
        byte[] key = kv.key();
        RdbValue v = kv.value();
        if (v instanceof RdbValue.StringValue s) {
            out.accept(List.of(SET, key, s.bytes()));
        } else {
            out.accept(List.of(DEL, key));
            if (v instanceof RdbValue.ListValue l) {
                List<byte[]> e = l.elements();
                for (int i = 0; i < e.size(); i += BATCH) {
                    List<byte[]> batch = e.subList(i, Math.min(e.size(), i + BATCH));
                    List<byte[]> a = new ArrayList<>(batch.size() + 2);
                    a.add(RPUSH);
                    a.add(key);
                    a.addAll(batch);
                    out.accept(a);
                }
            } else if (v instanceof RdbValue.HashValue h) {
                for (int i = 0; i < h.fields().size(); i += BATCH) {
                    int end = Math.min(h.fields().size(), i + BATCH);
                    List<byte[]> a = new ArrayList<>((end - i) * 2 + 2);
                    a.add(HSET);
                    a.add(key);
                    for (int j = i; j < end; j++) {
                        a.add(h.fields().get(j));
                        a.add(h.values().get(j));
                    }
                    out.accept(a);
                }
            } else if (v instanceof RdbValue.ZSetValue z) {
                for (int i = 0; i < z.members().size(); i += BATCH) {
                    int end = Math.min(z.members().size(), i + BATCH);
                    List<byte[]> a = new ArrayList<>((end - i) * 2 + 2);
                    a.add(ZADD);
                    a.add(key);
                    for (int j = i; j < end; j++) {
                        a.add(b(FlowWriter.score(z.scores()[j])));
                        a.add(z.members().get(j));
                    }
                    out.accept(a);
                }
            } else {
                throw new IllegalArgumentException("shape not covered: " + v.getClass());
            }
        }
        if (kv.expireAtMs() >= 0) {
            out.accept(List.of(PEXPIREAT, key, b(Long.toString(kv.expireAtMs()))));
        }
    }

    /**
     * {@link #nativeCommands} with one change: a string with a TTL is one {@code SET key value PXAT
     * ms} (Redis 6.2+) instead of {@code SET} + {@code PEXPIREAT}.
     */
    static void nativeCommandsPxat(RdbKeyValue kv, Consumer<List<byte[]>> out) {
        if (kv.value() instanceof RdbValue.StringValue s && kv.expireAtMs() >= 0) {
            out.accept(List.of(SET, kv.key(), s.bytes(), PXAT, b(Long.toString(kv.expireAtMs()))));
        } else {
            nativeCommands(kv, out);
        }
    }

    /** The {@code DUMP}-format payload of {@code kv}'s value for a target loading RDB {@code version}. */
    static byte[] dumpPayload(RdbEncoder enc, RdbKeyValue kv, int version) {
        RdbType type = kv.value().defaultType();
        ByteBuf buf = Unpooled.buffer();
        buf.writeByte(type.code());
        enc.writeValue(buf, type, kv.value());
        buf.writeShortLE(version);
        long crc = RdbEncoder.crc64(0L, buf, buf.readerIndex(), buf.readableBytes());
        buf.writeLongLE(crc);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    /** {@code RESTORE key <abs ms | 0> payload ABSTTL REPLACE}. */
    static List<byte[]> restoreCommand(RdbEncoder enc, RdbKeyValue kv, int version) {
        byte[] ttl = kv.expireAtMs() >= 0 ? b(Long.toString(kv.expireAtMs())) : ZERO;
        return List.of(RESTORE, kv.key(), ttl, dumpPayload(enc, kv, version), ABSTTL, REPLACE);
    }

    static String describe(Shape s) {
        return String.format(Locale.ROOT, "%s: %d keys, %d elements, %.1f MB key+element bytes, RESTORE type %s (%d)",
                s.name(), s.keys(), s.elements(), s.bytes() / 1e6, s.restoreType(), s.restoreType().code());
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
