package io.df2redis.tools.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import io.df2redis.protocol.journal.JournalDecoder;
import io.df2redis.protocol.rdb.RdbDecoder;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every flow of every real Dragonfly capture (v1.40.1, v1.30.3) decodes record by record to
 * the reference decoding in its decoded.json, and to the same records however the bytes are
 * split.
 */
class DragonflyCaptureDecodeTest {
    private static final Set<String> SET_TYPES = Set.of("SET", "SET_INTSET", "SET_WITH_EXPIRY", "SET_LISTPACK");

    static Stream<Arguments> flows() {
        List<Arguments> out = new ArrayList<>();
        Path root = Vectors.root().resolve("dragonfly");
        for (Path dir : Vectors.dragonflyCases()) {
            JsonNode hs = Vectors.json(dir, "handshake.json");
            for (JsonNode f : hs.get("flows")) {
                out.add(Arguments.of(root.relativize(dir) + " flow " + f.get("flow").asInt(), dir,
                        f.get("flow").asInt()));
            }
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(20);
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void decodesLikeTheReference(String name, Path dir, int flow) {
        JsonNode hs = Vectors.json(dir, "handshake.json");
        JsonNode hf = hs.get("flows").get(flow);
        JsonNode ref = Vectors.json(dir, "decoded.json").get("flows").get(flow);
        byte[] bin = Vectors.read(dir, hf.get("file").asText());
        assertThat(bin.length).isEqualTo(hf.get("bytes").asInt());

        Map<String, Object> whole = decode(hf, bin, new int[] {bin.length}, 0);
        JsonCompare cmp = new JsonCompare();
        compareFlow(cmp, ref, Vectors.toTree(whole));
        assertThat(cmp.problems()).as(name).isEmpty();

        // the same bytes in odd-sized and random pieces decode to the identical records
        JsonNode reference = Vectors.toTree(whole);
        assertThat(Vectors.toTree(decode(hf, bin, new int[] {1, 7, 3, 13, 64, 2, 1023, 5}, 0)))
                .isEqualTo(reference);
        assertThat(Vectors.toTree(decode(hf, bin, null, name.hashCode()))).isEqualTo(reference);
    }

    /** Decodes one flow fed in pieces of the given sizes (cycled), or random sizes when null. */
    static Map<String, Object> decode(JsonNode hf, byte[] bin, int[] sizes, long seed) {
        FlowRecorder rec = new FlowRecorder(Long.MAX_VALUE, false);
        String kind = hf.get("kind").asText();
        Random rnd = new Random(seed);
        if (kind.equals("PARTIAL")) {
            JournalDecoder j = new JournalDecoder(rec);
            j.nextLsn(hf.get("requested_lsn").asLong());
            io.netty.buffer.ByteBuf cum = Unpooled.buffer();
            int pos = 0;
            int i = 0;
            while (pos < bin.length) {
                int n = Math.min(bin.length - pos, sizes == null ? 1 + rnd.nextInt(300) : sizes[i++ % sizes.length]);
                cum.writeBytes(bin, pos, n);
                pos += n;
                j.decode(cum);
                cum.discardReadBytes();
            }
            j.finish(cum);
            Map<String, Object> s = new java.util.LinkedHashMap<>();
            s.put("next_lsn_after_stream", j.nextLsn());
            s.put("records", rec.records());
            return s;
        }
        RdbDecoder d = RdbDecoder.forFlow(rec);
        rec.attach(d).expectToken(hf.get("eof_token").asText());
        int pos = 0;
        int i = 0;
        while (pos < bin.length) {
            int n = Math.min(bin.length - pos, sizes == null ? 1 + rnd.nextInt(9000) : sizes[i++ % sizes.length]);
            d.feed(bin, pos, n);
            pos += n;
        }
        d.finish();
        return rec.summary(bin.length);
    }

    static void compareFlow(JsonCompare cmp, JsonNode ref, JsonNode ours) {
        for (String f : new String[] {"journal_start_offset", "fullsync_end_seen", "journal_offset", "eof_seen",
            "next_lsn_after_stream", "stats"}) {
            if (ref.has(f) && ours.has(f)) {
                cmp.equal(f, ref.get(f), ours.get(f));
            }
        }
        assertThat(ref.get("problems")).isEmpty();
        compareRecords(cmp, "records", ref.get("records"), ours.get("records"));
    }

    static void compareRecords(JsonCompare cmp, String path, JsonNode ref, JsonNode ours) {
        if (ours == null || ref.size() != ours.size()) {
            cmp.problem(path, ref.size() + " records expected, got " + (ours == null ? 0 : ours.size()));
        }
        int n = Math.min(ref.size(), ours == null ? 0 : ours.size());
        for (int i = 0; i < n; i++) {
            JsonNode r = ref.get(i);
            JsonNode o = ours.get(i);
            String p = path + "[" + i + "]";
            String op = r.get("op").asText();
            if (!op.equals(o.get("op").asText())) {
                cmp.problem(p, "op " + op + " expected, got " + o.get("op") + " (" + JsonCompare.abbreviate(o) + ")");
                return;
            }
            var it = r.fields();
            while (it.hasNext()) {
                var e = it.next();
                String k = e.getKey();
                switch (k) {
                    case "records":
                        compareRecords(cmp, p + ".records", e.getValue(), o.get("records"));
                        break;
                    case "value_omitted":
                        break;
                    case "value":
                        if (SET_TYPES.contains(r.path("type_name").asText())) {
                            cmp.sameElements(p + ".value", e.getValue(), o.get("value"));
                        } else {
                            cmp.equal(p + ".value", e.getValue(), o.get("value"));
                        }
                        break;
                    default:
                        cmp.equal(p + "." + k, e.getValue(), o.get(k));
                }
            }
        }
    }
}
