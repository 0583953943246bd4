package io.df2redis.protocol.client;

import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.RespReplies;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.resp.SimpleString;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The RESP client against a real {@code redis-server} (started by {@link TestRedisServer}). */
@Timeout(120)
class RespClientIT {
    private static EventLoopGroup group;
    private static TestRedisServer redis;

    @BeforeAll
    static void start() throws Exception {
        group = new NioEventLoopGroup(1);
        redis = TestRedisServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static RespClient connect(int port, RespClientOptions options) throws Exception {
        return await(RespClient.connect(group, HostAndPort.of("127.0.0.1", port), options));
    }

    @Test
    void pipelinedCommandsGetTheirRepliesInOrder() throws Exception {
        try (RespClient c = connect(redis.port(), RespClientOptions.DEFAULTS)) {
            await(c.send("DEL", "counter"));
            List<CompletionStage<RespReply>> replies = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                replies.add(c.send("INCR", "counter"));
            }
            for (int i = 0; i < replies.size(); i++) {
                assertThat(await(replies.get(i))).isEqualTo(new IntegerReply(i + 1));
            }
            assertThat(c.pendingReplies()).isZero();
        }
    }

    @Test
    void errorRepliesAreRepliesAndTheConnectionGoesOn() throws Exception {
        try (RespClient c = connect(redis.port(), RespClientOptions.DEFAULTS)) {
            CompletionStage<RespReply> bad = c.send("NO-SUCH-COMMAND", "x");
            CompletionStage<RespReply> ok = c.send("SET", "k", "v".getBytes(StandardCharsets.UTF_8));
            assertThat(await(bad)).isInstanceOfSatisfying(ErrorReply.class,
                    e -> assertThat(e.message()).startsWith("ERR unknown command"));
            assertThat(await(ok)).isEqualTo(SimpleString.OK);
            assertThat(RespReplies.text(await(c.send("GET", "k")))).isEqualTo("v");
        }
    }

    @Test
    void aServerSideCloseFailsEveryOutstandingCommand() throws Exception {
        try (RespClient victim = connect(redis.port(), RespClientOptions.builder().name("victim").build());
             RespClient killer = connect(redis.port(), RespClientOptions.DEFAULTS)) {
            long id = ((IntegerReply) await(victim.send("CLIENT", "ID"))).value();
            CompletionStage<RespReply> blocked = victim.send("BLPOP", "never-filled", "0");
            CompletionStage<RespReply> behind = victim.send("PING");
            assertThat(await(killer.send("CLIENT", "KILL", "ID", id))).isEqualTo(new IntegerReply(1));
            for (CompletionStage<RespReply> s : List.of(blocked, behind)) {
                assertThatThrownBy(() -> await(s)).isInstanceOf(RespConnectionException.class)
                        .hasMessage("victim at 127.0.0.1:" + redis.port() + ": connection closed by the server");
            }
            await(victim.closeFuture());
            assertThat(victim.isActive()).isFalse();
        }
    }

    @Test
    void theReplyTimeoutFailsAHungCommandAndClosesTheConnection() throws Exception {
        // the timeout also covers the first PING of the fresh connection: 1 s, for a loaded machine
        RespClientOptions o = RespClientOptions.builder().replyTimeout(Duration.ofSeconds(1)).build();
        try (RespClient c = connect(redis.port(), o)) {
            assertThat(await(c.send("PING"))).isEqualTo(new SimpleString("PONG"));
            CompletionStage<RespReply> hung = c.send("BLPOP", "never-filled", "0");
            assertThatThrownBy(() -> await(hung)).isInstanceOf(RespTimeoutException.class)
                    .hasMessageContaining("no reply for").hasMessageContaining("1 commands outstanding");
            await(c.closeFuture());
        }
    }

    @Test
    void afterTheHandoverReplyTheFollowingBytesGoToTheNewHandler() throws Exception {
        try (RespClient c = connect(redis.port(), RespClientOptions.DEFAULTS)) {
            List<String> events = new ArrayList<>();
            RespCommandHandlerTest.Collector raw = new RespCommandHandlerTest.Collector(events);
            CompletionStage<RespReply> echo = c.sendThenHandOver(r -> raw, "ECHO", "switch");
            // written right behind ECHO: its reply follows ECHO's in the stream, often in the same read
            c.channel().writeAndFlush(Unpooled.copiedBuffer("*1\r\n$4\r\nPING\r\n", StandardCharsets.US_ASCII));
            assertThat(RespReplies.text(await(echo))).isEqualTo("switch");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!rawBytes(c, raw).equals("+PONG\r\n") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(rawBytes(c, raw)).isEqualTo("+PONG\r\n");
            assertThat(c.isHandedOver()).isTrue();
            assertThatThrownBy(() -> await(c.send("PING"))).isInstanceOf(IllegalStateException.class);
        }
    }

    /** The collector's bytes, read on the event loop that writes them. */
    private static String rawBytes(RespClient c, RespCommandHandlerTest.Collector raw) throws Exception {
        return c.channel().eventLoop().submit(() -> raw.bytes.toString()).get(30, TimeUnit.SECONDS);
    }

    @Test
    void connectingWhereNothingListensFailsTyped() throws Exception {
        int port = TestRedisServer.freePort();
        assertThatThrownBy(() -> connect(port, RespClientOptions.builder().name("Redis target").build()))
                .isInstanceOf(RespConnectionException.class)
                .hasMessageStartingWith("Redis target at 127.0.0.1:" + port + ": cannot connect")
                .satisfies(e -> assertThat(((RespClientException) e).endpoint()).isEqualTo(
                        HostAndPort.of("127.0.0.1", port)));
    }

    @Test
    void aServerThatNeverAnswersAuthTimesOutTheConnect() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return silent.accept();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            RespClientOptions o = RespClientOptions.builder().password("pw").connectTimeout(Duration.ofMillis(500))
                    .build();
            assertThatThrownBy(() -> connect(silent.getLocalPort(), o)).isInstanceOf(RespTimeoutException.class)
                    .hasMessageContaining("not connected and authenticated within 500 ms")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pw"));
            accepted.get(30, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void authenticationWithRequirepassAndAclUsers() throws Exception {
        try (TestRedisServer secured = TestRedisServer.start("--requirepass", "s3cret-pw")) {
            try (RespClient c = connect(secured.port(), RespClientOptions.builder().password("s3cret-pw").build())) {
                assertThat(await(c.send("PING"))).isEqualTo(new SimpleString("PONG"));
                assertThat(await(c.send("ACL", "SETUSER", "repl", "on", ">user-pw", "~*", "+@all")))
                        .isEqualTo(SimpleString.OK);
            }
            try (RespClient c = connect(secured.port(), RespClientOptions.builder()
                    .credentials("repl", "user-pw").build())) {
                assertThat(RespReplies.text(await(c.send("ACL", "WHOAMI")))).isEqualTo("repl");
            }
            assertThatThrownBy(() -> connect(secured.port(), RespClientOptions.builder().name("Redis target")
                    .password("wrong-pw").build()))
                    .isInstanceOf(RespAuthenticationException.class)
                    .hasMessageStartingWith("Redis target at 127.0.0.1:" + secured.port()
                            + ": authentication rejected: ")
                    .hasMessageContaining("WRONGPASS")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-pw"));
            assertThatThrownBy(() -> connect(secured.port(), RespClientOptions.builder()
                    .credentials("repl", "not-the-user-pw").build()))
                    .isInstanceOf(RespAuthenticationException.class)
                    .hasMessageContaining("as user 'repl'")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-user-pw"));
            try (RespClient c = connect(secured.port(), RespClientOptions.DEFAULTS)) {
                assertThat(await(c.send("GET", "k"))).isInstanceOfSatisfying(ErrorReply.class,
                        e -> assertThat(e.code()).isEqualTo("NOAUTH"));
            }
        }
    }
}
