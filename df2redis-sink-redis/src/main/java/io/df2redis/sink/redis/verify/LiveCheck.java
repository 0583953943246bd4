package io.df2redis.sink.redis.verify;

import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.NullReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.tools.inspect.JsonShapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Compares a batch of keys of one db between two live servers. Every phase is pipelined over
 * the whole batch on both sides at once (type and TTL; lengths; whole small values), so a batch
 * costs a fixed number of round trips; values above the chunk sizes are then compared key by key
 * in ranges, never as one reply.
 *
 * <p><b>Why one class:</b> (about 420 lines) the phases of a batch share one per-key state ({@code State})
 * and run in a fixed, pipelined order over both sides; splitting them would spread one state
 * machine over several classes. Thread ownership: used by the verifying thread only.
 */
final class LiveCheck {
    private static final Comparator<byte[]> BYTES = Arrays::compareUnsigned;

    /** The outcome for one key. */
    static final class Result {
        final byte[] key;
        final List<Difference> differences = new ArrayList<>(1);
        String note;
        boolean vanished;
        boolean compared;

        Result(byte[] key) {
            this.key = key;
        }
    }

    private final Side source;
    private final Side target;
    private final VerifyOptions options;

    LiveCheck(Side source, Side target, VerifyOptions options) {
        this.source = source;
        this.target = target;
        this.options = options;
    }

    private static final class State {
        final Result result;
        final byte[] key;
        CompletableFuture<RespReply> sA;
        CompletableFuture<RespReply> sB;
        CompletableFuture<RespReply> tA;
        CompletableFuture<RespReply> tB;
        String type;
        long size;
        boolean done;

        State(byte[] key) {
            this.key = key;
            this.result = new Result(key);
        }
    }

    List<Result> compare(int db, List<byte[]> keys) {
        List<State> states = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            states.add(new State(k));
        }
        // phase 1: type and remaining TTL
        for (State s : states) {
            s.sA = source.send(s.key, "TYPE", s.key);
            s.sB = source.send(s.key, "PTTL", s.key);
            s.tA = target.send(s.key, "TYPE", s.key);
            s.tB = target.send(s.key, "PTTL", s.key);
        }
        for (State s : states) {
            String st = Values.text(source.get(s.sA));
            String tt = Values.text(target.get(s.tA));
            long sp = ttl(source.get(s.sB));
            long tp = ttl(target.get(s.tB));
            Result r = s.result;
            s.done = true;
            if (st.equals("none") || sp == -2) {
                r.vanished = true;
                continue;
            }
            if (!options.keyFilter().passesType(st)) {
                r.note = "type " + st + " excluded by the key filter";
                continue;
            }
            r.compared = true;
            if (tt.equals("none") || tp == -2) {
                if (sp >= 0 && sp <= options.ttlToleranceMs()) {
                    r.vanished = true; // expiring on the source, already expired on the target
                } else if (options.skipUnholdable() && !target.holds.canHold(st)) {
                    r.note = "target cannot hold type " + st + " (skipped by the unsupported-data policy)";
                } else {
                    diff(db, r, Difference.Kind.MISSING, st);
                }
                continue;
            }
            if (!st.equals(tt)) {
                diff(db, r, Difference.Kind.TYPE, st + " vs " + tt);
                continue;
            }
            if ((sp < 0) != (tp < 0)) {
                diff(db, r, Difference.Kind.TTL, (sp < 0 ? "no expiry" : "expires in " + sp + " ms") + " vs "
                        + (tp < 0 ? "no expiry" : "expires in " + tp + " ms"));
            } else if (sp >= 0 && Math.abs(sp - tp) > options.ttlToleranceMs()) {
                diff(db, r, Difference.Kind.TTL, "expires in " + sp + " ms vs " + tp + " ms");
            }
            s.type = st;
            s.done = false;
        }
        // phase 2: lengths of the core types
        for (State s : states) {
            String cmd = s.done ? null : Values.lengthCommand(s.type);
            if (cmd != null) {
                s.sA = source.send(s.key, cmd, s.key);
                s.tA = target.send(s.key, cmd, s.key);
            } else {
                s.sA = null;
            }
        }
        for (State s : states) {
            if (s.sA == null) {
                continue;
            }
            try {
                long a = Values.number(source.get(s.sA));
                long b = Values.number(target.get(s.tA));
                if (a != b) {
                    diff(db, s.result, Difference.Kind.VALUE, (s.type.equals("string") ? "length " : "elements ") + a
                            + " vs " + b);
                    s.done = true;
                }
                s.size = a;
            } catch (Values.Changed e) {
                changed(db, s, e);
            }
        }
        // phase 3: whole small values
        for (State s : states) {
            s.sA = null;
            if (s.done || !small(s)) {
                continue;
            }
            Object[] cmd = Values.wholeCommand(s.type, s.key);
            s.sA = source.send(s.key, cmd);
            s.tA = target.send(s.key, cmd);
        }
        for (State s : states) {
            if (s.sA == null) {
                continue;
            }
            try {
                String d = compareWhole(s.type, source.get(s.sA), target.get(s.tA), 0);
                if (d != null) {
                    diff(db, s.result, Difference.Kind.VALUE, d);
                }
            } catch (Values.Changed e) {
                changed(db, s, e);
            }
            s.done = true;
        }
        // phase 4: big values, streams, JSON and module types, key by key
        for (State s : states) {
            if (s.done) {
                continue;
            }
            try {
                String d = deep(s);
                if (d != null) {
                    diff(db, s.result, Difference.Kind.VALUE, d);
                }
            } catch (Values.Changed e) {
                changed(db, s, e);
            }
        }
        List<Result> out = new ArrayList<>(states.size());
        for (State s : states) {
            out.add(s.result);
        }
        return out;
    }

    private static long ttl(RespReply r) {
        try {
            return Values.number(r);
        } catch (Values.Changed e) {
            return -2;
        }
    }

    private void changed(int db, State s, Values.Changed e) {
        diff(db, s.result, Difference.Kind.VALUE, "changed while being read (" + e.getMessage() + ")");
        s.done = true;
    }

    private static void diff(int db, Result r, Difference.Kind kind, String detail) {
        r.differences.add(new Difference(db, JsonShapes.key(r.key), kind, detail));
    }

    private boolean small(State s) {
        return Values.lengthCommand(s.type) != null && !s.type.equals("stream")
                && s.size <= (s.type.equals("string") ? options.chunkBytes() : options.chunkElements());
    }

    /** Compares two whole replies of a small value (or one range of a big list/zset starting at {@code base}). */
    static String compareWhole(String type, RespReply a, RespReply b, long base) {
        switch (type) {
            case "string": {
                byte[] x = Values.bytesOrNull(a);
                byte[] y = Values.bytesOrNull(b);
                if (x == null || y == null) {
                    throw new Values.Changed("string vanished");
                }
                return Arrays.equals(x, y) ? null : Values.show(x) + " vs " + Values.show(y);
            }
            case "list": {
                List<byte[]> x = Values.byteList(a);
                List<byte[]> y = Values.byteList(b);
                for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                    if (!Arrays.equals(x.get(i), y.get(i))) {
                        return "element #" + (base + i) + ": " + Values.show(x.get(i)) + " vs " + Values.show(y.get(i));
                    }
                }
                return x.size() == y.size() ? null : "elements " + (base + x.size()) + " vs " + (base + y.size());
            }
            case "set": {
                List<byte[]> x = new ArrayList<>(Values.byteList(a));
                List<byte[]> y = new ArrayList<>(Values.byteList(b));
                x.sort(BYTES);
                y.sort(BYTES);
                for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                    int c = BYTES.compare(x.get(i), y.get(i));
                    if (c != 0) {
                        return c < 0 ? "member " + Values.show(x.get(i)) + " not in the target"
                                : "member " + Values.show(y.get(i)) + " not in the source";
                    }
                }
                return x.size() == y.size() ? null : "members " + x.size() + " vs " + y.size();
            }
            case "hash": {
                Map<String, byte[]> x = pairs(a);
                Map<String, byte[]> y = pairs(b);
                for (Map.Entry<String, byte[]> e : x.entrySet()) {
                    byte[] v = y.get(e.getKey());
                    if (v == null) {
                        return "field '" + e.getKey() + "' not in the target";
                    }
                    if (!Arrays.equals(v, e.getValue())) {
                        return "field '" + e.getKey() + "': " + Values.show(e.getValue()) + " vs " + Values.show(v);
                    }
                }
                return x.size() == y.size() ? null : "fields " + x.size() + " vs " + y.size();
            }
            case "zset": {
                List<RespReply> x = Values.array(a);
                List<RespReply> y = Values.array(b);
                for (int i = 0; i + 1 < Math.min(x.size(), y.size()); i += 2) {
                    byte[] mx = Values.bytes(x.get(i));
                    byte[] my = Values.bytes(y.get(i));
                    double sx = Values.score(x.get(i + 1));
                    double sy = Values.score(y.get(i + 1));
                    if (!Arrays.equals(mx, my) || Double.compare(sx == 0 ? 0 : sx, sy == 0 ? 0 : sy) != 0) {
                        return "member #" + (base + i / 2) + ": " + Values.show(mx) + " " + sx + " vs " + Values.show(my)
                                + " " + sy;
                    }
                }
                return x.size() == y.size() ? null : "members " + (base + x.size() / 2) + " vs " + (base + y.size() / 2);
            }
            default:
                throw new IllegalArgumentException(type);
        }
    }

    private static Map<String, byte[]> pairs(RespReply r) {
        List<RespReply> l = Values.array(r);
        Map<String, byte[]> m = new HashMap<>(l.size());
        for (int i = 0; i + 1 < l.size(); i += 2) {
            m.put(JsonShapes.key(Values.bytes(l.get(i))), Values.bytes(l.get(i + 1)));
        }
        return m;
    }

    private String deep(State s) {
        byte[] k = s.key;
        int chunk = options.chunkElements();
        switch (s.type) {
            case "string": {
                int step = options.chunkBytes();
                for (long off = 0; off < s.size; off += step) {
                    String from = Long.toString(off);
                    String to = Long.toString(off + step - 1);
                    String d = compareWhole("string", source.get(source.send(k, "GETRANGE", k, from, to)),
                            target.get(target.send(k, "GETRANGE", k, from, to)), 0);
                    if (d != null) {
                        return "bytes " + off + ".." + (off + step - 1) + " differ";
                    }
                }
                return null;
            }
            case "list":
            case "zset": {
                for (long i = 0; i < s.size; i += chunk) {
                    Object[] cmd = s.type.equals("list")
                            ? new Object[] {"LRANGE", k, Long.toString(i), Long.toString(i + chunk - 1)}
                            : new Object[] {"ZRANGE", k, Long.toString(i), Long.toString(i + chunk - 1), "WITHSCORES"};
                    CompletableFuture<RespReply> a = source.send(k, cmd);
                    CompletableFuture<RespReply> b = target.send(k, cmd);
                    String d = compareWhole(s.type, source.get(a), target.get(b), i);
                    if (d != null) {
                        return d;
                    }
                }
                return null;
            }
            case "set":
                return scanned(k, "SSCAN", 1);
            case "hash":
                return scanned(k, "HSCAN", 2);
            case "stream":
                return new StreamCompare(source, target, chunk).compare(k);
            case "ReJSON-RL":
                return json(s);
            default:
                return dump(s);
        }
    }

    /**
     * A big set or hash: scan the source in chunks and look each chunk up on the target (the
     * lengths are already known equal, so every source element found equal means equal values).
     */
    private String scanned(byte[] k, String scan, int stride) {
        String cursor = "0";
        do {
            List<RespReply> page = Values.array(source.get(source.send(k, scan, k, cursor, "COUNT",
                    Integer.toString(options.chunkElements()))));
            cursor = Values.text(page.get(0));
            List<byte[]> items = Values.byteList(page.get(1));
            if (items.isEmpty()) {
                continue;
            }
            if (stride == 1) {
                List<CompletableFuture<RespReply>> found = new ArrayList<>(items.size());
                for (byte[] m : items) {
                    found.add(target.send(k, "SISMEMBER", k, m));
                }
                for (int i = 0; i < items.size(); i++) {
                    if (Values.number(target.get(found.get(i))) != 1) {
                        return "member " + Values.show(items.get(i)) + " not in the target";
                    }
                }
            } else {
                Object[] cmd = new Object[2 + items.size() / 2];
                cmd[0] = "HMGET";
                cmd[1] = k;
                for (int i = 0; i < items.size() / 2; i++) {
                    cmd[2 + i] = items.get(2 * i);
                }
                List<RespReply> got = Values.array(target.get(target.send(k, cmd)));
                for (int i = 0; i < items.size() / 2; i++) {
                    byte[] v = Values.bytesOrNull(got.get(i));
                    if (v == null) {
                        return "field " + Values.show(items.get(2 * i)) + " not in the target";
                    }
                    if (!Arrays.equals(v, items.get(2 * i + 1))) {
                        return "field " + Values.show(items.get(2 * i)) + ": " + Values.show(items.get(2 * i + 1))
                                + " vs " + Values.show(v);
                    }
                }
            }
        } while (!cursor.equals("0"));
        return null;
    }

    private String json(State s) {
        if (Boolean.FALSE.equals(source.json()) || Boolean.FALSE.equals(target.json())) {
            s.result.note = "ReJSON-RL: not compared (JSON.GET unavailable)";
            return null;
        }
        RespReply a = source.get(source.send(s.key, "JSON.GET", s.key));
        RespReply b = target.get(target.send(s.key, "JSON.GET", s.key));
        boolean aOk = !(a instanceof ErrorReply e1 && unknownCommand(e1));
        boolean bOk = !(b instanceof ErrorReply e2 && unknownCommand(e2));
        source.json(aOk);
        target.json(bOk);
        if (!aOk || !bOk) {
            s.result.note = "ReJSON-RL: not compared (JSON.GET unavailable)";
            return null;
        }
        byte[] x = Values.bytesOrNull(a);
        byte[] y = Values.bytesOrNull(b);
        return Arrays.equals(x, y) ? null : Values.show(x) + " vs " + Values.show(y);
    }

    private static boolean unknownCommand(ErrorReply e) {
        String m = e.message().toLowerCase(java.util.Locale.ROOT);
        return m.contains("unknown command") || m.contains("unknown_command") || m.contains("not supported");
    }

    private String dump(State s) {
        if (!source.redis || !target.redis) {
            s.result.note = s.type + ": not compared (DUMP payloads are comparable only between two Redis servers)";
            return null;
        }
        RespReply a = source.get(source.send(s.key, "DUMP", s.key));
        RespReply b = target.get(target.send(s.key, "DUMP", s.key));
        if (a == NullReply.INSTANCE || b == NullReply.INSTANCE) {
            throw new Values.Changed("key vanished");
        }
        if (a instanceof ErrorReply || b instanceof ErrorReply) {
            s.result.note = s.type + ": not compared (DUMP failed: " + Values.describe(a instanceof ErrorReply ? a : b)
                    + ")";
            return null;
        }
        return Arrays.equals(Values.bytes(a), Values.bytes(b)) ? null : "DUMP payloads differ";
    }
}
