package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.StreamId;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Consumer-group commands as Dragonfly executes and journals them ({@code stream_family.cc}):
 * {@code XREADGROUP … >} becomes {@code XGROUP CREATECONSUMER} (a new consumer), one
 * {@code XCLAIM key group consumer 0 <id> TIME <ms> RETRYCOUNT 1 FORCE JUSTID LASTID <id>} per
 * delivered entry (none with NOACK) and {@code XGROUP SETID key group <last id> ENTRIESREAD n}
 * on v1.40, and is not journaled at all on v1.30 (a master-side defect of that release);
 * {@code XGROUP}, {@code XACK}, {@code XCLAIM} and {@code XAUTOCLAIM} are journaled as received.
 * A {@code BLOCK} read never blocks here: with nothing to deliver it answers as on timeout.
 *
 * <p><b>Why one class:</b> over 400 lines: the consumer-group commands (XGROUP, XREADGROUP, XACK, XCLAIM,
 * XAUTOCLAIM) mutate the same group model together.
 */
final class StreamGroupCommands {
    private StreamGroupCommands() {
    }

    static void register(Commands.Table t) {
        t.add("XGROUP", -3, StreamGroupCommands::xgroup);
        t.add("XREADGROUP", -7, StreamGroupCommands::xreadgroup);
        t.add("XACK", -4, StreamGroupCommands::xack);
        t.add("XCLAIM", -6, StreamGroupCommands::xclaim);
        t.add("XAUTOCLAIM", -6, StreamGroupCommands::xautoclaim);
    }

    private static IllegalArgumentException noGroup(byte[] key, byte[] group, String cmd) {
        return new IllegalArgumentException("NOGROUP No such key '" + StreamModel.name(key) + "' or consumer group '"
                + StreamModel.name(group) + "' in " + cmd + " command");
    }

    private static StreamId id(Exec x, int i) {
        return StreamIds.id(StreamCommands.text(x.arg(i)), 0);
    }

    // ------------------------------------------------------------------ XGROUP

    private static byte[] xgroup(Exec x) {
        String sub = x.word(1);
        byte[] key = x.arg(2);
        RdbKeyValue old = x.get(key);
        StreamModel m = StreamCommands.load(x, key);
        byte[] reply;
        switch (sub) {
            case "CREATE" -> {
                if (x.argc() < 5) {
                    throw Reads.wrongArgs("XGROUP");
                }
                boolean mkStream = false;
                long entriesRead = StreamModel.INVALID;
                for (int i = 5; i < x.argc(); i++) {
                    if (x.word(i).equals("MKSTREAM")) {
                        mkStream = true;
                    } else if (x.word(i).equals("ENTRIESREAD") && i + 1 < x.argc()) {
                        entriesRead = x.integer(++i);
                    } else {
                        throw Exec.syntax();
                    }
                }
                if (m == null) {
                    if (!mkStream) {
                        throw new IllegalArgumentException("ERR The XGROUP subcommand requires the key to exist. Note that"
                                + " for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.");
                    }
                    m = new StreamModel();
                }
                StreamId start = StreamCommands.text(x.arg(4)).equals("$") ? m.lastId : id(x, 4);
                if (m.group(x.arg(3)) != null) {
                    throw new IllegalArgumentException("BUSYGROUP Consumer Group name already exists");
                }
                m.groups.put(StreamModel.name(x.arg(3)), new StreamModel.Group(x.arg(3), start, entriesRead));
                reply = Resp.OK;
            }
            case "SETID" -> {
                if (x.argc() != 5 && x.argc() != 7) {
                    throw Reads.wrongArgs("XGROUP");
                }
                StreamModel.Group g = group(m, key, x.arg(3), "XGROUP");
                StreamId to = StreamCommands.text(x.arg(4)).equals("$") ? m.lastId : id(x, 4);
                long entriesRead = StreamModel.INVALID;
                if (x.argc() == 7) {
                    if (!x.word(5).equals("ENTRIESREAD")) {
                        throw Exec.syntax();
                    }
                    entriesRead = x.integer(6);
                }
                g.lastId = to;
                g.entriesRead = entriesRead;
                reply = Resp.OK;
            }
            case "DESTROY" -> {
                if (x.argc() != 4) {
                    throw Reads.wrongArgs("XGROUP");
                }
                if (m == null) {
                    throw new IllegalArgumentException("ERR no such key");
                }
                reply = Resp.integer(m.groups.remove(StreamModel.name(x.arg(3))) != null ? 1 : 0);
            }
            case "CREATECONSUMER" -> {
                if (x.argc() != 5) {
                    throw Reads.wrongArgs("XGROUP");
                }
                StreamModel.Group g = group(m, key, x.arg(3), "XGROUP");
                boolean[] created = new boolean[1];
                g.consumer(x.arg(4), x.now, created);
                reply = Resp.integer(created[0] ? 1 : 0);
            }
            case "DELCONSUMER" -> {
                if (x.argc() != 5) {
                    throw Reads.wrongArgs("XGROUP");
                }
                StreamModel.Group g = group(m, key, x.arg(3), "XGROUP");
                String c = StreamModel.name(x.arg(4));
                long pending = 0;
                if (g.consumers.remove(c) != null) {
                    pending = g.pel.values().stream().filter(n -> c.equals(n.consumer)).count();
                    g.pel.values().removeIf(n -> c.equals(n.consumer));
                }
                reply = Resp.integer(pending);
            }
            default -> throw new IllegalArgumentException("ERR unknown subcommand '" + StreamModel.name(x.arg(1))
                    + "'. Try XGROUP HELP.");
        }
        StreamCommands.save(x, key, old, m);
        x.auto(key);
        return reply;
    }

    private static StreamModel.Group group(StreamModel m, byte[] key, byte[] name, String cmd) {
        StreamModel.Group g = m == null ? null : m.group(name);
        if (g == null) {
            if (m == null) {
                throw new IllegalArgumentException("ERR no such key");
            }
            throw new IllegalArgumentException("NOGROUP No such consumer group '" + StreamModel.name(name)
                    + "' for key name '" + StreamModel.name(key) + "'");
        }
        return g;
    }

    // ------------------------------------------------------------------ XREADGROUP

    private static byte[] xreadgroup(Exec x) {
        if (!x.word(1).equals("GROUP")) {
            throw Exec.syntax();
        }
        byte[] group = x.arg(2);
        byte[] consumer = x.arg(3);
        long count = Long.MAX_VALUE;
        boolean noAck = false;
        int i = 4;
        int streams = -1;
        for (; i < x.argc(); i++) {
            String o = x.word(i);
            if (o.equals("COUNT") && i + 1 < x.argc()) {
                count = x.integer(++i);
                count = count <= 0 ? Long.MAX_VALUE : count;
            } else if (o.equals("BLOCK") && i + 1 < x.argc()) {
                if (x.integer(++i) < 0) {
                    throw new IllegalArgumentException("ERR timeout is negative");
                }
            } else if (o.equals("NOACK")) {
                noAck = true;
            } else if (o.equals("STREAMS")) {
                streams = i + 1;
                break;
            } else {
                throw Exec.syntax();
            }
        }
        int n = streams < 0 ? 0 : x.argc() - streams;
        if (streams < 0 || n == 0 || n % 2 != 0) {
            throw new IllegalArgumentException("ERR Unbalanced 'xreadgroup' list of streams: for each stream key an ID or '>' must be specified.");
        }
        int keys = n / 2;
        List<byte[]> keyList = x.args.subList(streams, streams + keys);
        x.span(keyList);
        // validate every stream and group first: an error changes nothing
        for (int k = 0; k < keys; k++) {
            StreamModel m = StreamCommands.load(x, x.arg(streams + k));
            if (m == null || m.group(group) == null) {
                throw noGroup(x.arg(streams + k), group, "XREADGROUP");
            }
            String idArg = StreamCommands.text(x.arg(streams + keys + k));
            if (!idArg.equals(">")) {
                id(x, streams + keys + k);
            }
        }
        List<byte[]> perKey = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            byte[] key = x.arg(streams + k);
            String idArg = StreamCommands.text(x.arg(streams + keys + k));
            byte[] r = readGroup(x, key, group, consumer, idArg, count, noAck);
            if (r != null) {
                perKey.add(r);
            }
        }
        if (perKey.isEmpty()) {
            return new Out().nullArray().bytes();
        }
        return Resp.array(perKey.toArray(new byte[0][]));
    }

    /** Reads one stream for the group; the {@code [key, entries]} reply, or null when nothing new. */
    private static byte[] readGroup(Exec x, byte[] key, byte[] groupName, byte[] consumerName, String idArg,
                                    long count, boolean noAck) {
        RdbKeyValue old = x.get(key);
        StreamModel m = StreamCommands.load(x, key);
        StreamModel.Group g = m.group(groupName);
        boolean[] created = new boolean[1];
        StreamModel.Consumer c = g.consumer(consumerName, x.now, created);
        c.seenTime = x.now;
        boolean journal = !x.v130();
        if (created[0] && journal) {
            x.journal(key, 1, "XGROUP", "CREATECONSUMER", key, groupName, consumerName);
        }
        Out o = new Out();
        int items = 0;
        if (idArg.equals(">")) {
            List<StreamId> delivered = new ArrayList<>();
            for (Map.Entry<StreamId, List<byte[]>> e : m.entries.tailMap(g.lastId, false).entrySet()) {
                if (delivered.size() >= count) {
                    break;
                }
                delivered.add(e.getKey());
                entry(o, e.getKey(), e.getValue());
                items++;
                m.delivered(g, e.getKey());
                if (!noAck) {
                    g.pel.put(e.getKey(), new StreamModel.Nack(StreamModel.name(consumerName), x.now, 1));
                }
            }
            if (!delivered.isEmpty()) {
                c.activeTime = x.now;
            }
            StreamCommands.save(x, key, old, m);
            if (journal && !delivered.isEmpty()) {
                if (!noAck) {
                    for (StreamId id : delivered) {
                        x.journal(key, 1, "XCLAIM", key, groupName, consumerName, "0", id.toString(), "TIME", x.now,
                                "RETRYCOUNT", "1", "FORCE", "JUSTID", "LASTID", id.toString());
                    }
                }
                x.journal(key, 1, "XGROUP", "SETID", key, groupName, delivered.get(delivered.size() - 1).toString(),
                        "ENTRIESREAD", g.entriesRead);
            }
            if (items == 0) {
                return null;
            }
        } else {
            StreamId from = StreamIds.id(idArg, 0);
            String cname = StreamModel.name(consumerName);
            for (Map.Entry<StreamId, StreamModel.Nack> p : g.pel.tailMap(from, false).entrySet()) {
                if (items >= count) {
                    break;
                }
                if (!cname.equals(p.getValue().consumer)) {
                    continue;
                }
                List<byte[]> fields = m.entries.get(p.getKey());
                if (fields == null) {
                    o.array(2).bulk(p.getKey().toString()).nil();
                } else {
                    entry(o, p.getKey(), fields);
                }
                items++;
            }
            StreamCommands.save(x, key, old, m);
        }
        byte[] head = new Out().array(2).bulk(key).array(items).bytes();
        byte[] body = o.bytes();
        byte[] r = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, r, head.length, body.length);
        return r;
    }

    private static void entry(Out o, StreamId id, List<byte[]> fields) {
        o.array(2).bulk(id.toString()).array(fields.size());
        for (byte[] f : fields) {
            o.bulk(f);
        }
    }

    // ------------------------------------------------------------------ XACK, XCLAIM, XAUTOCLAIM

    private static byte[] xack(Exec x) {
        List<StreamId> ids = new ArrayList<>();
        for (int i = 3; i < x.argc(); i++) {
            ids.add(id(x, i));
        }
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        StreamModel m = StreamCommands.load(x, key);
        StreamModel.Group g = m == null ? null : m.group(x.arg(2));
        if (g == null) {
            return Resp.integer(0);
        }
        int n = 0;
        for (StreamId id : ids) {
            n += g.pel.remove(id) != null ? 1 : 0;
        }
        StreamCommands.save(x, key, old, m);
        x.auto();
        return Resp.integer(n);
    }

    private static byte[] xclaim(Exec x) {
        byte[] key = x.arg(1);
        long minIdle = x.integer(4);
        List<StreamId> ids = new ArrayList<>();
        int i = 5;
        for (; i < x.argc(); i++) {
            String t = StreamCommands.text(x.arg(i));
            if (t.isEmpty() || !Character.isDigit(t.charAt(0))) {
                break;
            }
            ids.add(id(x, i));
        }
        long deliveryTime = x.now;
        Long retryCount = null;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = null;
        for (; i < x.argc(); i++) {
            String o = x.word(i);
            boolean value = i + 1 < x.argc();
            switch (o) {
                case "IDLE" -> {
                    if (!value) {
                        throw Exec.syntax();
                    }
                    deliveryTime = x.now - x.integer(++i);
                }
                case "TIME" -> {
                    if (!value) {
                        throw Exec.syntax();
                    }
                    deliveryTime = x.integer(++i);
                }
                case "RETRYCOUNT" -> {
                    if (!value) {
                        throw Exec.syntax();
                    }
                    retryCount = x.integer(++i);
                }
                case "FORCE" -> force = true;
                case "JUSTID" -> justId = true;
                case "LASTID" -> {
                    if (!value) {
                        throw Exec.syntax();
                    }
                    lastId = id(x, ++i);
                }
                default -> throw new IllegalArgumentException("ERR Unrecognized XCLAIM option '"
                        + StreamModel.name(x.arg(i)) + "'");
            }
        }
        RdbKeyValue old = x.get(key);
        StreamModel m = StreamCommands.load(x, key);
        StreamModel.Group g = m == null ? null : m.group(x.arg(2));
        if (g == null) {
            throw noGroup(key, x.arg(2), "XCLAIM");
        }
        StreamModel.Consumer c = g.consumer(x.arg(3), x.now, null);
        c.seenTime = x.now;
        String cname = StreamModel.name(x.arg(3));
        if (lastId != null && lastId.compareTo(g.lastId) > 0) {
            g.lastId = lastId;
        }
        Out o = new Out();
        int items = 0;
        for (StreamId id : ids) {
            StreamModel.Nack nack = g.pel.get(id);
            if (nack == null && force && m.entries.containsKey(id)) {
                nack = new StreamModel.Nack(cname, x.now, 0);
                g.pel.put(id, nack);
            }
            if (nack == null) {
                continue;
            }
            if (minIdle > 0 && x.now - nack.deliveryTime < minIdle) {
                continue;
            }
            List<byte[]> fields = m.entries.get(id);
            if (fields == null) {
                g.pel.remove(id);
                continue;
            }
            nack.consumer = cname;
            nack.deliveryTime = deliveryTime;
            if (retryCount != null) {
                nack.deliveryCount = retryCount;
            } else if (!justId) {
                nack.deliveryCount++;
            }
            c.activeTime = x.now;
            if (justId) {
                o.bulk(id.toString());
            } else {
                entry(o, id, fields);
            }
            items++;
        }
        StreamCommands.save(x, key, old, m);
        x.auto();
        byte[] head = new Out().array(items).bytes();
        byte[] body = o.bytes();
        byte[] r = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, r, head.length, body.length);
        return r;
    }

    private static byte[] xautoclaim(Exec x) {
        byte[] key = x.arg(1);
        long minIdle = x.integer(4);
        StreamId start = StreamIds.id(StreamCommands.text(x.arg(5)), 0);
        long count = 100;
        boolean justId = false;
        for (int i = 6; i < x.argc(); i++) {
            String o = x.word(i);
            if (o.equals("COUNT") && i + 1 < x.argc()) {
                count = x.integer(++i);
                if (count < 1) {
                    throw new IllegalArgumentException("ERR COUNT must be > 0");
                }
            } else if (o.equals("JUSTID")) {
                justId = true;
            } else {
                throw Exec.syntax();
            }
        }
        RdbKeyValue old = x.get(key);
        StreamModel m = StreamCommands.load(x, key);
        StreamModel.Group g = m == null ? null : m.group(x.arg(2));
        if (g == null) {
            throw noGroup(key, x.arg(2), "XAUTOCLAIM");
        }
        StreamModel.Consumer c = g.consumer(x.arg(3), x.now, null);
        c.seenTime = x.now;
        String cname = StreamModel.name(x.arg(3));
        Out claimed = new Out();
        int nClaimed = 0;
        List<StreamId> deleted = new ArrayList<>();
        StreamId next = StreamId.ZERO;
        long attempts = count * 10;
        Map<StreamId, StreamModel.Nack> scan = new LinkedHashMap<>(g.pel.tailMap(start, true));
        for (Map.Entry<StreamId, StreamModel.Nack> e : scan.entrySet()) {
            if (nClaimed + deleted.size() >= count || attempts-- == 0) {
                next = e.getKey();
                break;
            }
            StreamModel.Nack nack = e.getValue();
            if (minIdle > 0 && x.now - nack.deliveryTime < minIdle) {
                continue;
            }
            List<byte[]> fields = m.entries.get(e.getKey());
            if (fields == null) {
                g.pel.remove(e.getKey());
                deleted.add(e.getKey());
                continue;
            }
            nack.consumer = cname;
            nack.deliveryTime = x.now;
            if (!justId) {
                nack.deliveryCount++;
            }
            c.activeTime = x.now;
            if (justId) {
                claimed.bulk(e.getKey().toString());
            } else {
                entry(claimed, e.getKey(), fields);
            }
            nClaimed++;
        }
        StreamCommands.save(x, key, old, m);
        x.auto();
        Out o = new Out().array(3).bulk(next.toString()).array(nClaimed);
        byte[] head = o.bytes();
        byte[] body = claimed.bytes();
        Out tail = new Out().array(deleted.size());
        for (StreamId d : deleted) {
            tail.bulk(d.toString());
        }
        byte[] t = tail.bytes();
        byte[] r = java.util.Arrays.copyOf(head, head.length + body.length + t.length);
        System.arraycopy(body, 0, r, head.length, body.length);
        System.arraycopy(t, 0, r, head.length + body.length, t.length);
        return r;
    }
}
