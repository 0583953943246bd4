package io.df2redis.examples.cli;

import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Two real redis-servers per test class: the {@code target} the CLI writes into (emptied before
 * each test) and a {@code reference} that receives the same writes as the master, to compare with.
 */
abstract class TargetAndReference {
    static RedisServerProcess target;
    static RedisServerProcess reference;

    @BeforeAll
    static void startRedis() throws Exception {
        target = RedisServerProcess.start();
        reference = RedisServerProcess.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (target != null) {
            target.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    @BeforeEach
    void emptyTarget() {
        target.call("FLUSHALL");
    }
}
