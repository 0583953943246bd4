package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.StreamId;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stream entry commands as Dragonfly executes and journals them ({@code stream_family.cc}):
 * {@code XADD} with the id made explicit ({@code *} and {@code ms-*} resolved), and, when it
 * trims by {@code MAXLEN} or approximately, as {@code XADD key MINID <new first id> … id …}
 * ({@code MAXLEN 0} when the stream ended up empty); {@code XTRIM} by {@code MAXLEN} or
 * approximately as {@code XTRIM key MINID <first id>} (or {@code MAXLEN 0}); an exact
 * {@code XTRIM … MINID}, {@code XDEL} and {@code XSETID} as received. Consumer groups:
 * {@link StreamGroupCommands}.
 */
final class StreamCommands {
    static final String BAD_ID = "ERR Invalid stream ID specified as stream command argument";

    private StreamCommands() {
    }

    static void register(Commands.Table t) {
        t.add("XADD", -5, StreamCommands::xadd);
        t.add("XTRIM", -4, StreamCommands::xtrim);
        t.add("XDEL", -3, StreamCommands::xdel);
        t.add("XSETID", -3, StreamCommands::xsetid);
        StreamGroupCommands.register(t);
    }

    /** Loads the stream at {@code key} (null when absent; WRONGTYPE for another type). */
    static StreamModel load(Exec x, byte[] key) {
        RdbValue.StreamValue v = x.get(key, RdbValue.StreamValue.class);
        return v == null ? null : StreamModel.of(v);
    }

    static void save(Exec x, byte[] key, RdbKeyValue old, StreamModel m) {
        x.update(key, old, m.value());
    }

    /** Trim options: MAXLEN or MINID, exact or approximate, with a LIMIT. */
    record Trim(boolean maxLen, boolean approx, long threshold, StreamId minId, long limit) {
        /** Whether Dragonfly journals the trim as an exact MINID ({@code JournalAsMinId}). */
        boolean asMinId() {
            return approx || maxLen;
        }

        long apply(StreamModel m) {
            return maxLen ? m.trimMaxLen(threshold, approx, limit) : m.trimMinId(minId, approx, limit);
        }
    }

    /** Parses a trim strategy at {@code i}; returns the index after it. */
    static int trim(Exec x, int i, Trim[] out) {
        boolean maxLen = x.word(i).equals("MAXLEN");
        i++;
        boolean approx = false;
        if (i < x.argc() && (x.word(i).equals("~") || x.word(i).equals("="))) {
            approx = x.word(i).equals("~");
            i++;
        }
        if (i >= x.argc()) {
            throw Exec.syntax();
        }
        long threshold = 0;
        StreamId minId = null;
        if (maxLen) {
            threshold = x.integer(i);
            if (threshold < 0) {
                throw new IllegalArgumentException("ERR The MAXLEN argument must be >= 0.");
            }
        } else {
            minId = StreamIds.id(text(x.arg(i)), 0);
        }
        i++;
        long limit = 0;
        if (i + 1 < x.argc() && x.word(i).equals("LIMIT")) {
            if (!approx) {
                throw new IllegalArgumentException("ERR syntax error, LIMIT cannot be used without the special ~ option");
            }
            limit = x.integer(i + 1);
            i += 2;
        }
        out[0] = new Trim(maxLen, approx, threshold, minId, limit);
        return i;
    }

    private static byte[] xadd(Exec x) {
        byte[] key = x.arg(1);
        boolean noMkStream = false;
        Trim[] trim = new Trim[1];
        int i = 2;
        while (i < x.argc()) {
            String o = x.word(i);
            if (o.equals("NOMKSTREAM")) {
                noMkStream = true;
                i++;
            } else if (o.equals("MAXLEN") || o.equals("MINID")) {
                i = trim(x, i, trim);
            } else {
                break;
            }
        }
        int idAt = i;
        if (idAt >= x.argc() || (x.argc() - idAt - 1) == 0 || (x.argc() - idAt - 1) % 2 != 0) {
            throw Reads.wrongArgs("XADD");
        }
        String idArg = text(x.arg(idAt));
        RdbKeyValue old = x.get(key);
        StreamModel m = load(x, key);
        if (m == null) {
            if (noMkStream) {
                return Resp.bulk((byte[]) null);
            }
            m = new StreamModel();
        }
        StreamId id = nextId(m, idArg, x.now);
        List<byte[]> fields = new ArrayList<>(x.args.subList(idAt + 1, x.argc()));
        m.entries.put(id, fields);
        m.lastId = id;
        m.entriesAdded++;
        if (trim[0] != null) {
            trim[0].apply(m);
        }
        save(x, key, old, m);
        byte[] idBytes = id.toString().getBytes(StandardCharsets.US_ASCII);
        if (trim[0] != null && (m.entries.isEmpty() || trim[0].asMinId())) {
            List<byte[]> j = new ArrayList<>();
            j.add(key);
            if (m.entries.isEmpty()) {
                j.add(Exec.b("MAXLEN"));
                j.add(Exec.b("0"));
            } else {
                j.add(Exec.b("MINID"));
                j.add(Exec.b(m.firstId().toString()));
            }
            if (noMkStream) {
                j.add(Exec.b("NOMKSTREAM"));
            }
            j.add(idBytes);
            j.addAll(fields);
            x.journal(key, 1, "XADD", j);
        } else {
            List<byte[]> j = new ArrayList<>(x.args.subList(1, x.argc()));
            j.set(idAt - 1, idBytes);
            x.journal(key, 1, "XADD", j);
        }
        return Resp.bulk(idBytes);
    }

    /** The id an XADD gets: {@code *}, {@code ms-*}, {@code ms} or {@code ms-seq}, above the stream's last id. */
    private static StreamId nextId(StreamModel m, String arg, long now) {
        StreamId last = m.lastId;
        StreamId id;
        if (arg.equals("*")) {
            long ms = Math.max(now, last.ms());
            if (ms == last.ms()) {
                if (last.seq() == -1L) {
                    throw new IllegalArgumentException("ERR The stream has exhausted the last possible ID, unable to add more items");
                }
                id = new StreamId(ms, last.seq() + 1);
            } else {
                id = new StreamId(ms, 0);
            }
            return id;
        }
        if (arg.endsWith("-*")) {
            long ms;
            try {
                ms = Long.parseUnsignedLong(arg.substring(0, arg.length() - 2));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(BAD_ID);
            }
            id = ms == last.ms() ? new StreamId(ms, last.seq() + 1) : new StreamId(ms, 0);
        } else {
            id = StreamIds.id(arg, 0);
        }
        if (id.equals(StreamId.ZERO)) {
            throw new IllegalArgumentException("ERR The ID specified in XADD must be greater than 0-0");
        }
        if (id.compareTo(last) <= 0) {
            throw new IllegalArgumentException("ERR The ID specified in XADD is equal or smaller than the target stream top item");
        }
        return id;
    }

    private static byte[] xtrim(Exec x) {
        byte[] key = x.arg(1);
        String o = x.word(2);
        if (!o.equals("MAXLEN") && !o.equals("MINID")) {
            throw Exec.syntax();
        }
        Trim[] trim = new Trim[1];
        int end = trim(x, 2, trim);
        if (end != x.argc()) {
            throw Exec.syntax();
        }
        RdbKeyValue old = x.get(key);
        StreamModel m = load(x, key);
        if (m == null) {
            if (!trim[0].asMinId()) {
                x.auto();
            }
            return Resp.integer(0);
        }
        long n = trim[0].apply(m);
        save(x, key, old, m);
        if (!trim[0].asMinId()) {
            x.auto();
        } else if (m.entries.isEmpty()) {
            x.journal(key, 1, "XTRIM", key, "MAXLEN", "0");
        } else {
            x.journal(key, 1, "XTRIM", key, "MINID", m.firstId().toString());
        }
        return Resp.integer(n);
    }

    private static byte[] xdel(Exec x) {
        List<StreamId> ids = new ArrayList<>();
        for (int i = 2; i < x.argc(); i++) {
            ids.add(StreamIds.id(text(x.arg(i)), 0));
        }
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        StreamModel m = load(x, key);
        if (m == null) {
            return Resp.integer(0);
        }
        int n = 0;
        for (StreamId id : ids) {
            if (m.entries.remove(id) != null) {
                n++;
                if (id.compareTo(m.maxDeletedId) > 0) {
                    m.maxDeletedId = id;
                }
            }
        }
        save(x, key, old, m);
        x.auto();
        return Resp.integer(n);
    }

    private static byte[] xsetid(Exec x) {
        byte[] key = x.arg(1);
        StreamId id = StreamIds.id(text(x.arg(2)), 0);
        Long added = null;
        StreamId maxDeleted = null;
        for (int i = 3; i < x.argc(); i += 2) {
            if (i + 1 >= x.argc()) {
                throw Exec.syntax();
            }
            switch (x.word(i)) {
                case "ENTRIESADDED" -> {
                    added = x.integer(i + 1);
                    if (added < 0) {
                        throw new IllegalArgumentException("ERR entries_added must be positive");
                    }
                }
                case "MAXDELETEDID" -> maxDeleted = StreamIds.id(text(x.arg(i + 1)), 0);
                default -> throw Exec.syntax();
            }
        }
        RdbKeyValue old = x.get(key);
        StreamModel m = load(x, key);
        if (m == null) {
            throw new IllegalArgumentException("ERR no such key");
        }
        if (!m.entries.isEmpty() && id.compareTo(m.entries.lastKey()) < 0) {
            throw new IllegalArgumentException("ERR The ID specified in XSETID is smaller than the target stream top item");
        }
        if (added != null && added < m.entries.size()) {
            throw new IllegalArgumentException("ERR The entries_added specified in XSETID is smaller than the target stream length");
        }
        m.lastId = id;
        if (added != null) {
            m.entriesAdded = added;
        }
        if (maxDeleted != null) {
            m.maxDeletedId = maxDeleted;
        }
        save(x, key, old, m);
        x.auto();
        return Resp.OK;
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
