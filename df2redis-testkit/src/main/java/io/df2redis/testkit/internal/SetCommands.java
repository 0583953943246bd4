package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Set commands as Dragonfly executes and journals them ({@code set_family.cc}): {@code SPOP}
 * becomes {@code SREM key <popped…>} (or {@code DEL key} when it emptied the set),
 * {@code SMOVE} becomes {@code SREM src m} + {@code SADD dst m}, the {@code *STORE} commands
 * become {@code DEL dst} + {@code SADD dst <members…>} (only {@code DEL dst}, when dst existed,
 * for an empty result); {@code SADD}, {@code SREM} and {@code SADDEX} (member TTLs, journaled
 * with the relative TTL) are journaled as received when they succeed.
 */
final class SetCommands {
    private static final Random RANDOM = new SecureRandom();
    /** Member expiry times are whole seconds; v1.30.3 refuses TTLs above 2^26 s. */
    private static final long V130_MAX_MEMBER_TTL = 1L << 26;

    private SetCommands() {
    }

    static void register(Commands.Table t) {
        t.add("SADD", -3, x -> add(x, -1, 2, false));
        t.add("SADDEX", -4, SetCommands::saddex);
        t.add("SREM", -3, x -> x.removeMembers(SetCommands::members, SetCommands::save));
        t.add("SPOP", -2, SetCommands::spop);
        t.add("SMOVE", 4, SetCommands::smove);
        t.add("SINTERSTORE", -3, x -> store(x, "INTER"));
        t.add("SUNIONSTORE", -3, x -> store(x, "UNION"));
        t.add("SDIFFSTORE", -3, x -> store(x, "DIFF"));
    }

    /** A set's members with their expiry (absolute seconds, -1 = none), in insertion order. */
    static Map<ByteKey, Long> members(Exec x, byte[] key) {
        RdbValue.SetValue s = x.get(key, RdbValue.SetValue.class);
        if (s == null) {
            return null;
        }
        Map<ByteKey, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < s.members().size(); i++) {
            long at = s.expireAtSeconds() == null ? -1 : s.expireAtSeconds()[i];
            if (at < 0 || at * 1000 > x.now) {
                m.put(new ByteKey(s.members().get(i)), at);
            }
        }
        return m;
    }

    /** Stores {@code m} as the set of {@code key} (deleting the key when empty), keeping {@code old}'s TTL. */
    static void save(Exec x, byte[] key, RdbKeyValue old, Map<ByteKey, Long> m) {
        if (m.isEmpty()) {
            x.delete(key);
            return;
        }
        List<byte[]> names = new ArrayList<>(m.size());
        long[] exp = new long[m.size()];
        boolean any = false;
        int i = 0;
        for (Map.Entry<ByteKey, Long> e : m.entrySet()) {
            names.add(e.getKey().bytes());
            exp[i++] = e.getValue();
            any |= e.getValue() >= 0;
        }
        x.update(key, old, new RdbValue.SetValue(names, any ? exp : null));
    }

    private static byte[] add(Exec x, long ttlSeconds, int from, boolean keepTtl) {
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        Map<ByteKey, Long> m = members(x, key);
        if (m == null) {
            m = new LinkedHashMap<>();
        }
        long at = ttlSeconds < 0 ? -1 : x.now / 1000 + ttlSeconds;
        int added = 0;
        for (int i = from; i < x.argc(); i++) {
            ByteKey k = new ByteKey(x.arg(i));
            Long prev = m.get(k);
            if (prev == null) {
                m.put(k, at);
                added++;
            } else if (ttlSeconds >= 0 && !keepTtl) {
                m.put(k, at);
            }
        }
        save(x, key, old, m);
        x.auto();
        return Resp.integer(added);
    }

    private static byte[] saddex(Exec x) {
        int at = 2;
        boolean keepTtl = false;
        if (x.word(2).equals("KEEPTTL")) {
            keepTtl = true;
            at = 3;
        }
        if (x.argc() < at + 2) {
            throw Reads.wrongArgs("SADDEX");
        }
        long ttl = x.integer(at);
        if (ttl <= 0 || (x.v130() && ttl > V130_MAX_MEMBER_TTL)) {
            throw new IllegalArgumentException(Resp.NOT_INTEGER);
        }
        return add(x, ttl, at + 1, keepTtl);
    }

    private static byte[] spop(Exec x) {
        long count = x.popCount();
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        Map<ByteKey, Long> m = members(x, key);
        if (m == null || m.isEmpty() || count == 0) {
            return x.argc() == 3 ? new Out().array(0).bytes() : Resp.bulk((byte[]) null);
        }
        List<byte[]> popped = new ArrayList<>();
        if (count >= m.size()) {
            for (ByteKey k : m.keySet()) {
                popped.add(k.bytes());
            }
            x.delete(key);
            x.journal(key, 1, "DEL", key);
        } else {
            List<ByteKey> all = new ArrayList<>(m.keySet());
            for (long i = 0; i < count; i++) {
                ByteKey pick = all.remove(RANDOM.nextInt(all.size()));
                m.remove(pick);
                popped.add(pick.bytes());
            }
            save(x, key, old, m);
            List<byte[]> j = new ArrayList<>();
            j.add(key);
            j.addAll(popped);
            x.journal(key, 1, "SREM", j);
        }
        return x.argc() == 3 ? Reads.bulks(popped) : Resp.bulk(popped.get(0));
    }

    private static byte[] smove(Exec x) {
        byte[] src = x.arg(1);
        byte[] dst = x.arg(2);
        byte[] member = x.arg(3);
        x.span(List.of(src, dst));
        x.multiHop();
        RdbKeyValue srcKv = x.get(src);
        Map<ByteKey, Long> from = members(x, src);
        RdbKeyValue dstKv = x.get(dst);
        Map<ByteKey, Long> to = members(x, dst);
        ByteKey k = new ByteKey(member);
        if (from == null || !from.containsKey(k)) {
            return Resp.integer(0);
        }
        if (Arrays.equals(src, dst)) {
            return Resp.integer(1);
        }
        from.remove(k);
        save(x, src, srcKv, from);
        if (to == null) {
            to = new LinkedHashMap<>();
        }
        to.put(k, -1L);
        save(x, dst, dstKv, to);
        x.journal(src, 1, "SREM", src, member);
        x.journal(dst, 1, "SADD", dst, member);
        return Resp.integer(1);
    }

    private static byte[] store(Exec x, String op) {
        byte[] dst = x.arg(1);
        List<byte[]> keys = x.tail(1);
        x.span(keys);
        x.multiHop();
        Map<ByteKey, Long> result = null;
        for (int i = 2; i < x.argc(); i++) {
            Map<ByteKey, Long> m = members(x, x.arg(i));
            if (m == null) {
                m = new LinkedHashMap<>();
            }
            if (result == null) {
                result = new LinkedHashMap<>();
                for (ByteKey k : m.keySet()) {
                    result.put(k, -1L);
                }
            } else if (op.equals("INTER")) {
                result.keySet().retainAll(m.keySet());
            } else if (op.equals("DIFF")) {
                result.keySet().removeAll(m.keySet());
            } else {
                for (ByteKey k : m.keySet()) {
                    result.putIfAbsent(k, -1L);
                }
            }
        }
        RdbKeyValue old = x.get(dst);
        if (old != null) {
            x.delete(dst);
        }
        if (result.isEmpty()) {
            if (old != null) {
                x.journal(dst, 1, "DEL", dst);
            }
            return Resp.integer(0);
        }
        x.put(RdbKeyValue.of(dst, RdbValue.set(new ArrayList<>(result.keySet().stream().map(ByteKey::bytes).toList()))));
        x.journal(dst, 1, "DEL", dst);
        List<byte[]> j = new ArrayList<>();
        j.add(dst);
        for (ByteKey k : result.keySet()) {
            j.add(k.bytes());
        }
        x.journal(dst, 1, "SADD", j);
        return Resp.integer(result.size());
    }
}
