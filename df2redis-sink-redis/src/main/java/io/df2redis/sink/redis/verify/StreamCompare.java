package io.df2redis.sink.redis.verify;

import io.df2redis.protocol.resp.RespReply;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Compares one stream on two servers: metadata ({@code XINFO STREAM}: length, last id,
 * entries-added, max-deleted-id — the latter two where both servers report them), every entry
 * ({@code XRANGE} in chunks), the consumer groups ({@code XINFO GROUPS}: name, last-delivered
 * id, entries-read, pending and consumer counts), each group's pending entries list ({@code XPENDING} in
 * chunks: id, consumer, delivery count — not the delivery time, which is when the target applied
 * it) and its consumers ({@code XINFO CONSUMERS}: name, pending count).
 */
final class StreamCompare {
    private static final List<String> META = List.of("length", "last-generated-id", "max-deleted-entry-id",
            "entries-added", "groups");
    private static final List<String> GROUP = List.of("consumers", "pending", "last-delivered-id", "entries-read");

    private final Side source;
    private final Side target;
    private final int chunk;

    StreamCompare(Side source, Side target, int chunk) {
        this.source = source;
        this.target = target;
        this.chunk = chunk;
    }

    /** The first difference, or null. */
    String compare(byte[] key) {
        RespReply[] info = both(key, "XINFO", "STREAM", key);
        Map<String, RespReply> a = Values.fields(info[0]);
        Map<String, RespReply> b = Values.fields(info[1]);
        String d = sameFields("", META, a, b);
        if (d != null) {
            return d;
        }
        d = entries(key);
        if (d != null) {
            return d;
        }
        return groups(key);
    }

    private RespReply[] both(byte[] key, Object... cmd) {
        CompletableFuture<RespReply> x = source.send(key, cmd);
        CompletableFuture<RespReply> y = target.send(key, cmd);
        RespReply rx = source.get(x);
        RespReply ry = target.get(y);
        if (Values.isError(rx) || Values.isError(ry)) {
            throw new Values.Changed(cmd[0] + ": " + Values.describe(Values.isError(rx) ? rx : ry));
        }
        return new RespReply[] {rx, ry};
    }

    private static String sameFields(String prefix, List<String> names, Map<String, RespReply> a,
                                     Map<String, RespReply> b) {
        for (String f : names) {
            if (a.containsKey(f) && b.containsKey(f)) {
                String x = Values.text(a.get(f));
                String y = Values.text(b.get(f));
                if (!x.equals(y)) {
                    return prefix + f + ": " + x + " vs " + y;
                }
            }
        }
        return null;
    }

    private String entries(byte[] key) {
        return pagedById(key, start -> new Object[] {"XRANGE", key, start, "+", "COUNT", Integer.toString(chunk)},
                "entries", (ex, ey) -> {
                    String ix = Values.text(ex.get(0));
                    String iy = Values.text(ey.get(0));
                    if (!ix.equals(iy)) {
                        return "entry id " + ix + " vs " + iy;
                    }
                    List<byte[]> fx = Values.byteList(ex.get(1));
                    List<byte[]> fy = Values.byteList(ey.get(1));
                    if (fx.size() != fy.size()) {
                        return "entry " + ix + ": " + fx.size() / 2 + " fields vs " + fy.size() / 2;
                    }
                    for (int j = 0; j < fx.size(); j++) {
                        if (!Arrays.equals(fx.get(j), fy.get(j))) {
                            return "entry " + ix + ": " + Values.show(fx.get(j)) + " vs " + Values.show(fy.get(j));
                        }
                    }
                    return null;
                });
    }

    /**
     * Walks both sides' pages of an id-ordered stream reply ({@code XRANGE}, {@code XPENDING}) in
     * step, {@link #chunk} elements a page: {@code compare} gets the elements at the same position
     * (each an array whose first element is the id) and returns a difference or null.
     *
     * @param page the command for the page starting at an id ({@code -} first)
     * @param what what the elements are, for a difference in their number
     */
    private String pagedById(byte[] key, Function<String, Object[]> page, String what,
                             BiFunction<List<RespReply>, List<RespReply>, String> compare) {
        String start = "-";
        while (true) {
            RespReply[] r = both(key, page.apply(start));
            List<RespReply> x = Values.array(r[0]);
            List<RespReply> y = Values.array(r[1]);
            String last = null;
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                List<RespReply> ex = Values.array(x.get(i));
                String d = compare.apply(ex, Values.array(y.get(i)));
                if (d != null) {
                    return d;
                }
                last = Values.text(ex.get(0));
            }
            if (x.size() != y.size()) {
                return what + " after " + (last == null ? start : last) + ": " + x.size() + " vs " + y.size()
                        + " in a chunk";
            }
            if (x.size() < chunk || last == null) {
                return null;
            }
            start = Values.nextId(last);
        }
    }

    private String groups(byte[] key) {
        RespReply[] r = both(key, "XINFO", "GROUPS", key);
        List<Map<String, RespReply>> x = byName(r[0]);
        List<Map<String, RespReply>> y = byName(r[1]);
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            String gx = Values.text(x.get(i).get("name"));
            String gy = Values.text(y.get(i).get("name"));
            if (!gx.equals(gy)) {
                return "group " + (gx.compareTo(gy) < 0 ? "'" + gx + "' not in the target" : "'" + gy
                        + "' not in the source");
            }
            String d = sameFields("group '" + gx + "' ", GROUP, x.get(i), y.get(i));
            if (d == null) {
                d = pending(key, gx);
            }
            if (d == null) {
                d = consumers(key, gx);
            }
            if (d != null) {
                return d;
            }
        }
        return x.size() == y.size() ? null : "groups " + x.size() + " vs " + y.size();
    }

    private static List<Map<String, RespReply>> byName(RespReply r) {
        List<Map<String, RespReply>> out = new ArrayList<>();
        for (RespReply g : Values.array(r)) {
            out.add(Values.fields(g));
        }
        out.sort(Comparator.comparing(m -> Values.text(m.get("name"))));
        return out;
    }

    private String consumers(byte[] key, String group) {
        RespReply[] r = both(key, "XINFO", "CONSUMERS", key, group);
        List<Map<String, RespReply>> x = byName(r[0]);
        List<Map<String, RespReply>> y = byName(r[1]);
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            String cx = Values.text(x.get(i).get("name"));
            String cy = Values.text(y.get(i).get("name"));
            if (!cx.equals(cy)) {
                return "group '" + group + "' consumer " + (cx.compareTo(cy) < 0 ? "'" + cx + "' not in the target"
                        : "'" + cy + "' not in the source");
            }
            String d = sameFields("group '" + group + "' consumer '" + cx + "' ", List.of("pending"), x.get(i),
                    y.get(i));
            if (d != null) {
                return d;
            }
        }
        return x.size() == y.size() ? null : "group '" + group + "' consumers " + x.size() + " vs " + y.size();
    }

    private String pending(byte[] key, String group) {
        String where = "group '" + group + "' pending ";
        return pagedById(key, start -> new Object[] {"XPENDING", key, group, start, "+", Integer.toString(chunk)},
                where + "entries", (px, py) -> {
                    String ix = Values.text(px.get(0));
                    String iy = Values.text(py.get(0));
                    if (!ix.equals(iy)) {
                        return where + "id " + ix + " vs " + iy;
                    }
                    String ox = Values.text(px.get(1));
                    String oy = Values.text(py.get(1));
                    if (!ox.equals(oy)) {
                        return where + ix + ": consumer '" + ox + "' vs '" + oy + "'";
                    }
                    long nx = Values.number(px.get(3));
                    long ny = Values.number(py.get(3));
                    return nx == ny ? null : where + ix + ": delivery count " + nx + " vs " + ny;
                });
    }
}
