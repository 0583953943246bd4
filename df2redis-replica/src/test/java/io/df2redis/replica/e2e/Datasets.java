package io.df2redis.replica.e2e;

import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.SampleDatasets;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Datasets for the end-to-end suite, and the independent model of what a replica must end up with. */
public final class Datasets {
    private Datasets() {
    }

    public static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** One key of every type and encoding the master can hold, in dbs 0, 1 and 5. */
    public static void everyType(EmbeddedDragonflyMaster m, int bigElements) {
        SampleDatasets.everyType(m, bigElements);
    }

    /** The keyspace the master holds, decoded from an RDB file written by the encoder: the model. */
    public static Map<String, Object> modelOf(EmbeddedDragonflyMaster m) {
        return SampleDatasets.keyspaceOf(m);
    }
}
