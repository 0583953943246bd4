package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.RdbKeyValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.df2redis.testkit.internal.Exec.b;

/**
 * Keyspace commands as Dragonfly executes and journals them ({@code generic_family.cc}):
 * {@code DEL}/{@code UNLINK} split per shard (v1.40: {@code DEL} of the keys that were deleted;
 * v1.30: the command as received, missing keys included), the expiry commands as
 * {@code PEXPIREAT key <abs ms>} or {@code DEL key}, {@code RENAME}/{@code RENAMENX} verbatim
 * within one shard and as {@code DEL src} + {@code RESTORE dst <ttl> <dump> REPLACE ABSTTL
 * [STICK]} across shards, {@code COPY} always as that {@code RESTORE}, {@code MOVE} once on the
 * key's shard (even when nothing moved), {@code FLUSHDB}/{@code FLUSHALL} on every shard.
 */
final class KeyCommands {
    /** Dragonfly's {@code --dbnum} default. */
    static final int DBNUM = 16;
    static final String DB_RANGE = "ERR DB index is out of range";

    private KeyCommands() {
    }

    static void register(Commands.Table t) {
        t.add("DEL", -2, KeyCommands::del);
        t.add("UNLINK", -2, KeyCommands::del);
        t.add("EXPIRE", -3, x -> expire(x, 1000, false));
        t.add("PEXPIRE", -3, x -> expire(x, 1, false));
        t.add("EXPIREAT", -3, x -> expire(x, 1000, true));
        t.add("PEXPIREAT", -3, x -> expire(x, 1, true));
        t.add("PERSIST", 2, KeyCommands::persist);
        t.add("RENAME", 3, x -> rename(x, false));
        t.add("RENAMENX", 3, x -> rename(x, true));
        t.add("COPY", -3, KeyCommands::copy);
        t.add("MOVE", 3, KeyCommands::move);
        t.add("FLUSHDB", -1, x -> flush(x, false));
        t.add("FLUSHALL", -1, x -> flush(x, true));
        t.add("STICK", -2, KeyCommands::stick);
    }

    private static byte[] del(Exec x) {
        List<byte[]> keys = x.tail(1);
        x.span(keys);
        Map<Integer, List<byte[]>> journaled = new LinkedHashMap<>();
        Map<Integer, Set<ByteKey>> touched = new LinkedHashMap<>();
        int n = 0;
        for (byte[] k : keys) {
            int s = x.shardOf(k);
            boolean deleted = x.get(k) != null && x.delete(k) != null;
            n += deleted ? 1 : 0;
            if (deleted || x.v130()) {
                journaled.computeIfAbsent(s, z -> new ArrayList<>()).add(k);
                touched.computeIfAbsent(s, z -> new LinkedHashSet<>()).add(new ByteKey(k));
            }
        }
        // v1.40 journals DEL of what was deleted (UNLINK too); v1.30 auto-journals the command as received
        for (Map.Entry<Integer, List<byte[]>> e : journaled.entrySet()) {
            if (x.v130()) {
                x.autoPart(e.getKey(), e.getValue(), touched.get(e.getKey()));
            } else {
                x.journalPart(e.getKey(), 1, "DEL", e.getValue(), touched.get(e.getKey()));
            }
        }
        return Resp.integer(n);
    }

    private static byte[] expire(Exec x, long unitMs, boolean absolute) {
        byte[] key = x.arg(1);
        long t = x.integer(2);
        String flag = null;
        for (int i = 3; i < x.argc(); i++) {
            String o = x.word(i);
            if (!List.of("NX", "XX", "GT", "LT").contains(o) || flag != null) {
                throw new IllegalArgumentException(flag == null ? "ERR Unsupported option: " + o
                        : "ERR NX and XX, GT or LT options at the same time are not compatible");
            }
            flag = o;
        }
        long abs;
        if (t <= 0 && !absolute) {
            abs = 0;
        } else if (absolute) {
            abs = t <= 0 ? 0 : t > Long.MAX_VALUE / unitMs ? Long.MAX_VALUE : t * unitMs;
        } else {
            abs = t > (Long.MAX_VALUE - x.now) / unitMs ? Long.MAX_VALUE : x.now + t * unitMs;
        }
        RdbKeyValue kv = x.get(key);
        if (kv == null) {
            return Resp.integer(0);
        }
        if (abs != 0 && abs - x.now > StringCommands.MAX_EXPIRE_MS) {
            throw StringCommands.invalidExpire(x.name.toLowerCase(Locale.ROOT));
        }
        long current = kv.expireAtMs() < 0 ? Long.MAX_VALUE : kv.expireAtMs();
        boolean ok = flag == null
                || (flag.equals("NX") && kv.expireAtMs() < 0)
                || (flag.equals("XX") && kv.expireAtMs() >= 0)
                || (flag.equals("GT") && abs > current)
                || (flag.equals("LT") && abs < current);
        if (!ok) {
            return Resp.integer(0);
        }
        if (abs <= x.now) {
            x.delete(key);
            x.journal(key, 1, "DEL", key);
        } else {
            x.put(kv.withExpireAtMs(abs));
            x.journal(key, 1, "PEXPIREAT", key, abs);
        }
        return Resp.integer(1);
    }

    private static byte[] persist(Exec x) {
        RdbKeyValue kv = x.get(x.arg(1));
        if (kv == null || kv.expireAtMs() < 0) {
            return Resp.integer(0);
        }
        x.put(kv.withExpireAtMs(-1));
        x.auto();
        return Resp.integer(1);
    }

    private static byte[] rename(Exec x, boolean nx) {
        byte[] src = x.arg(1);
        byte[] dst = x.arg(2);
        x.span(List.of(src, dst));
        RdbKeyValue kv = x.get(src);
        if (x.span() == 1) {
            if (kv == null) {
                throw new IllegalArgumentException("ERR no such key");
            }
            if (java.util.Arrays.equals(src, dst)) {
                if (nx) {
                    return Resp.integer(0);
                }
                x.auto();
                return Resp.OK;
            }
            if (nx && x.get(dst) != null) {
                return Resp.integer(0);
            }
            x.get(dst);
            x.delete(dst);
            x.delete(src);
            x.put(rekey(kv, dst));
            x.auto(src, dst);
            return nx ? Resp.integer(1) : Resp.OK;
        }
        if (kv == null) {
            throw new IllegalArgumentException("ERR no such key");
        }
        boolean destFound = x.get(dst) != null;
        if (nx && destFound) {
            return Resp.integer(0);
        }
        x.delete(src);
        x.journal(src, 2, "DEL", src);
        restore(x, kv, dst, destFound);
        return nx ? Resp.integer(1) : Resp.OK;
    }

    private static byte[] copy(Exec x) {
        byte[] src = x.arg(1);
        byte[] dst = x.arg(2);
        boolean replace = false;
        for (int i = 3; i < x.argc(); i++) {
            if (!x.word(i).equals("REPLACE")) {
                throw Exec.syntax();
            }
            replace = true;
        }
        if (java.util.Arrays.equals(src, dst)) {
            throw new IllegalArgumentException("ERR source and destination objects are the same");
        }
        x.span(List.of(src, dst));
        x.multiHop();
        RdbKeyValue kv = x.get(src);
        if (kv == null) {
            return Resp.integer(0);
        }
        boolean destFound = x.get(dst) != null;
        if (destFound && !replace) {
            return Resp.integer(0);
        }
        restore(x, kv, dst, destFound);
        return Resp.integer(1);
    }

    /** The destination side of a cross-shard RENAME or a COPY (Dragonfly's {@code Renamer::DeserializeDest}). */
    private static void restore(Exec x, RdbKeyValue kv, byte[] dst, boolean destFound) {
        x.multiHop();
        if (destFound) {
            x.delete(dst);
        }
        byte[] dump = x.dump(kv);
        x.put(rekey(kv, dst));
        List<Object> j = new ArrayList<>(List.of(dst, Math.max(0, kv.expireAtMs()), dump, "REPLACE", "ABSTTL"));
        if ((kv.dfMask() & 1) != 0) {
            j.add("STICK");
        }
        x.journal(dst, 2, "RESTORE", j.toArray());
    }

    private static RdbKeyValue rekey(RdbKeyValue kv, byte[] key) {
        return new RdbKeyValue(key, kv.type(), kv.value(), kv.expireAtMs(), kv.dfMask(), kv.mcFlags());
    }

    private static byte[] move(Exec x) {
        byte[] key = x.arg(1);
        long target;
        try {
            target = x.integer(2);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Resp.NOT_INTEGER);
        }
        if (target < 0 || target >= DBNUM) {
            throw new IllegalArgumentException(DB_RANGE);
        }
        if (target == x.db) {
            throw new IllegalArgumentException("ERR source and destination objects are the same");
        }
        x.multiHop(); // a global transaction
        RdbKeyValue kv = x.get(key);
        boolean moved = false;
        if (kv != null && x.get((int) target, key) == null) {
            x.delete(key);
            x.ds.put((int) target, kv);
            moved = true;
        }
        // journaled once, on the key's shard, whether or not anything moved
        x.journal(key, 1, "MOVE", key, b(Long.toString(target)));
        return Resp.integer(moved ? 1 : 0);
    }

    private static byte[] flush(Exec x, boolean all) {
        for (int i = 1; i < x.argc(); i++) {
            String o = x.word(i);
            if (!o.equals("ASYNC") && !o.equals("SYNC")) {
                throw Exec.syntax();
            }
        }
        if (all) {
            x.ds.clear();
        } else {
            x.ds.clearDb(x.db);
        }
        List<byte[]> j = new ArrayList<>(x.args);
        j.set(0, b(x.name));
        x.global(j, all);
        return Resp.OK;
    }

    private static byte[] stick(Exec x) {
        List<byte[]> keys = x.tail(1);
        x.span(keys);
        Map<Integer, List<byte[]>> perShard = new LinkedHashMap<>();
        Map<Integer, Set<ByteKey>> touched = new LinkedHashMap<>();
        int n = 0;
        for (byte[] k : keys) {
            RdbKeyValue kv = x.get(k);
            if (kv != null && (kv.dfMask() & 1) == 0) {
                x.put(kv.withDfMask(kv.dfMask() | 1, kv.mcFlags()));
                n++;
            }
            int s = x.shardOf(k);
            perShard.computeIfAbsent(s, z -> new ArrayList<>()).add(k);
            touched.computeIfAbsent(s, z -> new LinkedHashSet<>()).add(new ByteKey(k));
        }
        for (Map.Entry<Integer, List<byte[]>> e : perShard.entrySet()) {
            x.autoPart(e.getKey(), e.getValue(), touched.get(e.getKey()));
        }
        return Resp.integer(n);
    }
}
