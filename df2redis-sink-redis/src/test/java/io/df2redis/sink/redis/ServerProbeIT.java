package io.df2redis.sink.redis;

import io.df2redis.replica.AuthenticationException;
import io.df2redis.replica.ConnectionException;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ServerProbe} against a real redis-server and the embedded master: identity, keys, typed failures. */
class ServerProbeIT {
    @Test
    void identityKeysAndTypedAuthFailures() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("--requirepass", "pr0be-Secret");
             EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).requirePass("df-pr0be").start()) {
            redis.call("AUTH", "pr0be-Secret");
            redis.call("SET", "a", "1");
            redis.call("SET", "b", "2", "EX", "100");
            try (ServerProbe p = ServerProbe.to("127.0.0.1", redis.port()).auth(null, "pr0be-Secret").connect()) {
                assertThat(p.identity().isDragonfly()).isFalse();
                assertThat(p.keyspace().get(0)).containsExactly(2, 1);
            }
            assertThatThrownBy(() -> ServerProbe.to("127.0.0.1", redis.port()).connect())
                    .isInstanceOf(AuthenticationException.class).hasMessageContaining("requires a password");
            assertThatThrownBy(() -> ServerProbe.to("127.0.0.1", redis.port()).auth(null, "wr0ng").connect())
                    .isInstanceOf(AuthenticationException.class).hasMessageContaining("rejected the credentials")
                    .hasMessageNotContaining("wr0ng");
            try (ServerProbe p = ServerProbe.to(m.host(), m.port()).auth(null, "df-pr0be").connect()) {
                ServerIdentity id = p.identity();
                assertThat(id.isDragonfly()).isTrue();
                assertThat(id.hasReplicationId(m.masterId())).isTrue();
            }
            assertThatThrownBy(() -> ServerProbe.to(m.host(), m.port()).connect())
                    .isInstanceOf(AuthenticationException.class).hasMessageContaining("requires a password");
            assertThat(ServerProbe.to("127.0.0.1", 1).auth("u", "hidden-pw").toString()).doesNotContain("hidden-pw");
        }
        int nobody;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = s.getLocalPort();
        }
        assertThatThrownBy(() -> ServerProbe.to("127.0.0.1", nobody).timeout(Duration.ofSeconds(2)).connect())
                .isInstanceOf(ConnectionException.class).hasMessageContaining("cannot connect to 127.0.0.1:" + nobody);
    }
}
