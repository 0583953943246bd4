package io.df2redis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.rdb.ValueBatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares an embedded master's keyspace with a capture's {@code expected.json} (the real
 * master's keyspace read back after the capture), key by key, with the capture comparison's
 * normalisations (clock-derived expiry times and stream ids). Bloom filters are compared by
 * their counts only: the embedded master places bits with another hash than Dragonfly's.
 * Stream delivery and consumer times are compared as clock readings.
 */
final class ExpectedKeyspace {
    private ExpectedKeyspace() {
    }

    static List<String> compare(JsonNode expected, EmbeddedDragonflyMaster m, CapturedJournal.Comparison cmp) {
        List<String> diff = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, JsonNode> db : iterable(expected)) {
            int n = Integer.parseInt(db.getKey());
            for (Map.Entry<String, JsonNode> k : iterable(db.getValue())) {
                seen.add(n + ":" + k.getKey());
                RdbKeyValue kv = m.get(n, k.getKey()).orElse(null);
                String why = kv == null ? "missing" : differs(k.getValue(), kv, cmp);
                if (why != null) {
                    diff.add("db " + n + " key " + k.getKey() + ": " + why);
                }
            }
        }
        for (int db : m.dbs()) {
            for (RdbKeyValue kv : m.entries(db)) {
                String k = db + ":" + new String(kv.key(), StandardCharsets.UTF_8);
                if (!seen.contains(k)) {
                    diff.add("unexpected key " + k);
                }
            }
        }
        return diff;
    }

    private static String differs(JsonNode e, RdbKeyValue kv, CapturedJournal.Comparison cmp) {
        JsonNode exp = e.path("expire_at_ms");
        if (exp.isNull() != (kv.expireAtMs() < 0)
                || (!exp.isNull() && exp.asLong() != kv.expireAtMs() && !cmp.clockLike(exp.asLong(), kv.expireAtMs()))) {
            return "expiry " + exp + " vs " + kv.expireAtMs();
        }
        if (e.path("sticky").asBoolean(false) != ((kv.dfMask() & 1) != 0)) {
            return "sticky flag";
        }
        String type = e.path("type").asText();
        RdbValue v = kv.value();
        return switch (type) {
            case "string" -> v instanceof RdbValue.StringValue s
                    && Arrays.equals(CapturedJournal.bytes(e.path("value")), s.bytes()) ? null : "string value";
            case "list" -> v instanceof RdbValue.ListValue l && texts(e.path("value")).equals(texts(l.elements()))
                    ? null : "list value";
            case "set" -> v instanceof RdbValue.SetValue s ? set(e, s, cmp) : "type";
            case "hash" -> v instanceof RdbValue.HashValue h ? hash(e, h, cmp) : "type";
            case "zset" -> v instanceof RdbValue.ZSetValue z ? zset(e, z) : "type";
            case "stream" -> v instanceof RdbValue.StreamValue s ? stream(e.path("value"), s, cmp) : "type";
            case "ReJSON-RL" -> v instanceof RdbValue.JsonValue j && e.path("value").equals(json(j.text()))
                    ? null : "document";
            case "MBbloom--" -> v instanceof RdbValue.BloomValue b ? bloom(e, b) : "type";
            default -> "type " + type + " not compared";
        };
    }

    private static String set(JsonNode e, RdbValue.SetValue s, CapturedJournal.Comparison cmp) {
        List<String> want = texts(e.path("value"));
        List<String> got = texts(s.members());
        want.sort(null);
        got.sort(null);
        if (!want.equals(got)) {
            return "members " + want + " vs " + got;
        }
        for (Map.Entry<String, JsonNode> x : iterable(e.path("member_expire_at_s"))) {
            long at = s.expireAtSeconds()[texts(s.members()).indexOf(x.getKey())];
            if (!cmp.clockLike(x.getValue().asLong() * 1000, at * 1000)) {
                return "member expiry of " + x.getKey();
            }
        }
        return null;
    }

    private static String hash(JsonNode e, RdbValue.HashValue h, CapturedJournal.Comparison cmp) {
        Map<String, String> want = new TreeMap<>();
        for (Map.Entry<String, JsonNode> f : iterable(e.path("value"))) {
            want.put(f.getKey(), new String(CapturedJournal.bytes(f.getValue()), StandardCharsets.UTF_8));
        }
        Map<String, String> got = new TreeMap<>();
        for (int i = 0; i < h.fields().size(); i++) {
            got.put(text(h.fields().get(i)), text(h.values().get(i)));
        }
        if (!want.equals(got)) {
            return "fields " + want + " vs " + got;
        }
        for (Map.Entry<String, JsonNode> x : iterable(e.path("field_expire_at_s"))) {
            long at = h.expireAtMillis()[texts(h.fields()).indexOf(x.getKey())];
            if (!cmp.clockLike(x.getValue().asLong() * 1000, at)) {
                return "field expiry of " + x.getKey();
            }
        }
        return null;
    }

    private static String zset(JsonNode e, RdbValue.ZSetValue z) {
        List<String> want = new ArrayList<>();
        for (JsonNode p : e.path("value")) {
            want.add(text(CapturedJournal.bytes(p.get(0))) + "=" + p.get(1).asDouble());
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < z.members().size(); i++) {
            got.add(text(z.members().get(i)) + "=" + z.scores()[i]);
        }
        return want.equals(got) ? null : "members " + want + " vs " + got;
    }

    private static String bloom(JsonNode e, RdbValue.BloomValue b) {
        JsonNode info = e.path("info");
        if (info.isMissingNode()) {
            return null;
        }
        long items = b.prevSize() + b.currentSize();
        if (info.path("Number of items inserted").asLong() != items
                || info.path("Number of filters").asLong() != b.filters().size()
                || info.path("Capacity").asLong() != b.maxCapacity()) {
            return "bloom filter counts " + info + " vs items " + items + ", filters " + b.filters().size()
                    + ", capacity " + b.maxCapacity();
        }
        return null;
    }

    private static String stream(JsonNode e, RdbValue.StreamValue s, CapturedJournal.Comparison cmp) {
        List<String> why = new ArrayList<>();
        check(why, "length", e.path("length").asLong(), s.length());
        check(why, "last id", id(cmp, e.path("last-generated-id").asText()), s.lastId().toString());
        check(why, "first id", id(cmp, e.path("recorded-first-entry-id").asText()), s.firstId().toString());
        check(why, "max deleted id", id(cmp, e.path("max-deleted-entry-id").asText()), s.maxDeletedId().toString());
        check(why, "entries added", e.path("entries-added").asLong(), s.entriesAdded());
        List<String> want = new ArrayList<>();
        for (JsonNode x : e.path("entries")) {
            StringBuilder sb = new StringBuilder(id(cmp, x.get(0).asText()));
            for (Map.Entry<String, JsonNode> f : iterable(x.get(1))) {
                sb.append(' ').append(f.getKey()).append('=').append(text(CapturedJournal.bytes(f.getValue())));
            }
            want.add(sb.toString());
        }
        List<String> got = new ArrayList<>();
        for (RdbValue.StreamItem x : s.entries()) {
            if (!x.deleted()) {
                StringBuilder sb = new StringBuilder(x.id().toString());
                for (int i = 0; i < x.fieldsAndValues().size(); i += 2) {
                    sb.append(' ').append(text(x.fieldsAndValues().get(i))).append('=')
                            .append(text(x.fieldsAndValues().get(i + 1)));
                }
                got.add(sb.toString());
            }
        }
        check(why, "entries", want, got);
        List<String> wantGroups = new ArrayList<>();
        for (JsonNode g : e.path("groups")) {
            // the capture's reader wrote an unknown entries-read (XINFO's nil, -1 inside) as 0
            long read = g.path("entries-read").asLong();
            StringBuilder sb = new StringBuilder(g.path("name").asText()).append(" last=")
                    .append(id(cmp, g.path("last-delivered-id").asText())).append(" read=")
                    .append(read == 0 ? "0|-1" : Long.toString(read)).append(" pending=");
            for (JsonNode p : g.path("pending")) {
                sb.append(id(cmp, p.get(0).asText())).append('@').append(p.get(1).asText()).append('#')
                        .append(p.get(2).asLong()).append(',');
            }
            sb.append(" consumers=").append(texts(g.path("consumers")));
            wantGroups.add(sb.toString());
        }
        List<String> gotGroups = new ArrayList<>();
        for (RdbValue.StreamGroup g : s.groups()) {
            long read = g.entriesRead();
            StringBuilder sb = new StringBuilder(text(g.name())).append(" last=").append(g.lastDeliveredId())
                    .append(" read=").append(read == 0 || read == -1 ? "0|-1" : Long.toString(read)).append(" pending=");
            for (ValueBatch.PendingEntry p : g.pending()) {
                sb.append(p.id()).append('@').append(owner(g, p.id())).append('#').append(p.deliveryCount()).append(',');
            }
            List<String> consumers = new ArrayList<>();
            g.consumers().forEach(c -> consumers.add(text(c.name())));
            consumers.sort(null);
            sb.append(" consumers=").append(consumers);
            gotGroups.add(sb.toString());
        }
        check(why, "groups", wantGroups, gotGroups);
        return why.isEmpty() ? null : String.join("; ", why);
    }

    private static String owner(RdbValue.StreamGroup g, StreamId id) {
        for (RdbValue.StreamConsumer c : g.consumers()) {
            if (c.pending().contains(id)) {
                return text(c.name());
            }
        }
        return "?";
    }

    private static String id(CapturedJournal.Comparison cmp, String captured) {
        return cmp.streamIds.getOrDefault(captured, captured);
    }

    private static void check(List<String> why, String what, Object want, Object got) {
        if (!want.equals(got)) {
            why.add(what + " " + want + " vs " + got);
        }
    }

    private static JsonNode json(byte[] text) {
        try {
            return Vectors.JSON.readTree(text);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static List<String> texts(JsonNode arr) {
        List<String> out = new ArrayList<>();
        for (JsonNode x : arr) {
            out.add(x.isTextual() ? x.asText() : text(CapturedJournal.bytes(x)));
        }
        return out;
    }

    private static List<String> texts(List<byte[]> l) {
        List<String> out = new ArrayList<>();
        l.forEach(b -> out.add(text(b)));
        return out;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode n) {
        return n::fields;
    }
}
