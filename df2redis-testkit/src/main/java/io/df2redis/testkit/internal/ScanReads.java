package io.df2redis.testkit.internal;

import io.df2redis.protocol.resp.Glob;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The SCAN family of {@link Reads}: {@code SCAN} over the keyspace (the cursor is the key's
 * insertion sequence number) and {@code HSCAN}/{@code SSCAN}/{@code ZSCAN} in the order of a 63-bit
 * hash of each element (the cursor is the hash to continue from), with {@code MATCH}, {@code COUNT}
 * and {@code TYPE}. Not thread-safe: called under the master's lock, like {@link Reads}.
 */
final class ScanReads {
    private final Reads reads;

    ScanReads(Reads reads) {
        this.reads = reads;
    }

    /** {@code SCAN cursor [MATCH p] [COUNT n] [TYPE t]} over db {@code db}. */
    byte[] scan(int db, List<byte[]> args) {
        long cursor = cursor(args.get(1));
        ScanOptions o = ScanOptions.parse(args, 2, true);
        if (cursor < 0) {
            return scanReply(0, List.of());
        }
        Dataset.ScanPage page = reads.dataset().scan(db, cursor, o.count);
        List<byte[]> keys = new ArrayList<>();
        for (ByteKey k : page.keys()) {
            if (o.pattern != null && !Glob.matches(o.pattern, k.bytes())) {
                continue;
            }
            RdbKeyValue kv = reads.live(k.bytes());
            if (kv != null && (o.type == null || o.type.equalsIgnoreCase(kv.type().logicalType().typeReply()))) {
                keys.add(k.bytes());
            }
        }
        return scanReply(page.next(), keys);
    }

    private static byte[] scanReply(long next, List<byte[]> items) {
        Out o = new Out().array(2).bulk(Long.toUnsignedString(next)).array(items.size());
        for (byte[] i : items) {
            o.bulk(i);
        }
        return o.bytes();
    }

    /**
     * A cursor as Redis reads it ({@code strtoul}): an optional sign and decimal digits, a negative
     * value wrapping around 2^64, the empty string 0. Values past 2^63 come back negative (nothing
     * lies there: every cursor this master hands out is below).
     */
    static long cursor(byte[] b) {
        String s = new String(b, StandardCharsets.US_ASCII);
        if (s.isEmpty()) {
            return 0;
        }
        boolean negative = s.charAt(0) == '-';
        String digits = negative || s.charAt(0) == '+' ? s.substring(1) : s;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("ERR invalid cursor");
        }
        java.math.BigInteger v = new java.math.BigInteger(digits);
        if (v.bitLength() > 64) {
            throw new IllegalArgumentException("ERR invalid cursor");
        }
        return negative ? -v.longValue() : v.longValue();
    }

    /** The MATCH / COUNT / TYPE options of the SCAN family. */
    private record ScanOptions(byte[] pattern, int count, String type) {
        static ScanOptions parse(List<byte[]> args, int from, boolean keyspace) {
            byte[] pattern = null;
            long count = 10;
            String type = null;
            for (int i = from; i < args.size(); i += 2) {
                String o = Commands.upper(args.get(i));
                boolean value = i + 1 < args.size();
                if (o.equals("COUNT") && value) {
                    count = Reads.integer(args.get(i + 1));
                    if (count < 1) {
                        throw new IllegalArgumentException(Resp.SYNTAX);
                    }
                } else if (o.equals("MATCH") && value) {
                    byte[] p = args.get(i + 1);
                    pattern = p.length == 1 && p[0] == '*' ? null : p;
                } else if (o.equals("TYPE") && keyspace && value) {
                    type = new String(args.get(i + 1), StandardCharsets.UTF_8);
                } else {
                    throw new IllegalArgumentException(Resp.SYNTAX);
                }
            }
            return new ScanOptions(pattern, (int) Math.min(count, Integer.MAX_VALUE), type);
        }
    }

    /**
     * HSCAN / SSCAN / ZSCAN: the elements whose hash is at least the cursor, in hash order, {@code COUNT}
     * at a time (elements sharing a hash always in the same reply); the next cursor is the last hash + 1.
     */
    byte[] elementScan(String name, List<byte[]> args) {
        long cursor = cursor(args.get(2));
        RdbKeyValue kv = reads.live(args.get(1));
        List<byte[]> names;
        List<byte[]> second = null;
        double[] scores = null;
        switch (name) {
            case "HSCAN": {
                Reads.Fields h = kv == null ? null : reads.fields(Reads.typed(kv, RdbValue.HashValue.class));
                names = h == null ? null : h.names;
                second = h == null ? null : h.values;
                break;
            }
            case "SSCAN": {
                RdbValue.SetValue s = Reads.typed(kv, RdbValue.SetValue.class);
                names = s == null ? null : reads.members(s);
                break;
            }
            default: {
                RdbValue.ZSetValue z = Reads.typed(kv, RdbValue.ZSetValue.class);
                names = z == null ? null : z.members();
                scores = z == null ? null : z.scores();
            }
        }
        if (names == null) {
            return scanReply(0, List.of());
        }
        ScanOptions o = ScanOptions.parse(args, 3, false);
        if (cursor < 0) {
            return scanReply(0, List.of());
        }
        List<long[]> candidates = new ArrayList<>(); // {hash, index}
        for (int i = 0; i < names.size(); i++) {
            long h = elementHash(names.get(i));
            if (h >= cursor) {
                candidates.add(new long[] {h, i});
            }
        }
        candidates.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
                : Arrays.compareUnsigned(names.get((int) a[1]), names.get((int) b[1])));
        int end = Math.min(o.count, candidates.size());
        while (end > 0 && end < candidates.size() && candidates.get(end)[0] == candidates.get(end - 1)[0]) {
            end++;
        }
        long next = end == candidates.size() || candidates.get(end - 1)[0] == Long.MAX_VALUE ? 0
                : candidates.get(end - 1)[0] + 1;
        List<byte[]> items = new ArrayList<>();
        for (int c = 0; c < end; c++) {
            int i = (int) candidates.get(c)[1];
            if (o.pattern != null && !Glob.matches(o.pattern, names.get(i))) {
                continue;
            }
            items.add(names.get(i));
            if (second != null) {
                items.add(second.get(i));
            } else if (scores != null) {
                items.add(Out.format(scores[i]).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return scanReply(next, items);
    }

    /** A 63-bit hash, never 0 (cursor 0 starts a scan). */
    static long elementHash(byte[] b) {
        long h = 0xcbf29ce484222325L;
        for (byte x : b) {
            h = (h ^ (x & 0xFF)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        h &= Long.MAX_VALUE;
        return h == 0 ? 1 : h;
    }
}
