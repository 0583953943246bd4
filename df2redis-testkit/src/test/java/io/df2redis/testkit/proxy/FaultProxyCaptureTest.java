package io.df2redis.testkit.proxy;

import io.df2redis.protocol.resp.BulkString;
import io.df2redis.testkit.redis.RedisServerProcess;
import io.df2redis.tools.SyncRespClient;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FaultProxyCaptureTest {
    private static final String REPLID = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void theFlowConnectionIsFoundByItsFirstCommandsAndThePasswordIsRedacted() throws Exception {
        try (Upstream echo = Upstream.echo();
             FaultProxy proxy = FaultProxy.start("127.0.0.1", echo.port());
             Socket control = Net.connect(proxy);
             Socket flow = Net.connect(proxy);
             Socket inline = Net.connect(proxy)) {
            String handshake = resp("REPLCONF", "capa", "eof", "capa", "psync2");
            assertThat(Net.roundTrip(control, handshake)).isEqualTo(handshake);
            String flowStart = resp("AUTH", "s3cret-pw") + resp("DFLY", "FLOW", REPLID, "SYNC1", "3");
            assertThat(Net.roundTrip(flow, flowStart)).isEqualTo(flowStart);
            assertThat(Net.roundTrip(inline, "PING\r\n")).isEqualTo("PING\r\n");

            ProxiedConnection c = proxy.awaitConnection(x -> x.sentCommand("dfly", "flow"), Duration.ofSeconds(5));
            assertThat(c.index()).isEqualTo(1);
            assertThat(c.firstCommand()).contains(List.of("AUTH", "<redacted>"));
            assertThat(c.clientCommands()).containsExactly(List.of("AUTH", "<redacted>"),
                    List.of("DFLY", "FLOW", REPLID, "SYNC1", "3"));
            assertThat(c.sentCommand("DFLY", "FLOW", REPLID, "SYNC1", "3")).isTrue();
            assertThat(c.sentCommand("DFLY", "SYNC")).isFalse();
            assertThat(c.toString() + c.clientCommands()).doesNotContain("s3cret");
            assertThat(c.firstClientBytes()).isEqualTo(flowStart.getBytes(StandardCharsets.UTF_8));

            List<ProxiedConnection> all = proxy.connections();
            assertThat(all.get(0).firstCommand()).contains(List.of("REPLCONF", "capa", "eof", "capa", "psync2"));
            assertThat(all.get(2).firstCommand()).contains(List.of("PING"));
        }
    }

    @Test
    void onlyTheFirst256BytesAreKeptAndBinaryIsNoCommand() throws Exception {
        byte[] junk = new byte[1000];
        new Random(5).nextBytes(junk);
        junk[0] = 1; // not '*' and a control character: not an inline command either
        try (Upstream echo = Upstream.echo();
             FaultProxy proxy = FaultProxy.start("127.0.0.1", echo.port());
             Socket s = Net.connect(proxy)) {
            s.getOutputStream().write(junk);
            assertThat(s.getInputStream().readNBytes(junk.length)).isEqualTo(junk);
            ProxiedConnection c = proxy.connections().get(0);
            assertThat(c.firstClientBytes()).isEqualTo(Arrays.copyOf(junk, 256));
            assertThat(c.firstCommand()).isEmpty();
            assertThat(c.clientCommands()).isEmpty();
        }
    }

    @Test
    void aRealRedisClientsCommandsAreCaptured() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("--requirepass", "s3cret-pw");
             FaultProxy proxy = FaultProxy.start("127.0.0.1", redis.port());
             SyncRespClient client = SyncRespClient.connect(proxy.host(), proxy.port(), null, "s3cret-pw")) {
            client.ok("SET", "k", "v");
            assertThat(((BulkString) client.ok("GET", "k")).asString()).isEqualTo("v");
            ProxiedConnection c = proxy.connections().get(0);
            assertThat(c.clientCommands()).containsExactly(List.of("AUTH", "<redacted>"), List.of("SET", "k", "v"),
                    List.of("GET", "k"));
        }
    }

    @Test
    void theDecoderStopsAtAnIncompleteCommandAndRedactsHelloAuth() {
        assertThat(CapturedCommands.parse(bytes(resp("GET", "k") + "*2\r\n$3\r\nGET\r\n$5\r\nab")))
                .containsExactly(List.of("GET", "k"));
        assertThat(CapturedCommands.parse(bytes(resp("HELLO", "3", "AUTH", "default", "pw", "SETNAME", "x"))))
                .containsExactly(List.of("HELLO", "3", "AUTH", "default", "<redacted>", "SETNAME", "x"));
        assertThat(CapturedCommands.parse(bytes(resp("auth", "user", "pw"))))
                .containsExactly(List.of("auth", "user", "<redacted>"));
        assertThat(CapturedCommands.parse(bytes("*1\r\n$4\r\nPING\r\nPING extra  args\r\n")))
                .containsExactly(List.of("PING"), List.of("PING", "extra", "args"));
        assertThat(CapturedCommands.parse(bytes("*x\r\n"))).isEmpty();
        assertThat(CapturedCommands.parse(bytes("*1\r\n$4\r\nPINGxx"))).isEmpty();
        assertThat(CapturedCommands.parse(bytes("PING"))).isEmpty();
        assertThat(CapturedCommands.parse(new byte[0])).isEmpty();
    }

    private static String resp(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
