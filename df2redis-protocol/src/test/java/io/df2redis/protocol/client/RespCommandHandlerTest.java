package io.df2redis.protocol.client;

import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.PushReply;
import io.df2redis.protocol.resp.RespProtocolException;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.resp.SimpleString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.df2redis.protocol.client.RespReplyDecoderTest.buf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command handler on an {@link EmbeddedChannel}: the decoder and handler as {@link RespClient} installs them. */
@Timeout(60)
class RespCommandHandlerTest {
    private static final HostAndPort SERVER = HostAndPort.of("redis.test", 6379);

    private final AtomicLong clock = new AtomicLong();

    private EmbeddedChannel channel(Duration replyTimeout) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(RespClient.DECODER_NAME, new RespReplyDecoder());
        ch.pipeline().addLast(RespClient.HANDLER_NAME,
                new RespCommandHandler("test server", SERVER, replyTimeout, clock::get));
        return ch;
    }

    private static CompletableFuture<RespReply> send(EmbeddedChannel ch, RespCommand c) {
        c.writeAndFlushTo(ch);
        return c.reply().toCompletableFuture();
    }

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
    void pipelinedRepliesCompleteTheirCommandsInOrderAndErrorsAreReplies() {
        EmbeddedChannel ch = channel(Duration.ZERO);
        CompletableFuture<RespReply> get = send(ch, RespCommand.of("GET", "a"));
        CompletableFuture<RespReply> incr = send(ch, RespCommand.of("INCR", "n"));
        CompletableFuture<RespReply> bad = send(ch, RespCommand.of("NOPE"));
        assertThat(outbound(ch)).isEqualTo("*2\r\n$3\r\nGET\r\n$1\r\na\r\n"
                + "*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n*1\r\n$4\r\nNOPE\r\n");
        ch.writeInbound(buf("$1\r\nx\r\n:2"));
        assertThat(get).isCompletedWithValue(BulkString.of("x"));
        assertThat(incr).isNotDone();
        ch.writeInbound(buf("\r\n-ERR unknown command 'NOPE'\r\n"));
        assertThat(incr).isCompletedWithValue(new IntegerReply(2));
        assertThat(bad).isCompletedWithValue(new ErrorReply("ERR unknown command 'NOPE'"));
        assertThat(ch.isOpen()).isTrue();
        assertThat(((RespCommandHandler) ch.pipeline().get(RespClient.HANDLER_NAME)).pendingReplies()).isZero();
    }

    @Test
    void closeFailsEveryOutstandingCommandAndLaterOnes() {
        EmbeddedChannel ch = channel(Duration.ZERO);
        CompletableFuture<RespReply> a = send(ch, RespCommand.of("BLPOP", "q", "0"));
        CompletableFuture<RespReply> b = send(ch, RespCommand.of("PING"));
        ch.close();
        for (CompletableFuture<RespReply> f : List.of(a, b)) {
            assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(RespConnectionException.class)
                    .hasMessage("test server at redis.test:6379: connection closed by the server");
        }
        RespConnectionException e = (RespConnectionException) a.handle((r, t) -> t).join();
        assertThat(e.endpoint()).isEqualTo(SERVER);
        assertThat(e.connectionName()).isEqualTo("test server");
    }

    @Test
    void anExceptionFailsEveryOutstandingCommandAndClosesTheChannel() {
        EmbeddedChannel ch = channel(Duration.ZERO);
        CompletableFuture<RespReply> a = send(ch, RespCommand.of("PING"));
        ch.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        assertThatThrownBy(a::join).cause().isInstanceOf(RespConnectionException.class)
                .hasMessageContaining("connection failed").hasRootCauseInstanceOf(IOException.class);
        assertThat(ch.isOpen()).isFalse();
        CompletableFuture<RespReply> later = send(ch, RespCommand.of("PING"));
        assertThatThrownBy(later::join).cause().isInstanceOf(RespConnectionException.class);
    }

    @Test
    void aMalformedReplyFailsTheConnection() {
        EmbeddedChannel ch = channel(Duration.ZERO);
        CompletableFuture<RespReply> a = send(ch, RespCommand.of("PING"));
        CompletableFuture<RespReply> b = send(ch, RespCommand.of("PING"));
        ch.writeInbound(buf("+PONG\r\n?garbage\r\n"));
        assertThat(a).isCompletedWithValue(new SimpleString("PONG"));
        assertThatThrownBy(b::join).cause().isInstanceOf(RespConnectionException.class)
                .hasMessageContaining("malformed reply from the server")
                .hasCauseInstanceOf(RespProtocolException.class);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void anUnsolicitedReplyFailsTheConnectionButAPushIsPassedOn() {
        EmbeddedChannel ch = channel(Duration.ZERO);
        ch.writeInbound(buf(">2\r\n+invalidate\r\n+k\r\n"));
        assertThat((Object) ch.readInbound()).isInstanceOf(PushReply.class);
        assertThat(ch.isOpen()).isTrue();
        CompletableFuture<RespReply> ping = send(ch, RespCommand.of("PING"));
        ch.writeInbound(buf("+PONG\r\n+OK\r\n")); // one reply too many
        assertThat(ping).isCompletedWithValue(new SimpleString("PONG"));
        assertThat(ch.isOpen()).isFalse();
        assertThatThrownBy(() -> send(ch, RespCommand.of("PING")).join()).cause()
                .isInstanceOf(RespConnectionException.class);
    }

    @Test
    void theReplyTimeoutFailsTheConnectionOnlyAfterThatLongWithoutAReply() {
        EmbeddedChannel ch = channel(Duration.ofSeconds(5));
        CompletableFuture<RespReply> first = send(ch, RespCommand.of("PING"));
        advance(ch, 4);
        ch.writeInbound(buf("+PONG\r\n")); // a reply 4 s after the command: in time
        assertThat(first).isCompletedWithValue(new SimpleString("PONG"));
        CompletableFuture<RespReply> second = send(ch, RespCommand.of("BLPOP", "q", "0"));
        advance(ch, 1); // the first check, 5 s after the first command: 1 s since the last reply
        assertThat(second).isNotDone();
        assertThat(ch.isOpen()).isTrue();
        advance(ch, 3); // 4 s without a reply
        assertThat(second).isNotDone();
        advance(ch, 1); // 5 s without a reply
        assertThatThrownBy(second::join).cause().isInstanceOf(RespTimeoutException.class)
                .hasMessageStartingWith("test server at redis.test:6379: no reply for 5000 ms with 1 commands "
                        + "outstanding");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void anIdleConnectionWithoutOutstandingCommandsDoesNotTimeOut() {
        EmbeddedChannel ch = channel(Duration.ofSeconds(5));
        CompletableFuture<RespReply> a = send(ch, RespCommand.of("PING"));
        ch.writeInbound(buf("+PONG\r\n"));
        advance(ch, 60);
        assertThat(a).isCompletedWithValue(new SimpleString("PONG"));
        assertThat(ch.isOpen()).isTrue();
    }

    private void advance(EmbeddedChannel ch, long seconds) {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
        ch.advanceTimeBy(seconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
    }

    /** Collects the raw bytes that reach it. */
    static final class Collector extends ChannelInboundHandlerAdapter {
        final StringBuilder bytes = new StringBuilder();
        final List<String> events;

        Collector(List<String> events) {
            this.events = events;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            events.add("bytes");
            bytes.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
    }

    @Test
    void afterTheHandoverReplyTheBytesThatFollowItGoToTheNewDecoder() {
        EmbeddedChannel ch = channel(Duration.ofSeconds(5));
        List<String> events = new ArrayList<>();
        Collector stream = new Collector(events);
        RespCommand flow = RespCommand.handover(r -> r instanceof SimpleString s && s.value().startsWith("FULL")
                ? stream : null, "DFLY", "FLOW", "id", "1");
        CompletableFuture<RespReply> reply = send(ch, flow);
        reply.thenAccept(r -> events.add("reply"));
        // the reply and the start of the replication stream arrive in one read
        ch.writeInbound(Unpooled.wrappedBuffer("+FULL sync-1\r\nREDIS0009\u00fa\r\n*1\r\n"
                .getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(reply).isCompletedWithValue(new SimpleString("FULL sync-1"));
        assertThat(stream.bytes.toString()).isEqualTo("REDIS0009\u00fa\r\n*1\r\n");
        assertThat(events).containsExactly("reply", "bytes");
        assertThat(ch.pipeline().get(RespReplyDecoder.class)).isNull();
        assertThat(ch.pipeline().get(RespCommandHandler.class)).isNull();
        assertThat(ch.pipeline().get(RespCommandHandler.HANDOVER_NAME)).isSameAs(stream);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xFF, 0, 1}));
        assertThat(stream.bytes.toString()).endsWith("\u00ff\u0000\u0001");
        advance(ch, 60); // no reply timeout once handed over
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void commandsAfterAHandoverCommandAreRefusedAndANullChoiceKeepsResp() {
        EmbeddedChannel ch = channel(Duration.ZERO);
        CompletableFuture<RespReply> flow = send(ch, RespCommand.handover(r -> null, "DFLY", "FLOW"));
        CompletableFuture<RespReply> after = send(ch, RespCommand.of("PING"));
        assertThatThrownBy(after::join).cause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PING refused: the connection is being handed over");
        ch.writeInbound(buf("-ERR bad flow\r\n"));
        assertThat(flow).isCompletedWithValue(new ErrorReply("ERR bad flow"));
        CompletableFuture<RespReply> ping = send(ch, RespCommand.of("PING"));
        ch.writeInbound(buf("+PONG\r\n"));
        assertThat(ping).isCompletedWithValue(new SimpleString("PONG"));
        assertThat(ch.pipeline().get(RespReplyDecoder.class)).isNotNull();
    }

    @Test
    void commandToStringNeverShowsArguments() {
        assertThat(RespCommand.of("AUTH", "user", "s3cret")).hasToString("RespCommand[AUTH +2 args]");
        assertThat(RespCommand.of("PING")).hasToString("RespCommand[PING]");
        assertThatThrownBy(RespCommand::of).isInstanceOf(IllegalArgumentException.class);
    }
}
