package io.df2redis.protocol.client;

import io.df2redis.protocol.LimitExceededException;
import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.DoubleReply;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.MapReply;
import io.df2redis.protocol.resp.NullReply;
import io.df2redis.protocol.resp.RespDecoder;
import io.df2redis.protocol.resp.RespProtocolException;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.resp.SimpleString;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RespReplyDecoderTest {

    @Test
    void emitsOneMessagePerReplyAndKeepsAnIncompleteOne() {
        EmbeddedChannel ch = new EmbeddedChannel(new RespReplyDecoder());
        ch.writeInbound(buf("+OK\r\n:42\r\n$5\r\nhel"));
        assertThat((Object) ch.readInbound()).isEqualTo(SimpleString.OK);
        assertThat((Object) ch.readInbound()).isEqualTo(new IntegerReply(42));
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(buf("lo\r\n*2\r\n$-1\r\n-ERR x\r\n"));
        assertThat((Object) ch.readInbound()).isEqualTo(BulkString.of("hello"));
        assertThat((Object) ch.readInbound()).isEqualTo(ArrayReply.of(NullReply.INSTANCE, new ErrorReply("ERR x")));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void respectsTheDecoderLimits() {
        RespDecoder.Limits small = RespDecoder.Limits.builder().maxBulkLength(4).build();
        EmbeddedChannel ch = new EmbeddedChannel(new RespReplyDecoder(small));
        assertThatThrownBy(() -> ch.writeInbound(buf("$5\r\nhello\r\n")))
                .isInstanceOf(DecoderException.class).hasCauseInstanceOf(LimitExceededException.class);
        assertThat(((RespReplyDecoder) ch.pipeline().first()).limits()).isEqualTo(small);
    }

    @Test
    void discardsEverythingAfterMalformedInput() {
        EmbeddedChannel ch = new EmbeddedChannel(new RespReplyDecoder());
        assertThatThrownBy(() -> ch.writeInbound(buf("?oops\r\n+OK\r\n")))
                .isInstanceOf(DecoderException.class).hasCauseInstanceOf(RespProtocolException.class);
        ch.writeInbound(buf("+OK\r\n"));
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    /** Any split of a reply stream into reads decodes to the same replies as the whole stream. */
    @Property(tries = 300)
    void anySplitDecodesTheSame(@ForAll("replyLists") List<RespReply> replies, @ForAll("cuts") List<Integer> cuts) {
        byte[] stream = encode(replies);
        int[] points = cuts.stream().mapToInt(c -> Math.floorMod(c, stream.length + 1)).sorted().distinct().toArray();
        EmbeddedChannel ch = new EmbeddedChannel(new RespReplyDecoder());
        int from = 0;
        for (int p : points) {
            ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, from, p)));
            from = p;
        }
        ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, from, stream.length)));
        List<RespReply> got = new ArrayList<>();
        Object m;
        while ((m = ch.readInbound()) != null) {
            got.add((RespReply) m);
        }
        assertThat(got).isEqualTo(replies);
        assertThat(((RespReplyDecoder) ch.pipeline().first()).bytesConsumed()).isEqualTo(stream.length);
        assertThat(ch.finish()).isFalse();
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<RespReply>> replyLists() {
        return Arbitraries.recursive(this::leaves, inner -> Arbitraries.oneOf(inner,
                inner.list().ofMaxSize(4).map(ArrayReply::new),
                Combinators.combine(inner, inner).as(Map::entry).list().ofMaxSize(3).map(MapReply::new)), 0, 3)
                .list().ofMinSize(1).ofMaxSize(6);
    }

    private Arbitrary<RespReply> leaves() {
        Arbitrary<String> line = Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00e0', '\u00ff')
                .ofMaxLength(20);
        return Arbitraries.oneOf(
                line.map(SimpleString::new),
                line.map(s -> new ErrorReply("ERR " + s)),
                Arbitraries.longs().map(IntegerReply::new),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(BulkString::new),
                Arbitraries.just(NullReply.INSTANCE),
                Arbitraries.doubles().map(DoubleReply::new));
    }

    /** RESP bytes of {@code replies} (RESP2 types plus RESP3 maps and doubles). */
    static byte[] encode(List<RespReply> replies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (RespReply r : replies) {
            encode(r, out);
        }
        return out.toByteArray();
    }

    private static void encode(RespReply r, ByteArrayOutputStream out) {
        if (r instanceof SimpleString s) {
            line(out, "+" + s.value());
        } else if (r instanceof ErrorReply e) {
            line(out, "-" + e.message());
        } else if (r instanceof IntegerReply i) {
            line(out, ":" + i.value());
        } else if (r instanceof BulkString b) {
            line(out, "$" + b.length());
            out.writeBytes(b.value());
            line(out, "");
        } else if (r instanceof DoubleReply d) {
            line(out, "," + (Double.isNaN(d.value()) ? "nan" : Double.isInfinite(d.value())
                    ? (d.value() > 0 ? "inf" : "-inf") : Double.toString(d.value())));
        } else if (r instanceof ArrayReply a) {
            line(out, "*" + a.size());
            a.elements().forEach(e -> encode(e, out));
        } else if (r instanceof MapReply m) {
            line(out, "%" + m.size());
            m.entries().forEach(e -> {
                encode(e.getKey(), out);
                encode(e.getValue(), out);
            });
        } else {
            line(out, "_");
        }
    }

    private static void line(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[] {'\r', '\n'});
    }

    static io.netty.buffer.ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }
}
