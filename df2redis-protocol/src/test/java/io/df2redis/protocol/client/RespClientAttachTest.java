package io.df2redis.protocol.client;

import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.resp.SimpleString;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.df2redis.protocol.client.RespReplyDecoderTest.buf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RespClient} on an {@link EmbeddedChannel} (its event loop runs everything in the calling thread). */
@Timeout(60)
class RespClientAttachTest {
    private static final HostAndPort SERVER = HostAndPort.of("10.0.0.9", 6380);

    private static String outbound(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void authenticatesWithUserAndPasswordAndNeverShowsThePassword() {
        EmbeddedChannel ch = new EmbeddedChannel();
        RespClientOptions options = RespClientOptions.builder().name("Dragonfly source")
                .credentials("repl", "pa55word").build();
        CompletableFuture<RespClient> client = RespClient.attach(ch, SERVER, options).toCompletableFuture();
        assertThat(outbound(ch)).isEqualTo("*3\r\n$4\r\nAUTH\r\n$4\r\nrepl\r\n$8\r\npa55word\r\n");
        assertThat(client).isNotDone();
        ch.writeInbound(buf("-WRONGPASS invalid username-password pair or user is disabled.\r\n"));
        assertThatThrownBy(client::join).cause().isInstanceOf(RespAuthenticationException.class)
                .hasMessage("Dragonfly source at 10.0.0.9:6380: authentication as user 'repl' rejected: "
                        + "WRONGPASS invalid username-password pair or user is disabled.")
                .satisfies(e -> assertThat(((RespAuthenticationException) e).serverError()).startsWith("WRONGPASS"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(options.toString()).contains("password=***").doesNotContain("pa55word");
    }

    @Test
    void replaceDecoderWaitsForTheOutstandingRepliesThenHandsTheFollowingBytesOver() {
        EmbeddedChannel ch = new EmbeddedChannel();
        RespClient client = RespClient.attach(ch, SERVER, RespClientOptions.DEFAULTS).toCompletableFuture().join();
        CompletableFuture<RespReply> ping = client.send("PING").toCompletableFuture();
        List<String> events = new ArrayList<>();
        RespCommandHandlerTest.Collector stream = new RespCommandHandlerTest.Collector(events);
        CompletableFuture<Channel> handedOver = client.replaceDecoder(stream).toCompletableFuture();
        assertThat(handedOver).isNotDone();
        CompletableFuture<RespReply> refused = client.send("GET", "k").toCompletableFuture();
        assertThatThrownBy(refused::join).cause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("being handed over");
        assertThat(outbound(ch)).isEqualTo("*1\r\n$4\r\nPING\r\n");
        ch.writeInbound(buf("+PONG\r\nstream bytes"));
        assertThat(ping).isCompletedWithValue(new SimpleString("PONG"));
        assertThat(handedOver).isCompletedWithValue(ch);
        assertThat(stream.bytes.toString()).isEqualTo("stream bytes");
        assertThat(client.isHandedOver()).isTrue();
        assertThat(client.isActive()).isFalse();
        assertThatThrownBy(() -> client.send("PING").toCompletableFuture().join()).cause()
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("handed over");
        assertThat(client).hasToString("RespClient[RESP server at 10.0.0.9:6380, handed over]");
    }

    @Test
    void replaceDecoderWithNothingOutstandingHandsOverAtOnce() {
        EmbeddedChannel ch = new EmbeddedChannel();
        RespClient client = RespClient.attach(ch, null, RespClientOptions.DEFAULTS).toCompletableFuture().join();
        RespCommandHandlerTest.Collector stream = new RespCommandHandlerTest.Collector(new ArrayList<>());
        assertThat(client.replaceDecoder(stream).toCompletableFuture()).isCompletedWithValue(ch);
        ch.writeInbound(buf("+not RESP any more"));
        assertThat(stream.bytes.toString()).isEqualTo("+not RESP any more");
        assertThat(client.replaceDecoder(stream).toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void closingFailsOutstandingCommandsAsClosedByTheClient() {
        EmbeddedChannel ch = new EmbeddedChannel();
        RespClient client = RespClient.attach(ch, SERVER, RespClientOptions.builder().name("Redis target").build())
                .toCompletableFuture().join();
        CompletableFuture<RespReply> blpop = client.send("BLPOP", "q", "0").toCompletableFuture();
        client.close();
        assertThatThrownBy(blpop::join).cause().isInstanceOf(RespConnectionException.class)
                .hasMessage("Redis target at 10.0.0.9:6380: connection closed by the client");
        assertThat(client.closeFuture().toCompletableFuture()).isDone();
        assertThatThrownBy(() -> client.send("PING").toCompletableFuture().join()).cause()
                .isInstanceOf(RespConnectionException.class);
    }
}
