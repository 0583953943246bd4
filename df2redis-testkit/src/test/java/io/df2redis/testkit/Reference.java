package io.df2redis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbRecords;
import io.df2redis.tools.inspect.FlowRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Independent expectations: the entries encoded straight into an RDB file and decoded back. */
final class Reference {
    private Reference() {
    }

    /** "db:key" → the ENTRY record (JSON) of each entry, as it should arrive under {@code profile}. */
    static Map<String, JsonNode> entries(Map<Integer, List<RdbKeyValue>> data, ReleaseProfile profile) {
        RdbEncoder enc = RdbEncoder.dragonfly();
        ByteBuf out = Unpooled.buffer();
        enc.writeHeader(out);
        for (Map.Entry<Integer, List<RdbKeyValue>> db : data.entrySet()) {
            RdbRecords.writeSelectDb(out, db.getKey());
            for (RdbKeyValue kv : db.getValue()) {
                enc.writeEntry(out, kv.withType(Datasets.expectedType(kv, profile)));
            }
        }
        enc.writeEof(out);
        FlowRecorder rec = new FlowRecorder(1 << 20, true);
        RdbDecoder d = RdbDecoder.forFile(rec);
        rec.attach(d);
        d.feed(out);
        d.finish();
        return byKey(rec.records());
    }

    static Map<String, JsonNode> byKey(List<Map<String, Object>> records) {
        List<Map<String, Object>> flat = new ArrayList<>();
        FlowReader.flatten(records, flat);
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (Map<String, Object> r : flat) {
            if ("ENTRY".equals(r.get("op"))) {
                m.put(r.get("db") + ":" + r.get("key"), Structure.json(r));
            }
        }
        return m;
    }
}
