package io.df2redis.scenarios;

import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest.Kind;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys that expire while the (slowed) full sync streams, and keys that expire during stable
 * sync, of several types and expiry forms (PX, EX, PEXPIRE, EXPIREAT, GETEX is not used: not every
 * release has it): none of them may survive in the target, and the long-lived ones keep their TTL.
 */
@Timeout(300)
class ExpiryIT {

    static List<Kind> kinds() {
        return DragonflyUnderTest.kinds();
    }

    private static long exists(SyncRespClient c, String key) throws Exception {
        return ((IntegerReply) Data.ok(c, "EXISTS", key)).value();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void keysExpiringDuringFullAndStableSync(Kind kind) throws Exception {
        DragonflySpec spec = DragonflySpec.builder().shards(2).snapshotEgressLimit(64 * 1024).build();
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target target = Target.standalone();
             SyncRespClient c = m.client()) {
            Data.strings(c, "bulk:", 4000);
            for (int i = 0; i < 200; i++) {
                Data.ok(c, "SET", "short:" + i, "v", "PX", Integer.toString(300 + i * 5));
                Data.ok(c, "RPUSH", "shortlist:" + i, "a", "b");
                Data.ok(c, "PEXPIRE", "shortlist:" + i, Integer.toString(400 + i * 5));
                Data.ok(c, "SET", "long:" + i, "v", "EX", "3600");
            }
            Data.ok(c, "HSET", "shorthash", "f", "v");
            Data.ok(c, "PEXPIREAT", "shorthash", Long.toString(System.currentTimeMillis() + 500));
            try (Scenario s = Scenario.of(m, target, b -> b).start()) {
                s.awaitStable();
                for (int i = 0; i < 200; i++) {
                    Data.ok(c, "SET", "stable-short:" + i, "v", "PX", Integer.toString(100 + i * 3));
                    Data.ok(c, "SADD", "stable-set:" + i, "m");
                    Data.ok(c, "PEXPIRE", "stable-set:" + i, Integer.toString(150 + i * 3));
                    Data.ok(c, "SET", "stable-long:" + i, "v", "PX", "3600000");
                }
                // until every short-lived key is gone on the master (reads expire them there)
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                for (int i = 0; i < 200; i++) {
                    for (String k : new String[] {"short:" + i, "shortlist:" + i, "stable-short:" + i,
                        "stable-set:" + i}) {
                        while (exists(c, k) != 0) {
                            assertThat(System.nanoTime()).as(k + " expired on the master").isLessThan(deadline);
                            TimeUnit.MILLISECONDS.sleep(20);
                        }
                    }
                }
                assertThat(exists(c, "shorthash")).isZero();
                s.assertConverged();
                assertThat(target.keys()).isEqualTo(4000 + 200 + 200);
            }
        }
    }
}
