package io.df2redis.sink.redis.verify;

import io.df2redis.protocol.resp.RespReply;
import io.df2redis.tools.inspect.JsonShapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Checks a batch of one db's {@link KeyDigest}s against the target: type, expiry within the
 * tolerance, element count, and the canonical value hash computed from the target's replies the
 * same way {@link SyncRecorder} computed it from the snapshot events. Small values are read whole
 * (pipelined over the batch); bigger ones in ranges, key by key.
 *
 * <p>Sets and hashes above the chunk size are read with {@code SSCAN}/{@code HSCAN}, which may
 * return an element twice while the target rehashes; such a key then differs at first and is
 * re-checked once (see {@link Verifier}).
 */
final class DigestCheck {
    private final Side target;
    private final VerifyOptions options;

    DigestCheck(Side target, VerifyOptions options) {
        this.target = target;
        this.options = options;
    }

    List<LiveCheck.Result> check(int db, List<KeyDigest> digests) {
        int n = digests.size();
        List<LiveCheck.Result> out = new ArrayList<>(n);
        List<CompletableFuture<RespReply>> types = new ArrayList<>(n);
        List<CompletableFuture<RespReply>> ttls = new ArrayList<>(n);
        for (KeyDigest d : digests) {
            out.add(new LiveCheck.Result(d.key()));
            types.add(target.send(d.key(), "TYPE", d.key()));
            ttls.add(target.send(d.key(), "PTTL", d.key()));
        }
        long now = System.currentTimeMillis();
        boolean[] valueNeeded = new boolean[n];
        for (int i = 0; i < n; i++) {
            KeyDigest d = digests.get(i);
            LiveCheck.Result r = out.get(i);
            String tt = Values.text(target.get(types.get(i)));
            long tp;
            try {
                tp = Values.number(target.get(ttls.get(i)));
            } catch (Values.Changed e) {
                tp = -2;
            }
            r.compared = true;
            if (tt.equals("none") || tp == -2) {
                add(db, r, Difference.Kind.MISSING, d.type());
                continue;
            }
            if (!d.type().equals("module") && !d.type().equals(tt)) {
                add(db, r, Difference.Kind.TYPE, d.type() + " vs " + tt);
                continue;
            }
            long expected = d.expireAtMs() < 0 ? -1 : d.expireAtMs() - now;
            if ((expected < 0) != (tp < 0)) {
                add(db, r, Difference.Kind.TTL, (expected < 0 ? "no expiry" : "expires in " + expected + " ms")
                        + " vs " + (tp < 0 ? "no expiry" : "expires in " + tp + " ms"));
            } else if (tp >= 0 && Math.abs(expected - tp) > options.ttlToleranceMs()) {
                add(db, r, Difference.Kind.TTL, "expires in " + expected + " ms vs " + tp + " ms");
            }
            if (!d.valueRecorded()) {
                r.note = d.note();
            } else {
                valueNeeded[i] = true;
            }
        }
        // element counts
        List<CompletableFuture<RespReply>> counts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            KeyDigest d = digests.get(i);
            counts.add(valueNeeded[i] ? target.send(d.key(), Values.lengthCommand(d.type()), d.key()) : null);
        }
        long[] size = new long[n];
        for (int i = 0; i < n; i++) {
            if (!valueNeeded[i]) {
                continue;
            }
            KeyDigest d = digests.get(i);
            try {
                size[i] = Values.number(target.get(counts.get(i)));
            } catch (Values.Changed e) {
                add(db, out.get(i), Difference.Kind.VALUE, "changed while being read (" + e.getMessage() + ")");
                valueNeeded[i] = false;
                continue;
            }
            if (size[i] != d.count()) {
                add(db, out.get(i), Difference.Kind.VALUE, (d.type().equals("string") ? "length " : "elements ")
                        + d.count() + " in the snapshot vs " + size[i]);
                valueNeeded[i] = false;
            }
        }
        // whole small values, pipelined
        List<CompletableFuture<RespReply>> whole = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            KeyDigest d = digests.get(i);
            Object[] cmd = valueNeeded[i] && small(d.type(), size[i]) ? Values.wholeCommand(d.type(), d.key()) : null;
            whole.add(cmd == null ? null : target.send(d.key(), cmd));
        }
        for (int i = 0; i < n; i++) {
            if (!valueNeeded[i]) {
                continue;
            }
            KeyDigest d = digests.get(i);
            try {
                ValueHash h = new ValueHash();
                if (whole.get(i) != null) {
                    feed(d.type(), target.get(whole.get(i)), h);
                } else {
                    readInRanges(d, size[i], h);
                }
                if (h.hash() != d.hash() || h.count() != d.count()) {
                    add(db, out.get(i), Difference.Kind.VALUE, "value differs from the snapshot digest");
                }
            } catch (Values.Changed e) {
                add(db, out.get(i), Difference.Kind.VALUE, "changed while being read (" + e.getMessage() + ")");
            }
        }
        return out;
    }

    private static void add(int db, LiveCheck.Result r, Difference.Kind kind, String detail) {
        r.differences.add(new Difference(db, JsonShapes.key(r.key), kind, detail));
    }

    private boolean small(String type, long size) {
        return !type.equals("stream") && size <= (type.equals("string") ? options.chunkBytes() : options.chunkElements());
    }

    /** Adds the elements of one reply (a whole value or one range of it) to {@code h}. */
    private static void feed(String type, RespReply r, ValueHash h) {
        switch (type) {
            case "string" -> {
                byte[] b = Values.bytesOrNull(r);
                if (b == null) {
                    throw new Values.Changed("string vanished");
                }
                h.stringBytes(b, 0, b.length);
            }
            case "list" -> Values.byteList(r).forEach(h::listElement);
            case "set" -> Values.byteList(r).forEach(h::setMember);
            case "hash" -> {
                List<byte[]> l = Values.byteList(r);
                for (int i = 0; i + 1 < l.size(); i += 2) {
                    h.hashField(l.get(i), l.get(i + 1));
                }
            }
            case "zset" -> {
                List<RespReply> l = Values.array(r);
                for (int i = 0; i + 1 < l.size(); i += 2) {
                    h.zsetMember(Values.bytes(l.get(i)), Values.score(l.get(i + 1)));
                }
            }
            default -> throw new IllegalArgumentException(type);
        }
    }

    private void readInRanges(KeyDigest d, long size, ValueHash h) {
        byte[] k = d.key();
        int chunk = options.chunkElements();
        switch (d.type()) {
            case "string" -> {
                for (long off = 0; off < size; off += options.chunkBytes()) {
                    feed("string", call(k, "GETRANGE", k, off, off + options.chunkBytes() - 1), h);
                }
            }
            case "list", "zset" -> {
                for (long i = 0; i < size; i += chunk) {
                    feed(d.type(), d.type().equals("list") ? call(k, "LRANGE", k, i, i + chunk - 1)
                            : call(k, "ZRANGE", k, i, i + chunk - 1, "WITHSCORES"), h);
                }
            }
            case "set", "hash" -> {
                String cursor = "0";
                do {
                    List<RespReply> page = Values.array(call(k, d.type().equals("set") ? "SSCAN" : "HSCAN", k, cursor,
                            "COUNT", chunk));
                    cursor = Values.text(page.get(0));
                    feed(d.type(), page.get(1), h);
                } while (!cursor.equals("0"));
            }
            case "stream" -> stream(k, h);
            default -> throw new IllegalArgumentException(d.type());
        }
    }

    private void stream(byte[] k, ValueHash h) {
        int chunk = options.chunkElements();
        String start = "-";
        while (true) {
            List<RespReply> page = Values.array(call(k, "XRANGE", k, start, "+", "COUNT", chunk));
            String last = null;
            for (RespReply e : page) {
                List<RespReply> entry = Values.array(e);
                last = Values.text(entry.get(0));
                long[] id = Values.parseId(last);
                h.streamEntry(id[0], id[1], Values.byteList(entry.get(1)));
            }
            if (page.size() < chunk || last == null) {
                break;
            }
            start = Values.nextId(last);
        }
        Map<String, RespReply> info = Values.fields(call(k, "XINFO", "STREAM", k));
        long[] lastId = Values.parseId(Values.text(info.get("last-generated-id")));
        h.streamLastId(lastId[0], lastId[1]);
        for (RespReply g : Values.array(call(k, "XINFO", "GROUPS", k))) {
            Map<String, RespReply> group = Values.fields(g);
            byte[] name = Values.bytes(group.get("name"));
            long[] delivered = Values.parseId(Values.text(group.get("last-delivered-id")));
            h.streamGroup(name, delivered[0], delivered[1]);
            String from = "-";
            while (true) {
                List<RespReply> pel = Values.array(call(k, "XPENDING", k, name, from, "+", chunk));
                String lastPending = null;
                for (RespReply p : pel) {
                    List<RespReply> row = Values.array(p);
                    lastPending = Values.text(row.get(0));
                    long[] id = Values.parseId(lastPending);
                    h.pendingCount(name, id[0], id[1], Values.number(row.get(3)));
                    h.pendingOwner(name, Values.bytes(row.get(1)), id[0], id[1]);
                }
                if (pel.size() < chunk || lastPending == null) {
                    break;
                }
                from = Values.nextId(lastPending);
            }
        }
    }

    private RespReply call(byte[] key, Object... cmd) {
        RespReply r = target.get(target.send(key, cmd));
        if (Values.isError(r)) {
            throw new Values.Changed(cmd[0] + ": " + Values.describe(r));
        }
        return r;
    }
}
