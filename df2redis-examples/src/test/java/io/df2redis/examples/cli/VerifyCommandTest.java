package io.df2redis.examples.cli;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code df2redis verify} exit codes that need no server: usage errors (2) and unreachable servers (1). */
class VerifyCommandTest {
    @Test
    void usageErrorsExitWith2() {
        assertThat(Df2RedisCli.run("verify", "--source", "127.0.0.1:1")).isEqualTo(Df2RedisCli.USAGE);
        assertThat(Df2RedisCli.run("verify", "--source", "nohost", "--target", "127.0.0.1:1"))
                .isEqualTo(Df2RedisCli.USAGE);
        assertThat(Df2RedisCli.run("verify", "--source", "127.0.0.1:1", "--target", "127.0.0.1:2",
                "--max-differences", "0")).isEqualTo(Df2RedisCli.USAGE);
        assertThat(Df2RedisCli.run("verify", "--source", "127.0.0.1:1", "--target", "127.0.0.1:2", "--db", "-1"))
                .isEqualTo(Df2RedisCli.USAGE);
    }

    @Test
    void unreachableServerExitsWith1() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThat(Df2RedisCli.run("verify", "--source", "127.0.0.1:" + port, "--target", "127.0.0.1:" + port))
                .isEqualTo(Df2RedisCli.FAILURE);
    }
}
