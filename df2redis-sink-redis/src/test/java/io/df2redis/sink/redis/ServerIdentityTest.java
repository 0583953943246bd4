package io.df2redis.sink.redis;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServerIdentityTest {
    private static final String DRAGONFLY = "# Server\r\nredis_version:7.4.0\r\ndragonfly_version:df-v1.40.1\r\n"
            + "\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\nmaster_replid:"
            + "a".repeat(40) + "\r\n";
    private static final String REDIS = "# Server\r\nredis_version:7.2.4\r\nrun_id:" + "1".repeat(40)
            + "\r\n# Replication\r\nrole:master\r\nmaster_replid:" + "b".repeat(40) + "\r\nmaster_replid2:"
            + "0".repeat(40) + "\r\n";

    @Test
    void parsesDragonflyAndRedis() {
        ServerIdentity df = ServerIdentity.parse(DRAGONFLY);
        assertThat(df.isDragonfly()).isTrue();
        assertThat(df.hasReplicationId("a".repeat(40))).isTrue();
        assertThat(df.describe()).contains("dragonfly_version df-v1.40.1").contains("master_replid aaaa");
        ServerIdentity redis = ServerIdentity.parse(REDIS);
        assertThat(redis.isDragonfly()).isFalse();
        assertThat(redis.runId()).isEqualTo("1".repeat(40));
        assertThat(redis.replicationId()).isEqualTo("b".repeat(40));
        assertThat(df.sameServerAs(redis)).isFalse();
        assertThat(df.sameServerAs(ServerIdentity.parse(DRAGONFLY))).isTrue();
        assertThat(redis.sameServerAs(ServerIdentity.parse(REDIS.replace("master_replid:b", "master_replid:c"))))
                .as("same run_id").isTrue();
        assertThat(ServerIdentity.parse("# Server\r\n").sameServerAs(ServerIdentity.parse("# Server\r\n")))
                .as("nothing to compare is not a match").isFalse();
    }

    @Test
    void keyspaceCounts() {
        Map<Integer, long[]> ks = ServerIdentity.keyspace("# Keyspace\r\ndb0:keys=12,expires=3,avg_ttl=0\r\n"
                + "db5:keys=1,expires=0,avg_ttl=0\r\n").orElseThrow();
        assertThat(ks).containsOnlyKeys(0, 5);
        assertThat(ks.get(0)).containsExactly(12, 3);
        assertThat(ServerIdentity.keyspace("# Keyspace\r\n").orElseThrow()).isEmpty();
        assertThat(ServerIdentity.keyspace("ERR")).isEmpty();
    }
}
