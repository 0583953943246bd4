package io.df2redis.testkit.redis;

import io.df2redis.protocol.resp.SimpleString;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Starting {@code redis-server}: ready only when it listens itself, a port taken first is reported. */
class RedisServerProcessTest {

    @Test
    void aPortTakenByAnotherProcessIsReportedAndNotMistakenForTheServer() throws Exception {
        String bin = RedisServerProcess.findBinary();
        assumeTrue(bin != null, "redis-server not installed");
        // another process listens on the port: a connection there succeeds, but it is not redis-server
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = other.getLocalPort();
            RedisServerProcess r = new RedisServerProcess(bin, Files.createTempDirectory("df2redis-redis-"), port,
                    List.of());
            try {
                assertThatThrownBy(r::launch).isInstanceOf(RedisServerProcess.PortInUseException.class)
                        .hasMessageContaining("127.0.0.1:" + port).hasMessageContaining("Address already in use");
            } finally {
                r.close();
            }
        }
    }

    @Test
    void startsAndAnswers() throws Exception {
        try (RedisServerProcess r = RedisServerProcess.start()) {
            assertThat(r.call("PING")).isEqualTo(new SimpleString("PONG"));
        }
    }
}
