package io.df2redis.testkit.internal;

import io.df2redis.protocol.resp.Glob;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The read commands of a live master's client connections, answered from the {@link Dataset}
 * the way Dragonfly answers them in RESP2 (which, for these commands, is Redis 7's way): keyspace
 * ({@code SCAN}, {@code KEYS}, {@code TYPE}, {@code EXISTS}, TTLs, {@code DUMP}), strings, lists,
 * hashes, sets, sorted sets (ranks, scores, lexical ranges), streams ({@link StreamReads}),
 * {@code JSON.GET} of the whole document and {@code MODULE LIST}.
 *
 * <p>Expiry is lazy as in Redis and Dragonfly: a key read after its expiry time is deleted then
 * (the deletion is journaled, through the {@link Expirer}) and answered as absent; set members
 * and hash fields past their own expiry are invisible, and a key left with none is absent.
 *
 * <p>Cursors ({@link ScanReads}): {@code SCAN}'s cursor is the key's insertion sequence number ({@link Dataset#scan});
 * {@code HSCAN}/{@code SSCAN}/{@code ZSCAN} walk the elements in the order of a 63-bit hash of
 * each field or member and the cursor is the hash to continue from. Either way an element present
 * for the whole scan is returned exactly once, whatever is written meanwhile. {@code COUNT} is
 * the number of elements looked at per call (default 10).
 *
 * <p>Errors are thrown as {@link IllegalArgumentException} (or {@link IllegalStateException} for
 * {@code WRONGTYPE}) carrying the error text. Not thread-safe: called under the master's lock.
 *
 * <p><b>Why one class:</b> over 400 lines: the command table of the read commands and the helpers the
 * write-command classes share with it ({@link #typed}, {@link #bulks}, {@link #integer}…).
 */
final class Reads {
    /** Deletes an expired key and journals the deletion. */
    interface Expirer {
        void expire(int db, byte[] key);
    }

    /** Arity per command as Redis declares it: n exactly, or -n at least n arguments (with the name). */
    private static final Map<String, Integer> ARITY = new HashMap<>();

    static {
        for (String c : List.of("GET", "TYPE", "PTTL", "TTL", "EXPIRETIME", "PEXPIRETIME", "STRLEN", "LLEN", "HLEN",
                "HGETALL", "HKEYS", "HVALS", "SCARD", "SMEMBERS", "ZCARD", "KEYS", "XLEN", "DUMP")) {
            ARITY.put(c, 2);
        }
        for (String c : List.of("LINDEX", "HGET", "HEXISTS", "SISMEMBER", "ZSCORE")) {
            ARITY.put(c, 3);
        }
        ARITY.put("GETRANGE", 4);
        ARITY.put("SUBSTR", 4);
        ARITY.put("LRANGE", 4);
        for (String c : List.of("EXISTS", "SCAN", "JSON.GET", "MODULE", "XINFO")) {
            ARITY.put(c, -2);
        }
        for (String c : List.of("HMGET", "SMISMEMBER", "HSCAN", "SSCAN", "ZSCAN", "XPENDING")) {
            ARITY.put(c, -3);
        }
        for (String c : List.of("ZRANGE", "XRANGE", "XREVRANGE")) {
            ARITY.put(c, -4);
        }
    }

    /** The commands this class answers. */
    static final Set<String> NAMES = Set.copyOf(ARITY.keySet());

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Dataset ds;
    private final Expirer expirer;
    private final Dumps dumps;
    private int db;
    private final ScanReads scans = new ScanReads(this);
    private long now;

    Reads(Dataset ds, Expirer expirer, Dumps dumps) {
        this.ds = ds;
        this.expirer = expirer;
        this.dumps = dumps;
    }

    /** The dataset read from. */
    Dataset dataset() {
        return ds;
    }

    /** The reply to {@code args} (a command of {@link #NAMES}) in {@code db} at {@code nowMs}. */
    byte[] execute(int db, List<byte[]> args, long nowMs) {
        String name = Commands.upper(args.get(0));
        Integer arity = ARITY.get(name);
        if (arity == null) {
            throw new IllegalArgumentException("ERR unknown command `" + name + "`");
        }
        if (arity > 0 ? args.size() != arity : args.size() < -arity) {
            throw wrongArgs(name);
        }
        this.db = db;
        this.now = nowMs;
        switch (name) {
            case "GET": {
                RdbValue.StringValue s = typed(live(args.get(1)), RdbValue.StringValue.class);
                return new Out().bulk(s == null ? null : s.bytes()).bytes();
            }
            case "TYPE": {
                RdbKeyValue kv = live(args.get(1));
                return new Out().simple(kv == null ? "none" : kv.type().logicalType().typeReply()).bytes();
            }
            case "PTTL":
            case "TTL":
            case "EXPIRETIME":
            case "PEXPIRETIME":
                return new Out().integer(ttl(name, live(args.get(1)))).bytes();
            case "EXISTS": {
                long n = 0;
                for (int i = 1; i < args.size(); i++) {
                    n += live(args.get(i)) == null ? 0 : 1;
                }
                return new Out().integer(n).bytes();
            }
            case "STRLEN": {
                RdbValue.StringValue s = typed(live(args.get(1)), RdbValue.StringValue.class);
                return new Out().integer(s == null ? 0 : s.bytes().length).bytes();
            }
            case "GETRANGE":
            case "SUBSTR":
                return getrange(args);
            case "LLEN": {
                RdbValue.ListValue l = typed(live(args.get(1)), RdbValue.ListValue.class);
                return new Out().integer(l == null ? 0 : l.elements().size()).bytes();
            }
            case "LRANGE":
                return lrange(args);
            case "LINDEX": {
                RdbValue.ListValue l = typed(live(args.get(1)), RdbValue.ListValue.class);
                if (l == null) {
                    return new Out().nil().bytes();
                }
                long index = integer(args.get(2));
                int n = l.elements().size();
                long i = index < 0 ? n + index : index;
                return new Out().bulk(i < 0 || i >= n ? null : l.elements().get((int) i)).bytes();
            }
            case "HLEN": {
                Fields h = hash(args.get(1));
                return new Out().integer(h == null ? 0 : h.size()).bytes();
            }
            case "HGET": {
                Fields h = hash(args.get(1));
                return new Out().bulk(h == null ? null : h.get(args.get(2))).bytes();
            }
            case "HEXISTS": {
                Fields h = hash(args.get(1));
                return new Out().integer(h != null && h.get(args.get(2)) != null ? 1 : 0).bytes();
            }
            case "HMGET": {
                Fields h = hash(args.get(1));
                Out o = new Out().array(args.size() - 2);
                for (int i = 2; i < args.size(); i++) {
                    o.bulk(h == null ? null : h.get(args.get(i)));
                }
                return o.bytes();
            }
            case "HGETALL":
            case "HKEYS":
            case "HVALS": {
                Fields h = hash(args.get(1));
                if (h == null) {
                    return new Out().array(0).bytes();
                }
                boolean both = name.equals("HGETALL");
                Out o = new Out().array(both ? 2 * h.size() : h.size());
                for (int i = 0; i < h.size(); i++) {
                    if (both || name.equals("HKEYS")) {
                        o.bulk(h.names.get(i));
                    }
                    if (both || name.equals("HVALS")) {
                        o.bulk(h.values.get(i));
                    }
                }
                return o.bytes();
            }
            case "SCARD": {
                List<byte[]> s = set(args.get(1));
                return new Out().integer(s == null ? 0 : s.size()).bytes();
            }
            case "SMEMBERS": {
                List<byte[]> s = set(args.get(1));
                return bulks(s == null ? List.of() : s);
            }
            case "SISMEMBER": {
                List<byte[]> s = set(args.get(1));
                return new Out().integer(s != null && indexOf(s, args.get(2)) >= 0 ? 1 : 0).bytes();
            }
            case "SMISMEMBER": {
                List<byte[]> s = set(args.get(1));
                Out o = new Out().array(args.size() - 2);
                for (int i = 2; i < args.size(); i++) {
                    o.integer(s != null && indexOf(s, args.get(i)) >= 0 ? 1 : 0);
                }
                return o.bytes();
            }
            case "ZCARD": {
                RdbValue.ZSetValue z = typed(live(args.get(1)), RdbValue.ZSetValue.class);
                return new Out().integer(z == null ? 0 : z.members().size()).bytes();
            }
            case "ZSCORE": {
                RdbValue.ZSetValue z = typed(live(args.get(1)), RdbValue.ZSetValue.class);
                int i = z == null ? -1 : indexOf(z.members(), args.get(2));
                return i < 0 ? new Out().nil().bytes() : new Out().score(z.scores()[i]).bytes();
            }
            case "ZRANGE":
                return ZRange.execute(args, () -> typedZset(args));
            case "SCAN":
                return scans.scan(db, args);
            case "KEYS": {
                List<byte[]> keys = new ArrayList<>();
                for (ByteKey k : ds.scan(db, 0, Integer.MAX_VALUE).keys()) {
                    if (Glob.matches(args.get(1), k.bytes()) && live(k.bytes()) != null) {
                        keys.add(k.bytes());
                    }
                }
                return bulks(keys);
            }
            case "HSCAN":
            case "SSCAN":
            case "ZSCAN":
                return scans.elementScan(name, args);
            case "DUMP":
                return new Out().bulk(dumps.dump(live(args.get(1)))).bytes();
            case "JSON.GET":
                return jsonGet(args);
            case "MODULE":
                return module(args);
            default:
                return new StreamReads(now, k -> typed(live(k), RdbValue.StreamValue.class)).execute(name, args);
        }
    }

    // ------------------------------------------------------------------ keyspace

    /** The entry of {@code key}, or null when absent or expired (an expired key is deleted now). */
    RdbKeyValue live(byte[] key) {
        RdbKeyValue kv = ds.get(db, new ByteKey(key));
        if (kv == null) {
            return null;
        }
        if (kv.expireAtMs() >= 0 && kv.expireAtMs() <= now) {
            expirer.expire(db, key);
            return null;
        }
        if (kv.value() instanceof RdbValue.SetValue s && s.hasExpiry() && members(s).isEmpty()) {
            return null;
        }
        if (kv.value() instanceof RdbValue.HashValue h && h.hasExpiry() && fields(h).size() == 0) {
            return null;
        }
        return kv;
    }

    private long ttl(String name, RdbKeyValue kv) {
        if (kv == null) {
            return -2;
        }
        long at = kv.expireAtMs();
        if (at < 0) {
            return -1;
        }
        return switch (name) {
            case "PTTL" -> at - now;
            case "TTL" -> (at - now + 500) / 1000;
            case "EXPIRETIME" -> (at + 500) / 1000;
            default -> at;
        };
    }

    /**
     * {@code JSON.GET key [path]}: the whole document, compact (numbers as doubles print, e.g. 2.50 as 2.5);
     * with path {@code $} in an array (JSONPath
     * semantics), with {@code .} bare (legacy path). Other paths are refused with an error.
     */
    private byte[] jsonGet(List<byte[]> args) {
        boolean jsonPath = false;
        if (args.size() > 3) {
            throw new IllegalArgumentException("ERR the embedded master's JSON.GET reads one root path only");
        }
        if (args.size() == 3) {
            String p = new String(args.get(2), StandardCharsets.UTF_8);
            if (!p.equals("$") && !p.equals(".")) {
                throw new IllegalArgumentException("ERR the embedded master's JSON.GET reads the root path only ($ or .)");
            }
            jsonPath = p.equals("$");
        }
        RdbValue.JsonValue j = typed(live(args.get(1)), RdbValue.JsonValue.class);
        if (j == null) {
            return new Out().nil().bytes();
        }
        String text;
        try {
            text = JSON.writeValueAsString(JSON.readTree(j.text()));
        } catch (IOException e) {
            throw new IllegalArgumentException("ERR the stored JSON document does not parse: " + e.getMessage());
        }
        return new Out().bulk(jsonPath ? "[" + text + "]" : text).bytes();
    }

    /** {@code MODULE LIST} as Dragonfly answers it: ReJSON and search, both version 20000 (built in). */
    private static byte[] module(List<byte[]> args) {
        if (!Commands.upper(args.get(1)).equals("LIST")) {
            throw new IllegalArgumentException(Resp.SYNTAX);
        }
        Out o = new Out().array(2);
        for (String m : List.of("ReJSON", "search")) {
            o.array(4).simple("name").simple(m).simple("ver").integer(20_000);
        }
        return o.bytes();
    }

    // ------------------------------------------------------------------ strings and lists

    private byte[] getrange(List<byte[]> args) {
        long start = integer(args.get(2));
        long end = integer(args.get(3));
        RdbValue.StringValue s = typed(live(args.get(1)), RdbValue.StringValue.class);
        byte[] v = s == null ? new byte[0] : s.bytes();
        long n = v.length;
        if (start < 0 && end < 0 && start > end) {
            return new Out().bulk(new byte[0]).bytes();
        }
        if (start < 0) {
            start = Math.max(0, n + start);
        }
        if (end < 0) {
            end = Math.max(0, n + end);
        }
        if (end >= n) {
            end = n - 1;
        }
        if (start > end || n == 0) {
            return new Out().bulk(new byte[0]).bytes();
        }
        return new Out().bulk(Arrays.copyOfRange(v, (int) start, (int) end + 1)).bytes();
    }

    private byte[] lrange(List<byte[]> args) {
        long start = integer(args.get(2));
        long end = integer(args.get(3));
        RdbValue.ListValue l = typed(live(args.get(1)), RdbValue.ListValue.class);
        List<byte[]> e = l == null ? List.of() : l.elements();
        long[] r = rankRange(start, end, e.size());
        return bulks(r == null ? List.of() : e.subList((int) r[0], (int) r[1] + 1));
    }

    /** Redis's index range over {@code n} elements: {from, to} inclusive, or null when empty. */
    static long[] rankRange(long start, long end, long n) {
        if (start < 0) {
            start = n + start;
        }
        if (end < 0) {
            end = n + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= n) {
            return null;
        }
        if (end >= n) {
            end = n - 1;
        }
        return new long[] {start, end};
    }

    // ------------------------------------------------------------------ hashes, sets, sorted sets

    /** The visible fields of a hash, in stored order. */
    static final class Fields {
        final List<byte[]> names;
        final List<byte[]> values;

        Fields(List<byte[]> names, List<byte[]> values) {
            this.names = names;
            this.values = values;
        }

        int size() {
            return names.size();
        }

        byte[] get(byte[] field) {
            int i = indexOf(names, field);
            return i < 0 ? null : values.get(i);
        }
    }

    private Fields hash(byte[] key) {
        RdbValue.HashValue h = typed(live(key), RdbValue.HashValue.class);
        return h == null ? null : fields(h);
    }

    Fields fields(RdbValue.HashValue h) {
        if (!h.hasExpiry()) {
            return new Fields(h.fields(), h.values());
        }
        List<byte[]> f = new ArrayList<>();
        List<byte[]> v = new ArrayList<>();
        for (int i = 0; i < h.fields().size(); i++) {
            long at = h.expireAtMillis()[i];
            if (at < 0 || at > now) {
                f.add(h.fields().get(i));
                v.add(h.values().get(i));
            }
        }
        return new Fields(f, v);
    }

    private List<byte[]> set(byte[] key) {
        RdbValue.SetValue s = typed(live(key), RdbValue.SetValue.class);
        return s == null ? null : members(s);
    }

    List<byte[]> members(RdbValue.SetValue s) {
        if (!s.hasExpiry()) {
            return s.members();
        }
        List<byte[]> m = new ArrayList<>();
        for (int i = 0; i < s.members().size(); i++) {
            long at = s.expireAtSeconds()[i];
            if (at < 0 || at * 1000 > now) {
                m.add(s.members().get(i));
            }
        }
        return m;
    }

    private RdbValue.ZSetValue typedZset(List<byte[]> args) {
        return typed(live(args.get(1)), RdbValue.ZSetValue.class);
    }

    // ------------------------------------------------------------------ helpers

    /** The value of {@code kv} as {@code type}; null when {@code kv} is; WRONGTYPE when it is another type. */
    static <T extends RdbValue> T typed(RdbKeyValue kv, Class<T> type) {
        if (kv == null) {
            return null;
        }
        if (!type.isInstance(kv.value())) {
            throw new IllegalStateException(Commands.WRONGTYPE);
        }
        return type.cast(kv.value());
    }

    static byte[] bulks(List<byte[]> items) {
        Out o = new Out().array(items.size());
        for (byte[] i : items) {
            o.bulk(i);
        }
        return o.bytes();
    }

    static int indexOf(List<byte[]> list, byte[] x) {
        for (int i = 0; i < list.size(); i++) {
            if (Arrays.equals(list.get(i), x)) {
                return i;
            }
        }
        return -1;
    }

    /** A signed 64-bit decimal argument (Redis's rules: no sign but '-', no spaces, no leading zeros). */
    static long integer(byte[] b) {
        String s = new String(b, StandardCharsets.US_ASCII);
        boolean ok = !s.isEmpty() && s.length() <= 20 && (s.equals("0") || s.matches("-?[1-9][0-9]*"));
        try {
            if (ok) {
                return Long.parseLong(s);
            }
        } catch (NumberFormatException e) {
            // out of range
        }
        throw new IllegalArgumentException(Resp.NOT_INTEGER);
    }

    static IllegalArgumentException wrongArgs(String name) {
        return new IllegalArgumentException("ERR wrong number of arguments for '" + name.toLowerCase(Locale.ROOT)
                + "' command");
    }
}
