package io.df2redis.testkit.internal;

import io.df2redis.protocol.journal.JournalOp;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.testkit.ReleaseProfile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Executes a write command against the {@link Dataset} and works out what the journal gets, the
 * way Dragonfly rewrites it (protocol spec §5.7, §12): per shard parts of multi-key commands,
 * {@code SET … EX} → {@code SET … PXAT}, expiry commands → {@code PEXPIREAT}, {@code UNLINK} →
 * {@code DEL} (v1.40), global FLUSHDB/FLUSHALL on every shard. Commands it does not know are
 * journaled verbatim on the shard of their first argument without changing the dataset.
 */
final class Commands {
    static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    /**
     * What one shard's journal gets.
     *
     * @param keys the keys the part touches (in the command's db); null = every key of the db
     *             ({@code allDbs}: of every db)
     */
    record Part(int shard, JournalOp op, List<byte[]> args, Set<ByteKey> keys, boolean allDbs) {
    }

    /**
     * @param parts journal entries, one per shard involved (empty: nothing journaled)
     * @param multi whether a non-zero txid is assigned (multi-key or global command)
     * @param global whether the command is journaled on every shard (FLUSHDB/FLUSHALL)
     * @param reply the reply a client would get (RESP bytes)
     */
    record Plan(List<Part> parts, boolean multi, boolean global, byte[] reply) {
        static Plan none(byte[] reply) {
            return new Plan(List.of(), false, false, reply);
        }
    }

    private final Dataset ds;
    private final Sharding sharding;
    private final ReleaseProfile profile;

    Commands(Dataset ds, Sharding sharding, ReleaseProfile profile) {
        this.ds = ds;
        this.sharding = sharding;
        this.profile = profile;
    }

    Plan execute(int db, List<byte[]> args, long nowMs) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        String name = upper(args.get(0));
        switch (name) {
            case "SET":
                return set(db, args, nowMs);
            case "SETEX":
            case "PSETEX": {
                need(args, 4);
                long t = number(args.get(2));
                long abs = nowMs + (name.equals("SETEX") ? t * 1000 : t);
                return set(db, List.of(b("SET"), args.get(1), args.get(3), b("PXAT"), b(Long.toString(abs))), nowMs);
            }
            case "MSET":
            case "MSETNX":
                return mset(db, args, name.equals("MSETNX"));
            case "DEL":
            case "UNLINK":
                return del(db, args, name);
            case "FLUSHDB":
            case "FLUSHALL": {
                if (name.equals("FLUSHDB")) {
                    ds.clearDb(db);
                } else {
                    ds.clear();
                }
                List<byte[]> jargs = new ArrayList<>(args);
                jargs.set(0, b(name));
                List<Part> parts = new ArrayList<>();
                for (int s = 0; s < sharding.shards(); s++) {
                    parts.add(new Part(s, JournalOp.COMMAND, jargs, null, name.equals("FLUSHALL")));
                }
                return new Plan(parts, true, true, Resp.OK);
            }
            case "EXPIRE":
            case "PEXPIRE":
            case "EXPIREAT":
            case "PEXPIREAT":
                return expire(db, args, name, nowMs);
            case "PERSIST": {
                need(args, 2);
                ByteKey k = new ByteKey(args.get(1));
                RdbKeyValue kv = ds.get(db, k);
                if (kv == null || kv.expireAtMs() < 0) {
                    return Plan.none(Resp.integer(0));
                }
                ds.put(db, kv.withExpireAtMs(-1));
                return single(db, k, List.of(b("PERSIST"), args.get(1)), Resp.integer(1));
            }
            case "INCR":
            case "DECR":
            case "INCRBY":
            case "DECRBY": {
                need(args, name.endsWith("BY") ? 3 : 2);
                long by = name.endsWith("BY") ? number(args.get(2)) : 1;
                if (name.startsWith("DECR")) {
                    by = -by;
                }
                ByteKey k = new ByteKey(args.get(1));
                RdbKeyValue kv = ds.get(db, k);
                long v = 0;
                if (kv != null) {
                    v = number(string(kv));
                }
                v += by;
                putValue(db, k, kv, RdbValue.string(Long.toString(v)), false);
                return single(db, k, verbatim(args), Resp.integer(v));
            }
            case "APPEND": {
                need(args, 3);
                ByteKey k = new ByteKey(args.get(1));
                RdbKeyValue kv = ds.get(db, k);
                byte[] old = kv == null ? new byte[0] : string(kv);
                byte[] nv = Arrays.copyOf(old, old.length + args.get(2).length);
                System.arraycopy(args.get(2), 0, nv, old.length, args.get(2).length);
                putValue(db, k, kv, RdbValue.string(nv), false);
                return single(db, k, verbatim(args), Resp.integer(nv.length));
            }
            case "LPUSH":
            case "RPUSH": {
                need(args, 3);
                ByteKey k = new ByteKey(args.get(1));
                RdbKeyValue kv = ds.get(db, k);
                List<byte[]> elems = new ArrayList<>();
                if (kv != null) {
                    if (!(kv.value() instanceof RdbValue.ListValue l)) {
                        throw new IllegalStateException(WRONGTYPE);
                    }
                    elems.addAll(l.elements());
                }
                for (int i = 2; i < args.size(); i++) {
                    if (name.equals("LPUSH")) {
                        elems.add(0, args.get(i));
                    } else {
                        elems.add(args.get(i));
                    }
                }
                putValue(db, k, kv, RdbValue.list(elems), true);
                return single(db, k, verbatim(args), Resp.integer(elems.size()));
            }
            case "SADD":
            case "SREM":
                return setOp(db, args, name.equals("SADD"));
            case "HSET":
            case "HDEL":
                return hashOp(db, args, name.equals("HSET"));
            case "ZADD":
                return zadd(db, args);
            default: {
                List<byte[]> jargs = verbatim(args);
                if (args.size() < 2) {
                    return new Plan(List.of(new Part(0, JournalOp.COMMAND, jargs, Set.of(), false)), false, false,
                            Resp.OK);
                }
                ByteKey k = new ByteKey(args.get(1));
                return single(db, k, jargs, Resp.OK);
            }
        }
    }

    /** Removes an expired key: EXPIRED (v1.30) or COMMAND (v1.40) {@code DEL key}, txid 0. */
    Plan expireNow(int db, byte[] key) {
        ByteKey k = new ByteKey(key);
        if (ds.remove(db, k) == null) {
            return Plan.none(Resp.integer(0));
        }
        JournalOp op = profile == ReleaseProfile.V1_30 ? JournalOp.EXPIRED : JournalOp.COMMAND;
        return new Plan(List.of(new Part(sharding.shardOf(key), op, List.of(b("DEL"), key), Set.of(k), false)),
                false, false, Resp.integer(1));
    }

    private Plan set(int db, List<byte[]> args, long nowMs) {
        need(args, 3);
        ByteKey k = new ByteKey(args.get(1));
        long expireAt = -1;
        boolean keepTtl = false;
        boolean nx = false;
        boolean xx = false;
        boolean get = false;
        for (int i = 3; i < args.size(); i++) {
            String o = upper(args.get(i));
            switch (o) {
                case "EX":
                case "PX":
                case "EXAT":
                case "PXAT": {
                    if (i + 1 >= args.size() || expireAt >= 0 || keepTtl) {
                        throw new IllegalArgumentException(Resp.SYNTAX);
                    }
                    long t = number(args.get(++i));
                    expireAt = switch (o) {
                        case "EX" -> nowMs + t * 1000;
                        case "PX" -> nowMs + t;
                        case "EXAT" -> t * 1000;
                        default -> t;
                    };
                    break;
                }
                case "NX":
                    nx = true;
                    break;
                case "XX":
                    xx = true;
                    break;
                case "KEEPTTL":
                    keepTtl = true;
                    break;
                case "GET":
                    get = true;
                    break;
                default:
                    throw new IllegalArgumentException(Resp.SYNTAX);
            }
        }
        RdbKeyValue old = ds.get(db, k);
        byte[] oldValue = old != null && old.value() instanceof RdbValue.StringValue s ? s.bytes() : null;
        byte[] reply = get ? Resp.bulk(oldValue) : Resp.OK;
        if ((nx && old != null) || (xx && old == null)) {
            return Plan.none(get ? reply : Resp.bulk((byte[]) null));
        }
        if (expireAt >= 0 && expireAt <= nowMs) {
            if (old == null) {
                return Plan.none(reply);
            }
            ds.remove(db, k);
            return single(db, k, List.of(b("DEL"), args.get(1)), reply);
        }
        long exp = keepTtl && old != null ? old.expireAtMs() : expireAt;
        ds.put(db, RdbKeyValue.of(args.get(1), RdbValue.string(args.get(2))).withExpireAtMs(exp));
        List<byte[]> j = new ArrayList<>(List.of(b("SET"), args.get(1), args.get(2)));
        if (expireAt >= 0) {
            j.add(b("PXAT"));
            j.add(b(Long.toString(expireAt)));
        } else if (keepTtl) {
            j.add(b("KEEPTTL"));
        }
        return single(db, k, j, reply);
    }

    private Plan mset(int db, List<byte[]> args, boolean nx) {
        if (args.size() < 3 || args.size() % 2 == 0) {
            throw new IllegalArgumentException("ERR wrong number of arguments for '" + upper(args.get(0)).toLowerCase(
                    Locale.ROOT) + "' command");
        }
        if (nx) {
            for (int i = 1; i < args.size(); i += 2) {
                if (ds.get(db, new ByteKey(args.get(i))) != null) {
                    return Plan.none(Resp.integer(0));
                }
            }
        }
        Map<Integer, List<byte[]>> perShard = new LinkedHashMap<>();
        Map<Integer, Set<ByteKey>> keys = new LinkedHashMap<>();
        for (int i = 1; i < args.size(); i += 2) {
            ds.put(db, RdbKeyValue.of(args.get(i), RdbValue.string(args.get(i + 1))));
            int s = sharding.shardOf(args.get(i));
            perShard.computeIfAbsent(s, x -> new ArrayList<>(List.of(b("MSET")))).addAll(
                    List.of(args.get(i), args.get(i + 1)));
            keys.computeIfAbsent(s, x -> new LinkedHashSet<>()).add(new ByteKey(args.get(i)));
        }
        return multi(perShard, keys, nx ? Resp.integer(1) : Resp.OK);
    }

    private Plan del(int db, List<byte[]> args, String name) {
        if (args.size() < 2) {
            throw new IllegalArgumentException("ERR wrong number of arguments for '" + name.toLowerCase(Locale.ROOT)
                    + "' command");
        }
        String jname = profile == ReleaseProfile.V1_30 ? name : "DEL";
        Map<Integer, List<byte[]>> perShard = new LinkedHashMap<>();
        Map<Integer, Set<ByteKey>> keys = new LinkedHashMap<>();
        int n = 0;
        for (int i = 1; i < args.size(); i++) {
            ByteKey k = new ByteKey(args.get(i));
            if (ds.remove(db, k) == null) {
                continue;
            }
            n++;
            int s = sharding.shardOf(args.get(i));
            perShard.computeIfAbsent(s, x -> new ArrayList<>(List.of(b(jname)))).add(args.get(i));
            keys.computeIfAbsent(s, x -> new LinkedHashSet<>()).add(k);
        }
        if (args.size() == 2) {
            if (n == 0) {
                return Plan.none(Resp.integer(0));
            }
            ByteKey k = new ByteKey(args.get(1));
            return single(db, k, List.of(b(jname), args.get(1)), Resp.integer(1));
        }
        return multi(perShard, keys, Resp.integer(n));
    }

    private Plan expire(int db, List<byte[]> args, String name, long nowMs) {
        need(args, 3);
        ByteKey k = new ByteKey(args.get(1));
        RdbKeyValue kv = ds.get(db, k);
        if (kv == null) {
            return Plan.none(Resp.integer(0));
        }
        long t = number(args.get(2));
        long abs = switch (name) {
            case "EXPIRE" -> nowMs + t * 1000;
            case "PEXPIRE" -> nowMs + t;
            case "EXPIREAT" -> t * 1000;
            default -> t;
        };
        if (abs <= nowMs) {
            ds.remove(db, k);
            return single(db, k, List.of(b("DEL"), args.get(1)), Resp.integer(1));
        }
        ds.put(db, kv.withExpireAtMs(abs));
        return single(db, k, List.of(b("PEXPIREAT"), args.get(1), b(Long.toString(abs))), Resp.integer(1));
    }

    private Plan setOp(int db, List<byte[]> args, boolean add) {
        need(args, 3);
        ByteKey k = new ByteKey(args.get(1));
        RdbKeyValue kv = ds.get(db, k);
        List<byte[]> members = new ArrayList<>();
        List<Long> exp = new ArrayList<>();
        if (kv != null) {
            if (!(kv.value() instanceof RdbValue.SetValue s)) {
                throw new IllegalStateException(WRONGTYPE);
            }
            members.addAll(s.members());
            for (int i = 0; i < members.size(); i++) {
                exp.add(s.expireAtSeconds() == null ? -1L : s.expireAtSeconds()[i]);
            }
        }
        int changed = 0;
        for (int i = 2; i < args.size(); i++) {
            int idx = indexOf(members, args.get(i));
            if (add && idx < 0) {
                members.add(args.get(i));
                exp.add(-1L);
                changed++;
            } else if (!add && idx >= 0) {
                members.remove(idx);
                exp.remove(idx);
                changed++;
            }
        }
        if (members.isEmpty()) {
            ds.remove(db, k);
        } else {
            long[] e = exp.stream().mapToLong(Long::longValue).toArray();
            boolean anyExp = exp.stream().anyMatch(x -> x >= 0);
            putValue(db, k, kv, new RdbValue.SetValue(members, anyExp ? e : null), true);
        }
        if (!add && kv == null) {
            return Plan.none(Resp.integer(0));
        }
        return single(db, k, verbatim(args), Resp.integer(changed));
    }

    private Plan hashOp(int db, List<byte[]> args, boolean set) {
        need(args, set ? 4 : 3);
        if (set && args.size() % 2 != 0) {
            throw new IllegalArgumentException("ERR wrong number of arguments for 'hset' command");
        }
        ByteKey k = new ByteKey(args.get(1));
        RdbKeyValue kv = ds.get(db, k);
        List<byte[]> fields = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        List<Long> exp = new ArrayList<>();
        if (kv != null) {
            if (!(kv.value() instanceof RdbValue.HashValue h)) {
                throw new IllegalStateException(WRONGTYPE);
            }
            fields.addAll(h.fields());
            values.addAll(h.values());
            for (int i = 0; i < fields.size(); i++) {
                exp.add(h.expireAtMillis() == null ? -1L : h.expireAtMillis()[i]);
            }
        }
        int changed = 0;
        for (int i = 2; i < args.size(); i += set ? 2 : 1) {
            int idx = indexOf(fields, args.get(i));
            if (set) {
                if (idx < 0) {
                    fields.add(args.get(i));
                    values.add(args.get(i + 1));
                    exp.add(-1L);
                    changed++;
                } else {
                    values.set(idx, args.get(i + 1));
                    exp.set(idx, -1L);
                }
            } else if (idx >= 0) {
                fields.remove(idx);
                values.remove(idx);
                exp.remove(idx);
                changed++;
            }
        }
        if (fields.isEmpty()) {
            ds.remove(db, k);
        } else {
            boolean anyExp = exp.stream().anyMatch(x -> x >= 0);
            putValue(db, k, kv, new RdbValue.HashValue(fields, values,
                    anyExp ? exp.stream().mapToLong(Long::longValue).toArray() : null), true);
        }
        if (!set && kv == null) {
            return Plan.none(Resp.integer(0));
        }
        return single(db, k, verbatim(args), Resp.integer(changed));
    }

    private Plan zadd(int db, List<byte[]> args) {
        if (args.size() < 4 || args.size() % 2 != 0) {
            throw new IllegalArgumentException(Resp.SYNTAX);
        }
        ByteKey k = new ByteKey(args.get(1));
        RdbKeyValue kv = ds.get(db, k);
        List<byte[]> members = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        if (kv != null) {
            if (!(kv.value() instanceof RdbValue.ZSetValue z)) {
                throw new IllegalStateException(WRONGTYPE);
            }
            members.addAll(z.members());
            for (double d : z.scores()) {
                scores.add(d);
            }
        }
        int added = 0;
        for (int i = 2; i < args.size(); i += 2) {
            double score;
            String st = new String(args.get(i), StandardCharsets.US_ASCII);
            try {
                score = switch (st.toLowerCase(Locale.ROOT)) {
                    case "inf", "+inf" -> Double.POSITIVE_INFINITY;
                    case "-inf" -> Double.NEGATIVE_INFINITY;
                    default -> Double.parseDouble(st);
                };
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ERR value is not a valid float");
            }
            int idx = indexOf(members, args.get(i + 1));
            if (idx < 0) {
                members.add(args.get(i + 1));
                scores.add(score);
                added++;
            } else {
                scores.set(idx, score);
            }
        }
        Integer[] order = new Integer[members.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, c) -> {
            int r = Double.compare(scores.get(a), scores.get(c));
            return r != 0 ? r : Arrays.compareUnsigned(members.get(a), members.get(c));
        });
        List<byte[]> sm = new ArrayList<>();
        double[] ss = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            sm.add(members.get(order[i]));
            ss[i] = scores.get(order[i]);
        }
        putValue(db, k, kv, RdbValue.zset(sm, ss), true);
        return single(db, k, verbatim(args), Resp.integer(added));
    }

    // ------------------------------------------------------------------ helpers

    private void putValue(int db, ByteKey k, RdbKeyValue old, RdbValue v, boolean keepMeta) {
        RdbKeyValue kv = RdbKeyValue.of(k.bytes(), v);
        if (old != null && keepMeta) {
            kv = kv.withExpireAtMs(old.expireAtMs()).withDfMask(old.dfMask(), old.mcFlags());
        } else if (old != null) {
            kv = kv.withExpireAtMs(old.expireAtMs());
        }
        ds.put(db, kv);
    }

    private Plan single(int db, ByteKey k, List<byte[]> jargs, byte[] reply) {
        return new Plan(List.of(new Part(sharding.shardOf(k.bytes()), JournalOp.COMMAND, jargs, Set.of(k), false)),
                false, false, reply);
    }

    private Plan multi(Map<Integer, List<byte[]>> perShard, Map<Integer, Set<ByteKey>> keys, byte[] reply) {
        List<Part> parts = new ArrayList<>();
        for (Map.Entry<Integer, List<byte[]>> e : perShard.entrySet()) {
            parts.add(new Part(e.getKey(), JournalOp.COMMAND, e.getValue(), keys.get(e.getKey()), false));
        }
        return new Plan(parts, true, false, reply);
    }

    private static List<byte[]> verbatim(List<byte[]> args) {
        List<byte[]> j = new ArrayList<>(args);
        j.set(0, b(upper(args.get(0))));
        return j;
    }

    private static byte[] string(RdbKeyValue kv) {
        if (!(kv.value() instanceof RdbValue.StringValue s)) {
            throw new IllegalStateException(WRONGTYPE);
        }
        return s.bytes();
    }

    private static int indexOf(List<byte[]> list, byte[] x) {
        for (int i = 0; i < list.size(); i++) {
            if (Arrays.equals(list.get(i), x)) {
                return i;
            }
        }
        return -1;
    }

    private static void need(List<byte[]> args, int n) {
        if (args.size() < n) {
            throw new IllegalArgumentException("ERR wrong number of arguments for '"
                    + upper(args.get(0)).toLowerCase(Locale.ROOT) + "' command");
        }
    }

    /** A signed 64-bit decimal as Redis accepts it (no '+', no leading zeros: "01" is not an integer). */
    static long number(byte[] b) {
        return Reads.integer(b);
    }

    static String upper(byte[] b) {
        return new String(b, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
