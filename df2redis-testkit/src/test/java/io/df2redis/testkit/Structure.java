package io.df2redis.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Normalises decoded records (decoded.json shape) for structural comparison. */
final class Structure {
    /** AUX fields whose values depend on time and memory. */
    static final Set<String> VOLATILE_AUX = Set.of("ctime", "used-mem", "table-mem");

    private Structure() {
    }

    /** Any recorder object as a JSON tree (numbers normalised by a round trip through text). */
    static JsonNode json(Object o) {
        try {
            return Vectors.JSON.readTree(Vectors.JSON.writeValueAsString(o));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Drops offsets, tokens, blob sizes and the values of volatile AUX fields, and sorts each run
     * of consecutive ENTRY records by db and key (the snapshot's key order is hash-table order on
     * a real master).
     */
    static ArrayNode normalize(JsonNode records) {
        ArrayNode out = Vectors.JSON.createArrayNode();
        List<ObjectNode> run = new ArrayList<>();
        for (JsonNode r : records) {
            ObjectNode o = ((ObjectNode) r).deepCopy();
            o.remove("off");
            String op = o.path("op").asText();
            switch (op) {
                case "AUX":
                    if (VOLATILE_AUX.contains(o.path("key").asText())) {
                        o.remove("value");
                    }
                    break;
                case "FULLSYNC_END":
                    o.remove("padding_zero");
                    break;
                case "EOF_TOKEN":
                    o.remove("token");
                    break;
                case "LZ4_BLOB":
                case "ZSTD_BLOB":
                    o.remove("clen");
                    o.remove("ulen");
                    o.set("records", normalize(o.path("records")));
                    break;
                default:
                    break;
            }
            if (op.equals("ENTRY")) {
                run.add(o);
                continue;
            }
            flush(run, out);
            out.add(o);
        }
        flush(run, out);
        return out;
    }

    private static void flush(List<ObjectNode> run, ArrayNode out) {
        run.sort(Comparator.comparingInt((ObjectNode o) -> o.path("db").asInt()).thenComparing(o -> o.path("key").asText()));
        run.forEach(out::add);
        run.clear();
    }
}
