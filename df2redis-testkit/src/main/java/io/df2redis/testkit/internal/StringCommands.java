package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * String commands as Dragonfly executes and journals them ({@code string_family.cc},
 * {@code bitops_family.cc}): {@code SET} and {@code SETEX}/{@code PSETEX} become
 * {@code SET key value [PXAT ms] [KEEPTTL] [STICK] [_MCFLAGS n]} (NX/XX/GET dropped, nothing
 * when nothing was written), {@code GETEX} becomes {@code PEXPIREAT}/{@code PERSIST},
 * {@code MSET}/{@code MSETNX} become one {@code MSET} per shard, {@code BITOP} becomes
 * {@code SET}/{@code DEL} of the destination; the others are journaled as received when they
 * succeed.
 *
 * <p><b>Why one class:</b> over 400 lines: the command table of the string type (SET and its options, the
 * counters, ranges, bit operations), each entry a few lines.
 */
final class StringCommands {
    /** {@code kMaxExpireDeadlineMs}: relative expiry times are capped (SET) or refused (EXPIRE) above it. */
    static final long MAX_EXPIRE_MS = ((1L << 28) - 1) * 1000;
    private static final String OVERFLOW = "ERR increment or decrement would overflow";
    private static final long MAX_STRING = 512L * 1024 * 1024;

    private StringCommands() {
    }

    static void register(Commands.Table t) {
        t.add("SET", -3, StringCommands::set);
        t.add("SETEX", 4, x -> setex(x, 1000));
        t.add("PSETEX", 4, x -> setex(x, 1));
        t.add("SETNX", 3, StringCommands::setnx);
        t.add("GETSET", 3, StringCommands::getset);
        t.add("GETDEL", 2, StringCommands::getdel);
        t.add("GETEX", -2, StringCommands::getex);
        t.add("MSET", -3, x -> mset(x, false));
        t.add("MSETNX", -3, x -> mset(x, true));
        t.add("APPEND", 3, x -> extend(x, false));
        t.add("PREPEND", 3, x -> extend(x, true));
        t.add("SETRANGE", 4, StringCommands::setrange);
        t.add("INCR", 2, x -> incr(x, 1));
        t.add("DECR", 2, x -> incr(x, -1));
        t.add("INCRBY", 3, x -> incr(x, x.integer(2)));
        t.add("DECRBY", 3, x -> {
            long by = x.integer(2);
            if (by == Long.MIN_VALUE) {
                throw new IllegalArgumentException(OVERFLOW);
            }
            return incr(x, -by);
        });
        t.add("INCRBYFLOAT", 3, StringCommands::incrbyfloat);
        t.add("SETBIT", 4, StringCommands::setbit);
        t.add("BITOP", -4, StringCommands::bitop);
    }

    // ------------------------------------------------------------------ SET family

    private static final class SetParams {
        long expireAt = -1;
        boolean keepTtl;
        boolean nx;
        boolean xx;
        boolean get;
        boolean stick;
        long mcFlags;
    }

    private static byte[] set(Exec x) {
        byte[] key = x.arg(1);
        byte[] value = x.arg(2);
        SetParams p = new SetParams();
        boolean expirySeen = false;
        for (int i = 3; i < x.argc(); i++) {
            String o = x.word(i);
            switch (o) {
                case "EX", "PX", "EXAT", "PXAT" -> {
                    if (i + 1 >= x.argc()) {
                        throw Exec.syntax();
                    }
                    long t = x.integer(++i);
                    if (expirySeen) {
                        throw Exec.syntax();
                    }
                    expirySeen = true;
                    if (t <= 0) {
                        throw invalidExpire("set");
                    }
                    long abs = switch (o) {
                        case "EX" -> t > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : x.now + Math.min(t * 1000, MAX_EXPIRE_MS);
                        case "PX" -> x.now + Math.min(t, MAX_EXPIRE_MS);
                        case "EXAT" -> t > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : t * 1000;
                        default -> t;
                    };
                    if (abs <= x.now) {
                        p.expireAt = 0; // already expired: the key is deleted
                    } else {
                        p.expireAt = Math.min(abs, x.now + MAX_EXPIRE_MS);
                    }
                }
                case "_MCFLAGS" -> {
                    if (i + 1 >= x.argc()) {
                        throw Exec.syntax();
                    }
                    p.mcFlags = x.integer(++i);
                }
                case "NX" -> p.nx = true;
                case "XX" -> p.xx = true;
                case "GET" -> p.get = true;
                case "KEEPTTL" -> p.keepTtl = true;
                case "STICK" -> p.stick = true;
                default -> throw Exec.syntax();
            }
        }
        if ((p.nx && p.xx) || (p.keepTtl && expirySeen)) {
            throw Exec.syntax();
        }
        if (p.expireAt == 0) {
            // a deadline in the past deletes the key: journaled as DEL on v1.40; v1.30 journals
            // nothing (its SET is not auto-journaled and its OpDel records no DEL), so a replica keeps it
            if (x.get(key) != null) {
                x.delete(key);
                if (!x.v130()) {
                    x.journal(key, 1, "DEL", key);
                }
            }
            return Resp.OK;
        }
        return doSet(x, key, value, p);
    }

    private static byte[] doSet(Exec x, byte[] key, byte[] value, SetParams p) {
        RdbKeyValue old = x.get(key);
        byte[] previous = null;
        if (p.get && old != null) {
            previous = Reads.typed(old, RdbValue.StringValue.class).bytes();
        }
        if ((p.nx && old != null) || (p.xx && old == null)) {
            return p.get ? Resp.bulk(previous) : Resp.bulk((byte[]) null);
        }
        long exp = p.expireAt >= 0 ? p.expireAt : p.keepTtl && old != null ? old.expireAtMs() : -1;
        boolean sticky = p.stick || (old != null && (old.dfMask() & 1) != 0);
        RdbKeyValue kv = RdbKeyValue.of(key, RdbValue.string(value)).withExpireAtMs(exp);
        if (sticky || p.mcFlags != 0) {
            kv = kv.withDfMask(sticky, p.mcFlags);
        }
        x.put(kv);
        List<Object> j = new ArrayList<>(List.of(key, value));
        if (p.expireAt >= 0) {
            j.add("PXAT");
            j.add(p.expireAt);
        } else if (p.keepTtl) {
            j.add("KEEPTTL");
        }
        if (p.stick) {
            j.add("STICK");
        }
        if (p.mcFlags != 0) {
            j.add("_MCFLAGS");
            j.add(p.mcFlags);
        }
        x.journal(key, 1, "SET", j.toArray());
        return p.get ? Resp.bulk(previous) : Resp.OK;
    }

    private static byte[] setex(Exec x, long unitMs) {
        long t = x.integer(2);
        if (t < 1) {
            throw invalidExpire(x.name.toLowerCase(java.util.Locale.ROOT));
        }
        SetParams p = new SetParams();
        p.expireAt = x.now + Math.min(t > Long.MAX_VALUE / unitMs ? Long.MAX_VALUE : t * unitMs, MAX_EXPIRE_MS);
        return doSet(x, x.arg(1), x.arg(3), p);
    }

    private static byte[] setnx(Exec x) {
        if (x.get(x.arg(1)) != null) {
            return Resp.integer(0);
        }
        x.put(RdbKeyValue.of(x.arg(1), RdbValue.string(x.arg(2))));
        x.auto();
        return Resp.integer(1);
    }

    private static byte[] getset(Exec x) {
        RdbKeyValue old = x.get(x.arg(1));
        byte[] previous = old == null ? null : string(old);
        RdbKeyValue kv = RdbKeyValue.of(x.arg(1), RdbValue.string(x.arg(2)));
        if (old != null) {
            kv = kv.withDfMask(old.dfMask() & 1, 0);
        }
        x.put(kv);
        x.auto();
        return Resp.bulk(previous);
    }

    private static byte[] getdel(Exec x) {
        RdbKeyValue old = x.get(x.arg(1));
        if (old == null) {
            return Resp.bulk((byte[]) null);
        }
        byte[] v = string(old);
        x.delete(x.arg(1));
        x.auto();
        return Resp.bulk(v);
    }

    private static byte[] getex(Exec x) {
        byte[] key = x.arg(1);
        long abs = -1;
        boolean persist = false;
        for (int i = 2; i < x.argc(); i++) {
            String o = x.word(i);
            switch (o) {
                case "EX", "PX", "EXAT", "PXAT" -> {
                    if (i + 1 >= x.argc() || abs >= 0 || persist) {
                        throw Exec.syntax();
                    }
                    long t = x.integer(++i);
                    if (t < 1) {
                        throw invalidExpire("getex");
                    }
                    abs = switch (o) {
                        case "EX" -> x.now + t * 1000;
                        case "PX" -> x.now + t;
                        case "EXAT" -> t * 1000;
                        default -> t;
                    };
                }
                case "PERSIST" -> {
                    if (abs >= 0) {
                        throw Exec.syntax();
                    }
                    persist = true;
                }
                default -> throw Exec.syntax();
            }
        }
        RdbKeyValue kv = x.get(key);
        if (kv == null) {
            return Resp.bulk((byte[]) null);
        }
        byte[] v = string(kv);
        if (persist) {
            x.put(kv.withExpireAtMs(-1));
            x.journal(key, 1, "PERSIST", key);
        } else if (abs >= 0) {
            if (abs - x.now > MAX_EXPIRE_MS) {
                throw invalidExpire("getex");
            }
            if (abs <= x.now) {
                x.delete(key);
            } else {
                x.put(kv.withExpireAtMs(abs));
            }
            x.journal(key, 1, "PEXPIREAT", key, abs);
        }
        return Resp.bulk(v);
    }

    private static byte[] mset(Exec x, boolean nx) {
        if (x.argc() % 2 == 0) {
            throw Reads.wrongArgs(x.name);
        }
        List<byte[]> keys = new ArrayList<>();
        for (int i = 1; i < x.argc(); i += 2) {
            keys.add(x.arg(i));
        }
        x.span(keys);
        if (nx) {
            x.multiHop();
            for (byte[] k : keys) {
                if (x.get(k) != null) {
                    return Resp.integer(0);
                }
            }
        }
        Map<Integer, List<byte[]>> perShard = new LinkedHashMap<>();
        Map<Integer, Set<ByteKey>> shardKeys = new LinkedHashMap<>();
        for (int i = 1; i < x.argc(); i += 2) {
            byte[] k = x.arg(i);
            RdbKeyValue old = x.get(k);
            RdbKeyValue kv = RdbKeyValue.of(k, RdbValue.string(x.arg(i + 1)));
            if (old != null) {
                kv = kv.withDfMask(old.dfMask() & 1, 0);
            }
            x.put(kv);
            int s = x.shardOf(k);
            perShard.computeIfAbsent(s, z -> new ArrayList<>()).addAll(List.of(k, x.arg(i + 1)));
            shardKeys.computeIfAbsent(s, z -> new LinkedHashSet<>()).add(new ByteKey(k));
        }
        for (Map.Entry<Integer, List<byte[]>> e : perShard.entrySet()) {
            x.journalPart(e.getKey(), x.span(), "MSET", e.getValue(), shardKeys.get(e.getKey()));
        }
        return nx ? Resp.integer(1) : Resp.OK;
    }

    private static byte[] extend(Exec x, boolean prepend) {
        RdbKeyValue kv = x.get(x.arg(1));
        byte[] old = kv == null ? new byte[0] : string(kv);
        byte[] add = x.arg(2);
        byte[] nv = new byte[old.length + add.length];
        System.arraycopy(prepend ? add : old, 0, nv, 0, prepend ? add.length : old.length);
        System.arraycopy(prepend ? old : add, 0, nv, prepend ? add.length : old.length, prepend ? old.length : add.length);
        x.update(x.arg(1), kv, RdbValue.string(nv));
        x.auto();
        return Resp.integer(nv.length);
    }

    private static byte[] setrange(Exec x) {
        long offset = x.integer(2);
        if (offset < 0) {
            throw new IllegalArgumentException("ERR offset is out of range");
        }
        byte[] value = x.arg(3);
        if (offset + value.length > MAX_STRING) {
            throw new IllegalArgumentException("ERR string exceeds maximum allowed size");
        }
        RdbKeyValue kv = x.get(x.arg(1));
        byte[] old = kv == null ? new byte[0] : string(kv);
        if (value.length == 0) {
            x.auto();
            return Resp.integer(old.length);
        }
        byte[] nv = Arrays.copyOf(old, (int) Math.max(old.length, offset + value.length));
        System.arraycopy(value, 0, nv, (int) offset, value.length);
        x.update(x.arg(1), kv, RdbValue.string(nv));
        x.auto();
        return Resp.integer(nv.length);
    }

    private static byte[] incr(Exec x, long by) {
        RdbKeyValue kv = x.get(x.arg(1));
        long v = 0;
        if (kv != null) {
            try {
                v = Reads.integer(string(kv));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(Resp.NOT_INTEGER);
            }
        }
        long r;
        try {
            r = Math.addExact(v, by);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(OVERFLOW);
        }
        x.update(x.arg(1), kv, RdbValue.string(Long.toString(r)));
        x.auto();
        return Resp.integer(r);
    }

    private static byte[] incrbyfloat(Exec x) {
        double by = x.decimal(2, "ERR value is not a valid float");
        RdbKeyValue kv = x.get(x.arg(1));
        double v = 0;
        if (kv != null) {
            try {
                v = Double.parseDouble(new String(string(kv), java.nio.charset.StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ERR value is not a valid float");
            }
        }
        double r = v + by;
        if (Double.isNaN(r) || Double.isInfinite(r)) {
            throw new IllegalArgumentException("ERR increment would produce NaN or Infinity");
        }
        String text = Out.format(r);
        x.update(x.arg(1), kv, RdbValue.string(text));
        x.auto();
        return Resp.bulk(text);
    }

    private static byte[] setbit(Exec x) {
        long offset;
        try {
            offset = x.integer(2);
        } catch (IllegalArgumentException e) {
            offset = -1;
        }
        if (offset < 0 || offset >= MAX_STRING * 8) {
            throw new IllegalArgumentException("ERR bit offset is not an integer or out of range");
        }
        String bit = new String(x.arg(3), java.nio.charset.StandardCharsets.US_ASCII);
        if (!bit.equals("0") && !bit.equals("1")) {
            throw new IllegalArgumentException("ERR bit is not an integer or out of range");
        }
        RdbKeyValue kv = x.get(x.arg(1));
        byte[] old = kv == null ? new byte[0] : string(kv);
        int byteIdx = (int) (offset >> 3);
        byte[] nv = Arrays.copyOf(old, Math.max(old.length, byteIdx + 1));
        int mask = 1 << (7 - (int) (offset & 7));
        int previous = (nv[byteIdx] & mask) != 0 ? 1 : 0;
        nv[byteIdx] = (byte) (bit.equals("1") ? nv[byteIdx] | mask : nv[byteIdx] & ~mask);
        x.update(x.arg(1), kv, RdbValue.string(nv));
        x.auto();
        return Resp.integer(previous);
    }

    private static byte[] bitop(Exec x) {
        String op = x.word(1);
        byte[] dest = x.arg(2);
        List<byte[]> keys = x.tail(2);
        x.span(keys);
        x.multiHop();
        if (!List.of("AND", "OR", "XOR", "NOT").contains(op)) {
            throw Exec.syntax();
        }
        if (op.equals("NOT") && x.argc() != 4) {
            throw new IllegalArgumentException("ERR BITOP NOT must be called with a single source key.");
        }
        List<byte[]> sources = new ArrayList<>();
        int len = 0;
        for (int i = 3; i < x.argc(); i++) {
            RdbKeyValue kv = x.get(x.arg(i));
            byte[] s = kv == null ? new byte[0] : string(kv);
            sources.add(s);
            len = Math.max(len, s.length);
        }
        byte[] r = new byte[len];
        for (int i = 0; i < len; i++) {
            int acc = byteAt(sources.get(0), i);
            for (int j = 1; j < sources.size(); j++) {
                int v = byteAt(sources.get(j), i);
                acc = switch (op) {
                    case "AND" -> acc & v;
                    case "OR" -> acc | v;
                    default -> acc ^ v;
                };
            }
            r[i] = (byte) (op.equals("NOT") ? ~acc : acc);
        }
        RdbKeyValue old = x.get(dest);
        if (r.length == 0) {
            if (old != null) {
                x.delete(dest);
                x.journal(dest, 1, "DEL", dest);
            }
        } else {
            x.put(RdbKeyValue.of(dest, RdbValue.string(r)).withExpireAtMs(old == null ? -1 : old.expireAtMs()));
            x.journal(dest, 1, "SET", dest, r);
        }
        return Resp.integer(r.length);
    }

    private static int byteAt(byte[] b, int i) {
        return i < b.length ? b[i] & 0xFF : 0;
    }

    // ------------------------------------------------------------------ helpers

    static byte[] string(RdbKeyValue kv) {
        return Reads.typed(kv, RdbValue.StringValue.class).bytes();
    }

    static IllegalArgumentException invalidExpire(String cmd) {
        return new IllegalArgumentException("ERR invalid expire time in '" + cmd + "' command");
    }
}
