package io.df2redis.testkit;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.rdb.ValueBatch;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stream reads against a real redis-server: random streams are built there (XADD, XDEL, groups at
 * random ids, XREADGROUP deliveries to several consumers, XACK), copied into the embedded master
 * from Redis's own {@code XINFO STREAM FULL} (so metadata such as entries-read is Redis's), and
 * then XLEN, XRANGE/XREVRANGE (random bounds, exclusive ids, COUNT), XINFO STREAM (and FULL),
 * XINFO GROUPS (lag included), XINFO CONSUMERS and XPENDING (both forms, consumer filter) must
 * answer alike. Idle times are compared as present; radix-tree sizes, which the master only
 * estimates, and Redis 7.2's consumer {@code inactive}/{@code active-time} fields are left out.
 */
class StreamReadsDifferentialTest extends AgainstRedis {
    /** One step building the stream on Redis. */
    record Op(String kind, int a, int b) {
    }

    @Property(tries = 120)
    void streamReadsAnswerLikeRedis(@ForAll("ops") List<Op> ops, @ForAll("reads") List<List<String>> reads) {
        r.call("FLUSHALL");
        master.clear();
        build(ops);
        if (r.call("EXISTS", "s").equals(0L)) {
            return;
        }
        master.put(0, RdbKeyValue.of("s", copyFromRedis()));
        for (List<String> q : reads) {
            assertThat(normalise(q, m.cmd(q))).as("%s after %s", q, ops).isEqualTo(normalise(q, r.cmd(q)));
        }
    }

    private static void build(List<Op> ops) {
        long ms = 1000;
        int groups = 0;
        for (Op op : ops) {
            switch (op.kind()) {
                case "add" -> {
                    ms += op.a();
                    r.call("XADD", "s", ms + "-" + op.b(), "f", "v" + ms, "n", Integer.toString(op.b()));
                }
                case "del" -> {
                    Object page = r.call("XRANGE", "s", "-", "+");
                    if (page instanceof List<?> l && !l.isEmpty()) {
                        r.call("XDEL", "s", ((List<?>) l.get(op.a() % l.size())).get(0));
                    }
                }
                case "group" -> {
                    Object page = r.call("XRANGE", "s", "-", "+");
                    String at = page instanceof List<?> l && !l.isEmpty() && op.b() % 3 != 0
                            ? (String) ((List<?>) l.get(op.a() % l.size())).get(0) : op.b() % 2 == 0 ? "$" : "0";
                    r.call("XGROUP", "CREATE", "s", "g" + groups++, at, "MKSTREAM");
                }
                case "read" -> {
                    if (groups > 0) {
                        r.call("XREADGROUP", "GROUP", "g" + op.a() % groups, "c" + op.b() % 3, "COUNT",
                                1 + op.a() % 4, "STREAMS", "s", ">");
                    }
                }
                default -> { // ack
                    if (groups > 0) {
                        Object p = r.call("XPENDING", "s", "g" + op.a() % groups, "-", "+", "10");
                        if (p instanceof List<?> l && !l.isEmpty()) {
                            r.call("XACK", "s", "g" + op.a() % groups, ((List<?>) l.get(op.b() % l.size())).get(0));
                        }
                    }
                }
            }
        }
    }

    /** The stream as Redis holds it, from {@code XINFO STREAM FULL COUNT 0}. */
    private static RdbValue.StreamValue copyFromRedis() {
        Map<String, Object> info = fields(r.call("XINFO", "STREAM", "s", "FULL", "COUNT", "0"));
        List<RdbValue.StreamItem> items = new ArrayList<>();
        for (Object e : (List<?>) info.get("entries")) {
            List<?> entry = (List<?>) e;
            List<byte[]> fv = new ArrayList<>();
            for (Object x : (List<?>) entry.get(1)) {
                fv.add(bytes(x));
            }
            items.add(new RdbValue.StreamItem(StreamId.parse((String) entry.get(0)), fv, false));
        }
        List<RdbValue.StreamGroup> groups = new ArrayList<>();
        for (Object g : (List<?>) info.get("groups")) {
            Map<String, Object> gf = fields(g);
            List<ValueBatch.PendingEntry> pel = new ArrayList<>();
            for (Object p : (List<?>) gf.get("pending")) {
                List<?> pe = (List<?>) p;
                pel.add(new ValueBatch.PendingEntry(StreamId.parse((String) pe.get(0)), (Long) pe.get(2),
                        (Long) pe.get(3)));
            }
            List<RdbValue.StreamConsumer> consumers = new ArrayList<>();
            for (Object c : (List<?>) gf.get("consumers")) {
                Map<String, Object> cf = fields(c);
                List<StreamId> ids = new ArrayList<>();
                for (Object p : (List<?>) cf.get("pending")) {
                    ids.add(StreamId.parse((String) ((List<?>) p).get(0)));
                }
                consumers.add(new RdbValue.StreamConsumer(bytes(cf.get("name")), (Long) cf.get("seen-time"), -1, ids));
            }
            Object read = gf.get("entries-read");
            groups.add(new RdbValue.StreamGroup(bytes(gf.get("name")), StreamId.parse((String) gf.get(
                    "last-delivered-id")), read instanceof Long n ? n : -1, pel, consumers));
        }
        return new RdbValue.StreamValue(items, (Long) info.get("length"),
                StreamId.parse((String) info.get("last-generated-id")),
                StreamId.parse((String) info.get("recorded-first-entry-id")),
                StreamId.parse((String) info.get("max-deleted-entry-id")), (Long) info.get("entries-added"), groups);
    }

    private static Map<String, Object> fields(Object flat) {
        List<?> l = (List<?>) flat;
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < l.size(); i += 2) {
            out.put((String) l.get(i), l.get(i + 1));
        }
        return out;
    }

    private static byte[] bytes(Object bulk) {
        return ((String) bulk).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Drops what legitimately differs (see the class comment). */
    private static Object normalise(List<String> q, Object reply) {
        String what = (q.get(0) + " " + q.get(1)).toUpperCase(java.util.Locale.ROOT);
        if (!(reply instanceof List<?> l)) {
            return reply;
        }
        if (what.equals("XINFO STREAM")) {
            Map<String, Object> f = fields(l);
            f.remove("radix-tree-keys");
            f.remove("radix-tree-nodes");
            if (f.get("groups") instanceof List<?> groups) {
                List<Object> gs = new ArrayList<>();
                for (Object g : groups) {
                    Map<String, Object> gf = fields(g);
                    gf.put("pending", idleFree((List<?>) gf.get("pending"), 2));
                    List<Object> cs = new ArrayList<>();
                    for (Object c : (List<?>) gf.get("consumers")) {
                        Map<String, Object> cf = fields(c);
                        cf.remove("active-time");
                        cf.put("pending", idleFree((List<?>) cf.get("pending"), 1));
                        cs.add(cf);
                    }
                    gf.put("consumers", cs);
                    gs.add(gf);
                }
                f.put("groups", gs);
            }
            return f;
        }
        if (what.equals("XINFO CONSUMERS")) {
            List<Object> out = new ArrayList<>();
            for (Object c : l) {
                Map<String, Object> cf = fields(c);
                out.add(List.of(cf.get("name"), cf.get("pending"), cf.get("idle") instanceof Long));
            }
            return out;
        }
        if (what.startsWith("XPENDING") && q.size() > 3) {
            return idleFree(l, 2);
        }
        return reply;
    }

    /** Rows with the element at {@code at} (an idle or delivery time) replaced by whether it is a number. */
    private static List<Object> idleFree(List<?> rows, int at) {
        List<Object> out = new ArrayList<>();
        for (Object row : rows) {
            List<Object> x = new ArrayList<>((List<?>) row);
            x.set(at, x.get(at) instanceof Long);
            out.add(x);
        }
        return out;
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> add = Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0,
                2)).as((a, b) -> new Op("add", a == 0 ? 0 : a, a == 0 ? b + 1 : b));
        Arbitrary<Op> other = Combinators.combine(Arbitraries.of("del", "group", "read", "read", "ack"),
                Arbitraries.integers().between(0, 50), Arbitraries.integers().between(0, 50)).as(Op::new);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, add), net.jqwik.api.Tuple.of(2, other))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<List<String>>> reads() {
        Arbitrary<String> id = Arbitraries.oneOf(Arbitraries.of("-", "+", "(-", "(+", "0", "0-0", "x", "1-",
                "18446744073709551615-18446744073709551615", "(0-0", "(18446744073709551615-18446744073709551615"),
                Combinators.combine(Arbitraries.integers().between(995, 1100), Arbitraries.integers().between(-1, 3),
                        Arbitraries.of("", "(")).as((ms, seq, ex) -> ex + ms + (seq < 0 ? "" : "-" + seq)));
        Arbitrary<List<String>> count = Arbitraries.<List<String>>of(List.of(), List.of("COUNT", "1"),
                List.of("COUNT", "3"), List.of("COUNT", "0"), List.of("COUNT", "-1"), List.of("COUNT", "x"),
                List.of("LIMIT", "1"));
        Arbitrary<List<String>> range = Combinators.combine(Arbitraries.of("XRANGE", "XREVRANGE"), id, id, count)
                .as((c, a, b, n) -> concat(List.of(c, "s", a, b), n));
        Arbitrary<String> group = Arbitraries.of("g0", "g1", "g2", "nogroup");
        Arbitrary<List<String>> info = Arbitraries.oneOf(Arbitraries.<List<String>>of(List.of("XINFO", "STREAM", "s"),
                List.of("XINFO", "STREAM", "s", "FULL"), List.of("XINFO", "STREAM", "s", "FULL", "COUNT", "2"),
                List.of("XINFO", "STREAM", "s", "FULL", "COUNT", "0"), List.of("XINFO", "STREAM", "nokey"),
                List.of("XINFO", "STREAM", "s", "FOO"), List.of("XINFO", "GROUPS", "s"), List.of("XLEN", "s"),
                List.of("XLEN", "nokey"), List.of("XINFO", "NOPE", "s")),
                group.map(g -> List.of("XINFO", "CONSUMERS", "s", g)));
        Arbitrary<List<String>> pending = Combinators.combine(group, id, id, Arbitraries.of("0", "2", "100", "-1"),
                Arbitraries.<List<String>>of(List.of(), List.of("c0"), List.of("c1"), List.of("nobody")),
                Arbitraries.<List<String>>of(List.of(), List.of("IDLE", "0")))
                .as((g, a, b, n, c, idle) -> concat(concat(List.of("XPENDING", "s", g), idle), concat(List.of(a, b, n), c)));
        Arbitrary<List<String>> summary = group.map(g -> List.of("XPENDING", "s", g));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, range), net.jqwik.api.Tuple.of(3, info),
                net.jqwik.api.Tuple.of(3, pending), net.jqwik.api.Tuple.of(2, summary)).list().ofMinSize(1).ofMaxSize(25);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }
}
