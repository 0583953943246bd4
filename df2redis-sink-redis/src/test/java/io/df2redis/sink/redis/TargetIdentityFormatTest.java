package io.df2redis.sink.redis;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The target identity a checkpoint is saved with: the {@code run_id}s of the nodes (sorted, a node
 * without one by its address) and the db mapping. Moved here from the CLI, which had its own copy
 * of the format; the CLI now uses {@link RedisSink#identityOf}.
 */
class TargetIdentityFormatTest {
    @Test
    void theTargetIdentityIsTheRunIdsAndTheDbMapping() {
        assertThat(RedisSink.identityOf(false, Map.of("10.0.0.1:6379", "r1"), Map.of())).isEqualTo("redis run_id r1");
        Map<String, String> nodes = new LinkedHashMap<>();
        nodes.put("n2:7001", "zz");
        nodes.put("n1:7000", "aa");
        nodes.put("n3:7002", null);
        assertThat(RedisSink.identityOf(true, nodes, Map.of(3, 0, 1, 0)))
                .isEqualTo("redis-cluster run_ids aa,address n3:7002,zz map-db 1:0,3:0");
    }
}
