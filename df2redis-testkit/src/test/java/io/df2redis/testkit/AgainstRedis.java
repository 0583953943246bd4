package io.df2redis.testkit;

import io.df2redis.testkit.redis.RedisServerProcess;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * For jqwik properties that compare the embedded master with a real redis-server: one of each per
 * test class, with a {@link Wire} to each ({@code r} to Redis, {@code m} to the master).
 */
abstract class AgainstRedis {
    static RedisServerProcess redis;
    static EmbeddedDragonflyMaster master;
    static Wire r;
    static Wire m;

    @BeforeContainer
    static void start() throws Exception {
        redis = RedisServerProcess.start();
        master = EmbeddedDragonflyMaster.builder().shards(2).start();
        r = new Wire("127.0.0.1", redis.port());
        m = new Wire(master.host(), master.port());
    }

    @AfterContainer
    static void stop() throws Exception {
        if (r != null) {
            r.close();
            m.close();
        }
        if (master != null) {
            master.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
