package io.df2redis.testkit;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded master's read commands against a real redis-server: random writes go to both
 * (through their sockets), then random reads — valid, out of range, of missing keys, of keys of
 * another type, with malformed arguments — must get the same replies, byte for byte, after
 * normalising only what legitimately differs: element order where Redis leaves it unspecified
 * (SMEMBERS, HGETALL, KEYS, the SCAN family iterated to the end), score formatting (Redis 7.0
 * prints {@code %.17g}, Dragonfly the shortest form: compared as numbers) and remaining TTLs
 * (compared as "positive").
 */
class ReadCommandsDifferentialTest extends AgainstRedis {
    private static final Set<String> SCORE_EVERY_SECOND = Set.of("ZRANGE");

    @Property(tries = 200)
    void readsAnswerLikeRedis(@ForAll("writes") List<List<String>> writes, @ForAll("reads") List<List<String>> reads) {
        r.call("FLUSHALL");
        m.call("FLUSHALL");
        for (List<String> w : writes) {
            Object expected = r.cmd(w);
            Object actual = m.cmd(w);
            assertThat(actual).as("write %s", w).isEqualTo(expected);
        }
        for (List<String> q : reads) {
            assertThat(read(m, q)).as("%s after %s", q, writes).isEqualTo(read(r, q));
        }
    }

    /** A reply normalised where Redis leaves the form open (see the class comment). */
    private static Object read(Wire w, List<String> q) {
        String name = q.get(0).toUpperCase(Locale.ROOT);
        if (name.endsWith("SCAN")) {
            return scanAll(w, q);
        }
        Object reply = w.cmd(q);
        switch (name) {
            case "SMEMBERS", "KEYS", "HKEYS", "HVALS":
                return reply instanceof List<?> l ? new ArrayList<>(new TreeSet<>(strings(l))) + "/" + l.size() : reply;
            case "HGETALL":
                return reply instanceof List<?> l ? pairs(l, false) : reply;
            case "ZSCORE":
                return reply instanceof String s ? score(s) : reply;
            case "TTL", "PTTL", "EXPIRETIME":
                return reply instanceof Long n && n > 0 ? "positive" : reply;
            default:
                if (SCORE_EVERY_SECOND.contains(name) && reply instanceof List<?> l
                        && q.stream().anyMatch(a -> a.equalsIgnoreCase("WITHSCORES"))) {
                    List<Object> out = new ArrayList<>(l);
                    for (int i = 1; i < out.size(); i += 2) {
                        out.set(i, score((String) out.get(i)));
                    }
                    return out;
                }
                return reply;
        }
    }

    /** Iterates a SCAN-family command to cursor 0: the sorted elements (pairs for HSCAN/ZSCAN), or the first error. */
    private static Object scanAll(Wire w, List<String> q) {
        String name = q.get(0).toUpperCase(Locale.ROOT);
        int at = name.equals("SCAN") ? 1 : 2;
        List<String> cmd = new ArrayList<>(q);
        List<Object> items = new ArrayList<>();
        String cursor = cmd.get(at);
        int rounds = 0;
        do {
            cmd.set(at, cursor);
            Object reply = w.cmd(cmd);
            if (!(reply instanceof List<?> page)) {
                return reply;
            }
            cursor = (String) page.get(0);
            items.addAll((List<?>) page.get(1));
            assertThat(++rounds).as("rounds of %s", q).isLessThan(10_000);
        } while (!cursor.equals("0"));
        if (name.equals("HSCAN") || name.equals("ZSCAN")) {
            return pairs(items, name.equals("ZSCAN"));
        }
        return new ArrayList<>(new TreeSet<>(strings(items))) + "/" + items.size();
    }

    private static List<String> strings(List<?> l) {
        List<String> s = new ArrayList<>();
        for (Object o : l) {
            s.add(String.valueOf(o));
        }
        return s;
    }

    private static String pairs(List<?> l, boolean scores) {
        List<String> p = new ArrayList<>();
        for (int i = 0; i + 1 < l.size(); i += 2) {
            p.add(l.get(i) + "=" + (scores ? score((String) l.get(i + 1)) : l.get(i + 1)));
        }
        p.sort(null);
        return p + "/" + l.size();
    }

    private static String score(String s) {
        double d = switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
        return "score " + (d == 0 ? 0.0 : d);
    }

    // ------------------------------------------------------------------ generators

    private static final List<String> KEYS = List.of("k0", "k1", "k2", "k3", "k4");
    private static final List<String> VALUES = List.of("a", "b", "c", "1", "10", "-3", "0", "hello world", "",
            "x".repeat(80), "é");

    private static Arbitrary<String> key() {
        return Arbitraries.of(KEYS);
    }

    private static Arbitrary<String> keyOrMissing() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, key()),
                net.jqwik.api.Tuple.of(1, Arbitraries.just("missing")));
    }

    private static Arbitrary<String> value() {
        return Arbitraries.of(VALUES);
    }

    /** Sorted-set members: short, so that Redis keeps its listpack encoding (see ZRange's lexical ranges). */
    private static Arbitrary<String> member() {
        return Arbitraries.of(VALUES.stream().filter(v -> v.length() < 64).toList());
    }

    private static Arbitrary<String> score() {
        return Arbitraries.of("0", "1", "-1", "1.5", "2.5", "3e10", "-inf", "+inf", "0.1", "-0", "7");
    }

    private static Arbitrary<String> index() {
        return Arbitraries.oneOf(Arbitraries.integers().between(-12, 12).map(String::valueOf),
                Arbitraries.of("100", "-100", "x", "1.5", "", "9223372036854775807", "-9223372036854775808",
                        "99999999999999999999", "+1", "01"));
    }

    @Provide
    Arbitrary<List<List<String>>> writes() {
        Arbitrary<List<String>> w = Arbitraries.oneOf(
                Combinators.combine(key(), value()).as((k, v) -> List.of("SET", k, v)),
                Combinators.combine(key(), value()).as((k, v) -> List.of("SET", k, v, "EX", "1000")),
                Combinators.combine(key(), value()).as((k, v) -> List.of("APPEND", k, v)),
                key().map(k -> List.of("INCR", k)),
                Combinators.combine(key(), value().list().ofMinSize(1).ofMaxSize(8)).as((k, v) -> cat("RPUSH", k, v)),
                Combinators.combine(key(), value().list().ofMinSize(1).ofMaxSize(3)).as((k, v) -> cat("LPUSH", k, v)),
                Combinators.combine(key(), value().list().ofMinSize(1).ofMaxSize(8)).as((k, v) -> cat("SADD", k, v)),
                Combinators.combine(key(), value()).as((k, v) -> List.of("SREM", k, v)),
                Combinators.combine(key(), value(), value(), value()).as((k, f, v, g) -> List.of("HSET", k, f, v, g, v)),
                Combinators.combine(key(), value()).as((k, f) -> List.of("HDEL", k, f)),
                Combinators.combine(key(), score(), member(), score(), member()).as((k, s, v, t, u) ->
                        List.of("ZADD", k, s, v, t, u)),
                key().map(k -> List.of("DEL", k)),
                key().map(k -> List.of("EXPIRE", k, "1000")),
                key().map(k -> List.of("PERSIST", k)));
        return w.list().ofMinSize(0).ofMaxSize(25);
    }

    private static List<String> cat(String name, String key, List<String> rest) {
        List<String> l = new ArrayList<>(List.of(name, key));
        l.addAll(rest);
        return l;
    }

    @Provide
    Arbitrary<List<List<String>>> reads() {
        Arbitrary<String> k = keyOrMissing();
        Arbitrary<String> i = index();
        Arbitrary<String> f = value();
        Arbitrary<List<String>> simple = Combinators.combine(
                Arbitraries.of("GET", "TYPE", "STRLEN", "LLEN", "HLEN", "HGETALL", "HKEYS", "HVALS", "SCARD", "SMEMBERS",
                        "ZCARD", "TTL", "PTTL", "XLEN", "EXPIRETIME"), k).as((c, key) -> List.of(c, key));
        Arbitrary<List<String>> ranged = Combinators.combine(Arbitraries.of("GETRANGE", "LRANGE"), k, i, i)
                .as((c, key, s, e) -> List.of(c, key, s, e));
        Arbitrary<List<String>> member = Combinators.combine(
                Arbitraries.of("HGET", "HEXISTS", "SISMEMBER", "ZSCORE"), k, f).as((c, key, x) -> List.of(c, key, x));
        Arbitrary<List<String>> multi = Combinators.combine(Arbitraries.of("HMGET", "SMISMEMBER"), k,
                f.list().ofMinSize(1).ofMaxSize(4)).as((c, key, xs) -> cat(c, key, xs));
        Arbitrary<List<String>> exists = keyOrMissing().list().ofMinSize(1).ofMaxSize(4).map(ks -> cat("EXISTS",
                ks.get(0), ks.subList(1, ks.size())));
        Arbitrary<List<String>> lindex = Combinators.combine(k, i).as((key, x) -> List.of("LINDEX", key, x));
        Arbitrary<List<String>> zrank = Combinators.combine(k, i, i, Arbitraries.<List<String>>of(List.of(), List.of("WITHSCORES"),
                List.of("REV"), List.of("REV", "WITHSCORES"), List.of("LIMIT", "0", "1"), List.of("BOGUS")))
                .as((key, s, e, opts) -> cat("ZRANGE", key, cat(s, e, opts)));
        Arbitrary<String> sb = Arbitraries.of("-inf", "+inf", "(1", "1", "2.5", "(2.5", "0", "abc", "(-inf", "3e10");
        Arbitrary<List<String>> zscore = Combinators.combine(k, sb, sb, Arbitraries.<List<String>>of(List.of(), List.of("WITHSCORES"),
                List.of("REV"), List.of("LIMIT", "1", "2"), List.of("LIMIT", "0", "-1", "WITHSCORES"), List.of("REV",
                        "LIMIT", "1", "1"))).as((key, a, b, opts) -> cat("ZRANGE", key, cat(a, b, cat("BYSCORE", opts))));
        Arbitrary<String> lb = Arbitraries.of("-", "+", "[a", "(b", "[c", "x", "[", "(hello world");
        Arbitrary<List<String>> zlex = Combinators.combine(k, lb, lb, Arbitraries.<List<String>>of(List.of(), List.of("REV"),
                List.of("LIMIT", "0", "2"), List.of("WITHSCORES"))).as((key, a, b, opts) -> cat("ZRANGE", key,
                cat(a, b, cat("BYLEX", opts))));
        Arbitrary<List<String>> keys = Arbitraries.of("*", "k*", "k[0-2]", "k?", "*1", "k[^0]*", "\\k*", "[k]?", "k[2-0]")
                .map(p -> List.of("KEYS", p));
        Arbitrary<List<String>> scan = Combinators.combine(Arbitraries.of("1", "2", "10"),
                Arbitraries.<List<String>>of(List.of(), List.of("MATCH", "k[13]"), List.of("TYPE", "string"), List.of("TYPE", "zset"),
                        List.of("TYPE", "list"), List.of("MATCH", "*", "TYPE", "hash")))
                .as((c, opts) -> cat("SCAN", "0", cat("COUNT", c, opts)));
        Arbitrary<List<String>> elementScan = Combinators.combine(Arbitraries.of("HSCAN", "SSCAN", "ZSCAN"), k,
                Arbitraries.<List<String>>of(List.of(), List.of("COUNT", "1"), List.of("MATCH", "[ab]*"), List.of("COUNT", "0"),
                        List.of("COUNT", "2", "MATCH", "*"), List.of("NOPE")))
                .as((c, key, opts) -> cat(c, key, cat("0", opts)));
        Arbitrary<List<String>> bad = Arbitraries.<List<String>>of(List.of("LLEN"), List.of("GETRANGE", "k0", "1"),
                List.of("LRANGE", "k0", "0"), List.of("TYPE", "k0", "k1"), List.of("SCAN", "x"),
                List.of("SCAN", "0", "COUNT"), List.of("HSCAN", "k0", "1x"), List.of("ZRANGE", "k0", "0", "1", "LIMIT",
                        "0"), List.of("HMGET", "k0"), List.of("EXISTS"));
        Arbitrary<List<String>> q = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, simple), net.jqwik.api.Tuple.of(4, ranged), net.jqwik.api.Tuple.of(4, member),
                net.jqwik.api.Tuple.of(2, multi), net.jqwik.api.Tuple.of(2, exists), net.jqwik.api.Tuple.of(2, lindex),
                net.jqwik.api.Tuple.of(3, zrank), net.jqwik.api.Tuple.of(3, zscore), net.jqwik.api.Tuple.of(2, zlex),
                net.jqwik.api.Tuple.of(1, keys), net.jqwik.api.Tuple.of(2, scan), net.jqwik.api.Tuple.of(3, elementScan),
                net.jqwik.api.Tuple.of(1, bad));
        return q.list().ofMinSize(1).ofMaxSize(30);
    }

    private static List<String> cat(String a, List<String> rest) {
        List<String> l = new ArrayList<>(List.of(a));
        l.addAll(rest);
        return l;
    }
}
