package io.df2redis.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The journal entries of a flow (decoded.json of a capture, or a test replica's recorder
 * output in the same shape) and their comparison, entry by entry, with the normalisations a
 * replay on another day cannot avoid: transaction ids (mapped one to one, zero to zero), times
 * derived from the clock (equal after the shift between the two runs, within a tolerance),
 * stream ids generated from the clock (mapped one to one at their {@code XADD}), the member a
 * random {@code SPOP} took (substituted), and the order of the members a {@code *STORE} wrote
 * (compared as sets: it is hash-table order on the master).
 */
final class CapturedJournal {
    /** One journal entry (SELECT and LSN records are not entries). */
    record Entry(String op, int db, long txid, long shardCnt, List<byte[]> args) {
        String name() {
            return args.isEmpty() ? "" : text(args.get(0)).toUpperCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(op).append(" db=").append(db).append(" tx=").append(txid)
                    .append(" sc=").append(shardCnt);
            for (byte[] a : args) {
                String t = text(a);
                sb.append(' ').append(a.length > 40 ? t.substring(0, Math.min(t.length(), 20)) + "…(" + a.length + "B)" : t);
            }
            return sb.toString();
        }
    }

    private CapturedJournal() {
    }

    /** The journal entries of a flow's records: every JOURNAL_BLOB entry, then the stable journal. */
    static List<Entry> entries(JsonNode records) {
        List<JsonNode> flat = new ArrayList<>();
        flatten(records, flat);
        List<Entry> out = new ArrayList<>();
        boolean stable = false;
        for (JsonNode r : flat) {
            String op = r.path("op").asText();
            if (op.equals("JOURNAL_BLOB")) {
                for (JsonNode e : r.path("entries")) {
                    add(out, e);
                }
            } else if (op.equals("EOF_TOKEN")) {
                stable = true;
            } else if (stable) {
                add(out, r);
            }
        }
        return out;
    }

    private static void flatten(JsonNode records, List<JsonNode> out) {
        for (JsonNode r : records) {
            out.add(r);
            if (r.has("records")) {
                flatten(r.path("records"), out);
            }
        }
    }

    private static void add(List<Entry> out, JsonNode e) {
        String op = e.path("op").asText();
        if (op.equals("SELECT") || op.equals("LSN")) {
            return;
        }
        List<byte[]> args = new ArrayList<>();
        for (JsonNode a : e.path("args")) {
            args.add(bytes(a));
        }
        out.add(new Entry(op, e.path("db").asInt(), e.path("txid").asLong(), e.path("shard_cnt").asLong(), args));
    }

    static byte[] bytes(JsonNode a) {
        if (a.has("utf8")) {
            return a.path("utf8").asText().getBytes(StandardCharsets.UTF_8);
        }
        if (a.has("b64")) {
            return Base64.getDecoder().decode(a.path("b64").asText());
        }
        return HexFormat.of().parseHex(a.path("hex").asText());
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Compares a capture with a replay; collects every difference. */
    static final class Comparison {
        /** Milliseconds the replay ran after the capture (both runs' full-sync start). */
        final long shift;
        /** How far two clock-derived times may stray from {@link #shift}. */
        final long tolerance;
        final Map<Long, Long> txids = new HashMap<>();
        final Map<Long, Long> txidsBack = new HashMap<>();
        final Map<String, String> streamIds = new HashMap<>();
        /** "flow:entry index" → the member the real master's random SPOP took (the SREM it was journaled as). */
        final Map<String, byte[]> popped = new HashMap<>();
        final List<String> differences = new ArrayList<>();

        Comparison(long shift, long tolerance) {
            this.shift = shift;
            this.tolerance = tolerance;
        }

        void flow(int flow, List<Entry> captured, List<Entry> replayed) {
            int n = Math.max(captured.size(), replayed.size());
            for (int i = 0; i < n; i++) {
                Entry c = i < captured.size() ? captured.get(i) : null;
                Entry r = i < replayed.size() ? replayed.get(i) : null;
                byte[] pop = popped.get(flow + ":" + i);
                if (r != null && pop != null && r.name().equals("SREM") && r.args().size() == 3) {
                    r = new Entry(r.op(), r.db(), r.txid(), r.shardCnt(), List.of(r.args().get(0), r.args().get(1), pop));
                }
                String why = c == null || r == null ? "missing entry" : differs(c, r);
                if (why != null) {
                    differences.add("flow " + flow + " entry " + i + ": " + why + "\n    captured: " + c
                            + "\n    replayed: " + r);
                }
            }
        }

        /** Null when equal after normalisation, else why not. */
        String differs(Entry c, Entry r) {
            if (!c.op().equals(r.op()) || c.db() != r.db() || c.shardCnt() != r.shardCnt()) {
                return "opcode, db or shard_cnt";
            }
            if (!sameTxid(c.txid(), r.txid())) {
                return "txid";
            }
            if (c.args().size() != r.args().size() || !c.name().equals(r.name())) {
                return "command";
            }
            String name = c.name();
            if ((name.equals("SADD") || name.equals("ZADD")) && c.txid() != 0) {
                return asSet(c, r, name.equals("ZADD") ? 2 : 1) ? null : "members";
            }
            for (int i = 1; i < c.args().size(); i++) {
                String ca = text(c.args().get(i));
                String ra = text(r.args().get(i));
                if (!sameArg(name, i, ca, ra, c.args().get(i), r.args().get(i))) {
                    return "argument " + i;
                }
            }
            return null;
        }

        private boolean sameTxid(long c, long r) {
            if ((c == 0) != (r == 0)) {
                return false;
            }
            Long seen = txids.putIfAbsent(c, r);
            Long back = txidsBack.putIfAbsent(r, c);
            return (seen == null || seen == r) && (back == null || back == c);
        }

        private boolean sameArg(String name, int i, String ca, String ra, byte[] cb, byte[] rb) {
            if (Arrays.equals(cb, rb)) {
                return true;
            }
            if (streamIds.containsKey(ca)) {
                return streamIds.get(ca).equals(ra);
            }
            long[] cid = streamId(ca);
            long[] rid = streamId(ra);
            if (name.equals("XADD") && cid != null && rid != null && clockLike(cid[0], rid[0])) {
                streamIds.put(ca, ra);
                return true;
            }
            Long cn = number(ca);
            Long rn = number(ra);
            return cn != null && rn != null && clockLike(cn, rn);
        }

        /** Both values are millisecond clock readings, apart by the runs' shift. */
        boolean clockLike(long captured, long replayed) {
            return captured > 1_000_000_000_000L && Math.abs(replayed - captured - shift) <= tolerance;
        }

        private static boolean asSet(Entry c, Entry r, int group) {
            List<String> a = groups(c, group);
            List<String> b = groups(r, group);
            a.sort(null);
            b.sort(null);
            return text(c.args().get(1)).equals(text(r.args().get(1))) && a.equals(b);
        }

        private static List<String> groups(Entry e, int group) {
            List<String> out = new ArrayList<>();
            for (int i = 2; i + group - 1 < e.args().size(); i += group) {
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < group; k++) {
                    sb.append(text(e.args().get(i + k))).append('\u0000');
                }
                out.add(sb.toString());
            }
            return out;
        }

        static long[] streamId(String s) {
            int dash = s.indexOf('-');
            if (dash <= 0) {
                return null;
            }
            Long ms = number(s.substring(0, dash));
            Long seq = number(s.substring(dash + 1));
            return ms == null || seq == null ? null : new long[] {ms, seq};
        }

        static Long number(String s) {
            if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(Character::isDigit)) {
                return null;
            }
            return Long.parseLong(s);
        }
    }
}
