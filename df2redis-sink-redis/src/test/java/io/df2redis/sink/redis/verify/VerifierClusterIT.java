package io.df2redis.sink.redis.verify;

import io.df2redis.testkit.redis.RedisClusterProcess;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A standalone source against a 3-master Redis Cluster target: every master is scanned, reads go to the slot owner. */
class VerifierClusterIT {

    private static void write(RedisServerProcess standalone, RedisClusterProcess cluster, Object... cmd) {
        if (standalone != null) {
            standalone.call(cmd);
        } else {
            cluster.call(cmd[0].equals("XREADGROUP") ? "st" : cmd[1], cmd);
        }
    }

    private static void fill(RedisServerProcess standalone, RedisClusterProcess cluster) {
        for (int i = 0; i < 300; i++) {
            write(standalone, cluster, "SET", "k:" + i, "v" + i);
            write(standalone, cluster, "HSET", "{user" + i % 7 + "}:h" + i, "f", "x" + i);
        }
        List<Object> push = new ArrayList<>(List.of("RPUSH", "biglist"));
        for (int i = 0; i < 5000; i++) {
            push.add("e" + i);
        }
        write(standalone, cluster, push.toArray());
        write(standalone, cluster, "XADD", "st", "1-1", "f", "v");
        write(standalone, cluster, "XGROUP", "CREATE", "st", "g", "0");
        write(standalone, cluster, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "st", ">");
    }

    @Test
    void standaloneSourceAgainstClusterTarget() throws Exception {
        try (RedisServerProcess source = RedisServerProcess.start();
             RedisClusterProcess cluster = RedisClusterProcess.start(3)) {
            fill(source, null);
            fill(null, cluster);
            Set<Integer> owners = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                owners.add(cluster.owner(cluster.slot("k:" + i)));
            }
            assertThat(owners).as("keys on every master").hasSize(3);
            VerifyEndpoint target = VerifyEndpoint.parse(cluster.seed()).asCluster();
            VerifyOptions options = VerifyOptions.builder().chunkElements(1000).recheckDelay(Duration.ofMillis(20))
                    .build();
            try (Verifier v = Verifier.connect(VerifyEndpoint.parse(source.address()), target, options)) {
                assertThat(v.describe()).contains("cluster of 3 masters");
                Report equal = v.verify();
                assertThat(equal.differences()).isEmpty();
                assertThat(equal.sourceKeys()).isEqualTo(602);
                assertThat(equal.targetKeys()).isEqualTo(602);
                assertThat(equal.keysCompared()).isEqualTo(602);

                cluster.call("k:17", "SET", "k:17", "changed");
                cluster.call("{user3}:h3", "DEL", "{user3}:h3");
                cluster.call("extra", "SET", "extra", "x");
                cluster.call("biglist", "LSET", "biglist", "4321", "changed");
                Report diff = v.verify();
                assertThat(diff.differences()).extracting(d -> d.kind() + " " + d.key()).containsExactlyInAnyOrder(
                        "VALUE k:17", "MISSING {user3}:h3", "UNEXPECTED extra", "VALUE biglist");
            }
        }
    }
}
