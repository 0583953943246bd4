package io.df2redis.sink.redis.internal;

import io.df2redis.sink.redis.TargetClusterException;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Source db → target db. Unmapped dbs keep their number; on a cluster target every db must end
 * up as 0, or the command fails with a non-retryable {@link TargetClusterException}.
 */
public final class DbMapping {
    private final Map<Integer, Integer> map;
    private final Map<Integer, Integer> sourcesPerTarget = new HashMap<>();

    public DbMapping(Map<Integer, Integer> map) {
        this.map = Map.copyOf(map);
        for (Map.Entry<Integer, Integer> e : this.map.entrySet()) {
            sourcesPerTarget.merge(e.getValue(), 1, Integer::sum);
        }
        // an unmapped source db keeps its number, so it shares that target with whatever maps there
        for (Integer target : Map.copyOf(sourcesPerTarget).keySet()) {
            if (!this.map.containsKey(target)) {
                sourcesPerTarget.merge(target, 1, Integer::sum);
            }
        }
    }

    /** The target db of a command of source db {@code db} about {@code key} (for the error text). */
    public int target(int db, byte[] key, boolean cluster) {
        int t = map.isEmpty() ? db : map.getOrDefault(db, db); // per key: no boxed lookup without a mapping
        if (cluster && t != 0) {
            throw new TargetClusterException(null, "db " + db + (key == null ? ""
                    : " (key '" + new String(key, StandardCharsets.UTF_8) + "')")
                    + " has no place on a Redis Cluster target, which holds db 0 only; map it with "
                    + "RedisSinkOptions.Builder.mapDatabase(" + db + ", 0) to merge it into db 0", null, false);
        }
        return t;
    }

    /**
     * Whether some source db may be written into target db {@code targetDb}: on a cluster db 0
     * only; on a standalone target every db but those mapped away (a source db mapped elsewhere
     * whose number no other source db maps to).
     */
    public boolean writes(int targetDb, boolean cluster) {
        if (cluster) {
            return targetDb == 0;
        }
        return !map.containsKey(targetDb) || map.containsValue(targetDb);
    }

    /** Whether other source dbs write into the same target db as {@code db}. */
    public boolean merged(int db) {
        return sourcesPerTarget.getOrDefault(map.getOrDefault(db, db), 0) > 1;
    }
}
