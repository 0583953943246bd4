package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.rdb.ValueBatch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The stream read commands of a live master, in RESP2 as Redis 7.2+ (and Dragonfly) answer them:
 * {@code XLEN}, {@code XRANGE}/{@code XREVRANGE} (ids {@code -}, {@code +}, {@code ms},
 * {@code ms-seq}, exclusive {@code (id}; {@code COUNT}), {@code XINFO STREAM [FULL [COUNT n]]},
 * {@code XINFO GROUPS}, {@code XINFO CONSUMERS} and {@code XPENDING} (summary and extended form,
 * {@code IDLE}, consumer filter). Metadata (length, last id, entries added, max deleted id, first
 * id) is the stream's own; {@code radix-tree-keys}/{@code radix-tree-nodes} are estimated from the
 * entry count (one node per 100 entries), as the embedded master keeps no radix tree. Groups and
 * consumers are listed by name; a pending entry's consumer is the one whose pending list holds it.
 *
 * <p><b>Why one class:</b> over 400 lines: XRANGE, XINFO and XPENDING read the same stream model and share its
 * ordering helpers; id parsing is {@link StreamIds}'.
 */
final class StreamReads {

    /** Finds a stream: null when absent, WRONGTYPE when the key holds another type. */
    interface Lookup {
        RdbValue.StreamValue stream(byte[] key);
    }

    private final long now;
    private final Lookup lookup;

    StreamReads(long now, Lookup lookup) {
        this.now = now;
        this.lookup = lookup;
    }

    /** Arguments are checked first, then the key is looked up, as Redis does. */
    byte[] execute(String name, List<byte[]> args) {
        switch (name) {
            case "XLEN": {
                RdbValue.StreamValue s = lookup.stream(args.get(1));
                return new Out().integer(s == null ? 0 : s.length()).bytes();
            }
            case "XRANGE":
            case "XREVRANGE":
                return range(args, name.equals("XREVRANGE"));
            case "XINFO":
                return xinfo(args);
            case "XPENDING":
                return pending(args);
            default:
                throw new IllegalArgumentException("ERR unknown command `" + name + "`");
        }
    }

    // ------------------------------------------------------------------ XRANGE

    private byte[] range(List<byte[]> args, boolean rev) {
        byte[] startArg = rev ? args.get(3) : args.get(2);
        byte[] endArg = rev ? args.get(2) : args.get(3);
        StreamId start = StreamIds.interval(startArg, 0, true);
        StreamId end = StreamIds.interval(endArg, -1L, false);
        long count = -1;
        for (int j = 4; j < args.size(); j++) {
            if (Commands.upper(args.get(j)).equals("COUNT") && j + 1 < args.size()) {
                count = Math.max(0, Reads.integer(args.get(++j)));
            } else {
                throw new IllegalArgumentException(Resp.SYNTAX);
            }
        }
        RdbValue.StreamValue s = lookup.stream(args.get(1));
        if (s == null) {
            return new Out().array(0).bytes();
        }
        if (count == 0) {
            return new Out().nullArray().bytes();
        }
        List<RdbValue.StreamItem> items = select(s, start, end, rev, count);
        Out o = new Out().array(items.size());
        for (RdbValue.StreamItem e : items) {
            entry(o, e);
        }
        return o.bytes();
    }

    /** Live entries with ids in [start, end], in id order (reversed with {@code rev}), at most {@code count} (-1: all). */
    private static List<RdbValue.StreamItem> select(RdbValue.StreamValue s, StreamId start, StreamId end, boolean rev,
                                                    long count) {
        List<RdbValue.StreamItem> all = s.entries();
        List<RdbValue.StreamItem> out = new ArrayList<>();
        for (int k = 0; k < all.size() && (count < 0 || out.size() < count); k++) {
            RdbValue.StreamItem e = all.get(rev ? all.size() - 1 - k : k);
            if (!e.deleted() && e.id().compareTo(start) >= 0 && e.id().compareTo(end) <= 0) {
                out.add(e);
            }
        }
        return out;
    }

    private static void entry(Out o, RdbValue.StreamItem e) {
        o.array(2).bulk(e.id().toString()).array(e.fieldsAndValues().size());
        for (byte[] b : e.fieldsAndValues()) {
            o.bulk(b);
        }
    }

    // ------------------------------------------------------------------ XINFO

    private byte[] xinfo(List<byte[]> args) {
        String sub = Commands.upper(args.get(1));
        byte[] key = args.size() > 2 ? args.get(2) : null;
        switch (sub) {
            case "STREAM": {
                if (args.size() < 3) {
                    throw Reads.wrongArgs("xinfo|stream");
                }
                long count = 10;
                boolean full = false;
                String bad = "ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.";
                if (args.size() > 3) {
                    if (!Commands.upper(args.get(3)).equals("FULL")) {
                        throw new IllegalArgumentException(bad);
                    }
                    full = true;
                    if (args.size() > 4) {
                        if (args.size() != 6 || !Commands.upper(args.get(4)).equals("COUNT")) {
                            throw new IllegalArgumentException(bad);
                        }
                        count = Math.max(0, Reads.integer(args.get(5)));
                    }
                }
                return stream(existing(key), full, count);
            }
            case "GROUPS": {
                if (args.size() != 3) {
                    throw Reads.wrongArgs("xinfo|groups");
                }
                RdbValue.StreamValue v = existing(key);
                List<RdbValue.StreamGroup> groups = sortedGroups(v);
                Out o = new Out().array(groups.size());
                for (RdbValue.StreamGroup g : groups) {
                    o.array(12).bulk("name").bulk(g.name()).bulk("consumers").integer(g.consumers().size())
                            .bulk("pending").integer(g.pending().size())
                            .bulk("last-delivered-id").bulk(g.lastDeliveredId().toString())
                            .bulk("entries-read");
                    entriesRead(o, g);
                    o.bulk("lag");
                    lag(o, v, g);
                }
                return o.bytes();
            }
            case "CONSUMERS": {
                if (args.size() != 4) {
                    throw Reads.wrongArgs("xinfo|consumers");
                }
                RdbValue.StreamGroup g = group(existing(key), args.get(3));
                if (g == null) {
                    throw new IllegalArgumentException("NOGROUP No such consumer group '" + Resp.text(args.get(3))
                            + "' for key name '" + Resp.text(key) + "'");
                }
                List<RdbValue.StreamConsumer> consumers = sortedConsumers(g);
                Out o = new Out().array(consumers.size());
                for (RdbValue.StreamConsumer c : consumers) {
                    o.array(8).bulk("name").bulk(c.name()).bulk("pending").integer(c.pending().size())
                            .bulk("idle").integer(Math.max(0, now - c.seenTimeMs()))
                            .bulk("inactive").integer(c.activeTimeMs() <= 0 ? -1 : Math.max(0, now - c.activeTimeMs()));
                }
                return o.bytes();
            }
            default:
                throw new IllegalArgumentException("ERR unknown subcommand '" + Resp.text(args.get(1))
                        + "'. Try XINFO HELP.");
        }
    }

    private RdbValue.StreamValue existing(byte[] key) {
        RdbValue.StreamValue s = lookup.stream(key);
        if (s == null) {
            throw new IllegalArgumentException("ERR no such key");
        }
        return s;
    }

    private byte[] stream(RdbValue.StreamValue s, boolean full, long count) {
        long nodes = (s.entries().size() + 99) / 100;
        Out o = new Out().array(full ? 18 : 20)
                .bulk("length").integer(s.length())
                .bulk("radix-tree-keys").integer(nodes)
                .bulk("radix-tree-nodes").integer(nodes == 0 ? 1 : 2 * nodes)
                .bulk("last-generated-id").bulk(s.lastId().toString())
                .bulk("max-deleted-entry-id").bulk(s.maxDeletedId().toString())
                .bulk("entries-added").integer(s.entriesAdded())
                .bulk("recorded-first-entry-id").bulk(s.firstId().toString());
        if (!full) {
            o.bulk("groups").integer(s.groups().size());
            List<RdbValue.StreamItem> first = select(s, StreamId.ZERO, StreamIds.MAX, false, 1);
            List<RdbValue.StreamItem> last = select(s, StreamId.ZERO, StreamIds.MAX, true, 1);
            o.bulk("first-entry");
            if (first.isEmpty()) {
                o.nil();
            } else {
                entry(o, first.get(0));
            }
            o.bulk("last-entry");
            if (last.isEmpty()) {
                o.nil();
            } else {
                entry(o, last.get(0));
            }
            return o.bytes();
        }
        long limit = count == 0 ? -1 : count;
        List<RdbValue.StreamItem> entries = select(s, StreamId.ZERO, StreamIds.MAX, false, limit);
        o.bulk("entries").array(entries.size());
        for (RdbValue.StreamItem e : entries) {
            entry(o, e);
        }
        List<RdbValue.StreamGroup> groups = sortedGroups(s);
        o.bulk("groups").array(groups.size());
        for (RdbValue.StreamGroup g : groups) {
            o.array(14).bulk("name").bulk(g.name())
                    .bulk("last-delivered-id").bulk(g.lastDeliveredId().toString())
                    .bulk("entries-read");
            entriesRead(o, g);
            o.bulk("lag");
            lag(o, s, g);
            o.bulk("pel-count").integer(g.pending().size());
            List<ValueBatch.PendingEntry> pel = sortedPel(g);
            int n = limit < 0 ? pel.size() : (int) Math.min(limit, pel.size());
            o.bulk("pending").array(n);
            for (int i = 0; i < n; i++) {
                ValueBatch.PendingEntry p = pel.get(i);
                RdbValue.StreamConsumer owner = owner(g, p.id());
                o.array(4).bulk(p.id().toString()).bulk(owner == null ? new byte[0] : owner.name())
                        .integer(p.deliveryTimeMs()).integer(p.deliveryCount());
            }
            List<RdbValue.StreamConsumer> consumers = sortedConsumers(g);
            o.bulk("consumers").array(consumers.size());
            for (RdbValue.StreamConsumer c : consumers) {
                o.array(10).bulk("name").bulk(c.name()).bulk("seen-time").integer(c.seenTimeMs())
                        .bulk("active-time").integer(c.activeTimeMs() <= 0 ? -1 : c.activeTimeMs())
                        .bulk("pel-count").integer(c.pending().size());
                List<StreamId> ids = new ArrayList<>(c.pending());
                ids.sort(null);
                int m = limit < 0 ? ids.size() : (int) Math.min(limit, ids.size());
                o.bulk("pending").array(m);
                for (int i = 0; i < m; i++) {
                    ValueBatch.PendingEntry p = pendingEntry(g, ids.get(i));
                    o.array(3).bulk(ids.get(i).toString()).integer(p == null ? 0 : p.deliveryTimeMs())
                            .integer(p == null ? 0 : p.deliveryCount());
                }
            }
        }
        return o.bytes();
    }

    private static void entriesRead(Out o, RdbValue.StreamGroup g) {
        if (g.entriesRead() >= 0) {
            o.integer(g.entriesRead());
        } else {
            o.nil();
        }
    }

    /** A group's lag as Redis 7 works it out: exact when no entry it may not have read was deleted, else estimated or nil. */
    private static void lag(Out o, RdbValue.StreamValue s, RdbValue.StreamGroup g) {
        if (s.entriesAdded() == 0) {
            o.integer(0);
            return;
        }
        boolean tombstones = s.length() > 0 && !s.maxDeletedId().equals(StreamId.ZERO)
                && s.firstId().compareTo(s.maxDeletedId()) <= 0
                && s.maxDeletedId().compareTo(g.lastDeliveredId()) >= 0;
        if (g.entriesRead() >= 0 && !tombstones) {
            o.integer(s.entriesAdded() - g.entriesRead());
            return;
        }
        long read = estimateRead(s, g.lastDeliveredId());
        if (read >= 0) {
            o.integer(s.entriesAdded() - read);
        } else {
            o.nil();
        }
    }

    /** How many entries were added up to {@code id}, when that can be known; -1 when not. */
    private static long estimateRead(RdbValue.StreamValue s, StreamId id) {
        int last = id.compareTo(s.lastId());
        if (s.length() == 0 && last <= 0) {
            return s.entriesAdded();
        }
        if (last == 0) {
            return s.entriesAdded();
        }
        if (last > 0) {
            return -1;
        }
        int first = id.compareTo(s.firstId());
        if (s.maxDeletedId().equals(StreamId.ZERO) || s.maxDeletedId().compareTo(s.firstId()) < 0) {
            if (first < 0) {
                return s.entriesAdded() - s.length();
            }
            if (first == 0) {
                return s.entriesAdded() - s.length() + 1;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ XPENDING

    private byte[] pending(List<byte[]> args) {
        byte[] key = args.get(1);
        int argc = args.size();
        if (argc != 3 && (argc < 6 || argc > 9)) {
            throw new IllegalArgumentException(Resp.SYNTAX);
        }
        long minIdle = 0;
        StreamId start = null;
        StreamId end = null;
        long count = 0;
        byte[] consumer = null;
        if (argc >= 6) {
            int at = 3;
            if (Commands.upper(args.get(3)).equals("IDLE")) {
                minIdle = Reads.integer(args.get(4));
                if (argc < 8) {
                    throw new IllegalArgumentException(Resp.SYNTAX);
                }
                at += 2;
            }
            count = Math.max(0, Reads.integer(args.get(at + 2)));
            start = StreamIds.interval(args.get(at), 0, true);
            end = StreamIds.interval(args.get(at + 1), -1L, false);
            if (at + 3 < argc) {
                consumer = args.get(at + 3);
            }
        }
        RdbValue.StreamValue s = lookup.stream(key);
        RdbValue.StreamGroup g = s == null ? null : group(s, args.get(2));
        if (g == null) {
            throw new IllegalArgumentException("NOGROUP No such key '" + Resp.text(key) + "' or consumer group '"
                    + Resp.text(args.get(2)) + "'");
        }
        List<ValueBatch.PendingEntry> pel = sortedPel(g);
        if (start == null) {
            Out o = new Out().array(4).integer(pel.size());
            if (pel.isEmpty()) {
                return o.nil().nil().nullArray().bytes();
            }
            o.bulk(pel.get(0).id().toString()).bulk(pel.get(pel.size() - 1).id().toString());
            List<RdbValue.StreamConsumer> withPending = new ArrayList<>();
            for (RdbValue.StreamConsumer c : sortedConsumers(g)) {
                if (!c.pending().isEmpty()) {
                    withPending.add(c);
                }
            }
            o.array(withPending.size());
            for (RdbValue.StreamConsumer c : withPending) {
                o.array(2).bulk(c.name()).bulk(c.pending().size());
            }
            return o.bytes();
        }
        RdbValue.StreamConsumer only = null;
        if (consumer != null) {
            for (RdbValue.StreamConsumer c : g.consumers()) {
                if (Arrays.equals(c.name(), consumer)) {
                    only = c;
                }
            }
            if (only == null) {
                return new Out().array(0).bytes();
            }
        }
        List<byte[]> rows = new ArrayList<>();
        for (ValueBatch.PendingEntry p : pel) {
            if (rows.size() >= count) {
                break;
            }
            if (p.id().compareTo(start) < 0 || p.id().compareTo(end) > 0) {
                continue;
            }
            RdbValue.StreamConsumer owner = owner(g, p.id());
            if (only != null && owner != only) {
                continue;
            }
            long idle = Math.max(0, now - p.deliveryTimeMs());
            if (minIdle > 0 && idle < minIdle) {
                continue;
            }
            rows.add(new Out().array(4).bulk(p.id().toString()).bulk(owner == null ? new byte[0] : owner.name())
                    .integer(idle).integer(p.deliveryCount()).bytes());
        }
        Out o = new Out().array(rows.size());
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(o.bytes());
        rows.forEach(b::writeBytes);
        return b.toByteArray();
    }

    // ------------------------------------------------------------------ helpers

    private static final Comparator<byte[]> BYTES = Arrays::compareUnsigned;

    private static List<RdbValue.StreamGroup> sortedGroups(RdbValue.StreamValue s) {
        List<RdbValue.StreamGroup> g = new ArrayList<>(s.groups());
        g.sort(Comparator.comparing(RdbValue.StreamGroup::name, BYTES));
        return g;
    }

    private static List<RdbValue.StreamConsumer> sortedConsumers(RdbValue.StreamGroup g) {
        List<RdbValue.StreamConsumer> c = new ArrayList<>(g.consumers());
        c.sort(Comparator.comparing(RdbValue.StreamConsumer::name, BYTES));
        return c;
    }

    private static List<ValueBatch.PendingEntry> sortedPel(RdbValue.StreamGroup g) {
        List<ValueBatch.PendingEntry> p = new ArrayList<>(g.pending());
        p.sort(Comparator.comparing(ValueBatch.PendingEntry::id));
        return p;
    }

    private static RdbValue.StreamGroup group(RdbValue.StreamValue s, byte[] name) {
        for (RdbValue.StreamGroup g : s.groups()) {
            if (Arrays.equals(g.name(), name)) {
                return g;
            }
        }
        return null;
    }

    private static RdbValue.StreamConsumer owner(RdbValue.StreamGroup g, StreamId id) {
        for (RdbValue.StreamConsumer c : g.consumers()) {
            if (c.pending().contains(id)) {
                return c;
            }
        }
        return null;
    }

    private static ValueBatch.PendingEntry pendingEntry(RdbValue.StreamGroup g, StreamId id) {
        for (ValueBatch.PendingEntry p : g.pending()) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        return null;
    }
}
