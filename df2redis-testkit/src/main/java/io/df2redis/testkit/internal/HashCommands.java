package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Hash commands as Dragonfly executes and journals them ({@code hset_family.cc}): all are
 * journaled as received when they succeed, {@code HINCRBYFLOAT} included, and {@code HSETEX
 * key [NX] [KEEPTTL] <ttl_s> field value …} with its relative TTL.
 */
final class HashCommands {
    /** v1.30.3 refuses field TTLs above 2^26 s. */
    private static final long V130_MAX_FIELD_TTL = 1L << 26;

    private HashCommands() {
    }

    /** A field's value and expiry (absolute ms, -1 = none). */
    private record Field(byte[] value, long expireAtMs) {
    }

    static void register(Commands.Table t) {
        t.add("HSET", -4, x -> hset(x, false));
        t.add("HMSET", -4, x -> hset(x, true));
        t.add("HSETNX", 4, HashCommands::hsetnx);
        t.add("HDEL", -3, x -> x.removeMembers(HashCommands::fields, HashCommands::save));
        t.add("HINCRBY", 4, HashCommands::hincrby);
        t.add("HINCRBYFLOAT", 4, HashCommands::hincrbyfloat);
        t.add("HSETEX", -5, HashCommands::hsetex);
    }

    private static Map<ByteKey, Field> fields(Exec x, byte[] key) {
        RdbValue.HashValue h = x.get(key, RdbValue.HashValue.class);
        if (h == null) {
            return null;
        }
        Map<ByteKey, Field> m = new LinkedHashMap<>();
        for (int i = 0; i < h.fields().size(); i++) {
            long at = h.expireAtMillis() == null ? -1 : h.expireAtMillis()[i];
            if (at < 0 || at > x.now) {
                m.put(new ByteKey(h.fields().get(i)), new Field(h.values().get(i), at));
            }
        }
        return m;
    }

    private static void save(Exec x, byte[] key, RdbKeyValue old, Map<ByteKey, Field> m) {
        if (m.isEmpty()) {
            x.delete(key);
            return;
        }
        List<byte[]> names = new ArrayList<>(m.size());
        List<byte[]> values = new ArrayList<>(m.size());
        long[] exp = new long[m.size()];
        boolean any = false;
        int i = 0;
        for (Map.Entry<ByteKey, Field> e : m.entrySet()) {
            names.add(e.getKey().bytes());
            values.add(e.getValue().value());
            exp[i++] = e.getValue().expireAtMs();
            any |= e.getValue().expireAtMs() >= 0;
        }
        x.update(key, old, new RdbValue.HashValue(names, values, any ? exp : null));
    }

    private static byte[] hset(Exec x, boolean hmset) {
        if (x.argc() % 2 != 0) {
            throw Reads.wrongArgs(x.name);
        }
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        Map<ByteKey, Field> m = fields(x, key);
        if (m == null) {
            m = new LinkedHashMap<>();
        }
        int added = 0;
        for (int i = 2; i < x.argc(); i += 2) {
            added += m.put(new ByteKey(x.arg(i)), new Field(x.arg(i + 1), -1)) == null ? 1 : 0;
        }
        save(x, key, old, m);
        x.auto();
        return hmset ? Resp.OK : Resp.integer(added);
    }

    private static byte[] hsetnx(Exec x) {
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        Map<ByteKey, Field> m = fields(x, key);
        if (m == null) {
            m = new LinkedHashMap<>();
        }
        ByteKey f = new ByteKey(x.arg(2));
        int added = 0;
        if (!m.containsKey(f)) {
            m.put(f, new Field(x.arg(3), -1));
            save(x, key, old, m);
            added = 1;
        }
        x.auto();
        return Resp.integer(added);
    }

    private static byte[] hincrby(Exec x) {
        long by = x.integer(3);
        byte[] r = incrementField(x, cur -> {
            long v = 0;
            if (cur != null) {
                try {
                    v = Reads.integer(cur);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("ERR hash value is not an integer");
                }
            }
            try {
                return Long.toString(Math.addExact(v, by)).getBytes(StandardCharsets.US_ASCII);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("ERR increment or decrement would overflow");
            }
        });
        return Resp.integer(Long.parseLong(new String(r, StandardCharsets.US_ASCII)));
    }

    private static byte[] hincrbyfloat(Exec x) {
        double by = x.decimal(3, "ERR value is not a valid float");
        byte[] r = incrementField(x, cur -> {
            double v = 0;
            if (cur != null) {
                try {
                    v = Double.parseDouble(new String(cur, StandardCharsets.US_ASCII));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("ERR hash value is not a float");
                }
            }
            double sum = v + by;
            if (Double.isNaN(sum) || Double.isInfinite(sum)) {
                throw new IllegalArgumentException("ERR increment would produce NaN or Infinity");
            }
            return Out.format(sum).getBytes(StandardCharsets.US_ASCII);
        });
        return Resp.bulk(r);
    }

    /**
     * {@code HINCRBY}/{@code HINCRBYFLOAT}: sets field {@code x.arg(2)} of hash {@code x.arg(1)} to
     * what {@code next} makes of its value (null when absent; {@code next} throws the command's
     * error), keeping the field's TTL; returns the new value.
     */
    private static byte[] incrementField(Exec x, UnaryOperator<byte[]> next) {
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        Map<ByteKey, Field> m = fields(x, key);
        if (m == null) {
            m = new LinkedHashMap<>();
        }
        ByteKey f = new ByteKey(x.arg(2));
        Field cur = m.get(f);
        byte[] value = next.apply(cur == null ? null : cur.value());
        m.put(f, new Field(value, cur == null ? -1 : cur.expireAtMs()));
        save(x, key, old, m);
        x.auto();
        return value;
    }

    private static byte[] hsetex(Exec x) {
        int at = 2;
        boolean nx = false;
        boolean keepTtl = false;
        for (; at < x.argc(); at++) {
            String o = x.word(at);
            if (o.equals("NX") && !nx) {
                nx = true;
            } else if (o.equals("KEEPTTL") && !keepTtl) {
                keepTtl = true;
            } else {
                break;
            }
        }
        if (at >= x.argc()) {
            throw Reads.wrongArgs("HSETEX");
        }
        long ttl = x.integer(at);
        if (ttl <= 0 || ttl > (x.v130() ? V130_MAX_FIELD_TTL : (1L << 28) - 1)) {
            throw new IllegalArgumentException(Resp.NOT_INTEGER);
        }
        if (x.argc() - at - 1 == 0 || (x.argc() - at - 1) % 2 != 0) {
            throw Reads.wrongArgs("HSETEX");
        }
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        Map<ByteKey, Field> m = fields(x, key);
        if (m == null) {
            m = new LinkedHashMap<>();
        }
        long expireAt = (x.now / 1000 + ttl) * 1000;
        int added = 0;
        for (int i = at + 1; i < x.argc(); i += 2) {
            ByteKey f = new ByteKey(x.arg(i));
            Field cur = m.get(f);
            if (cur != null && nx) {
                continue;
            }
            long e = cur != null && keepTtl ? cur.expireAtMs() : expireAt;
            m.put(f, new Field(x.arg(i + 1), e));
            added += cur == null ? 1 : 0;
        }
        save(x, key, old, m);
        x.auto();
        return Resp.integer(added);
    }
}
