package io.df2redis.protocol.resp;

import static io.df2redis.protocol.resp.RespFeed.buf;
import static io.df2redis.protocol.resp.RespFeed.bytes;
import static io.df2redis.protocol.resp.RespFeed.decodeOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.df2redis.protocol.LimitExceededException;
import io.df2redis.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RespDecoderTest {

    private static final String RUN_ID = "52e306a76c8e2a79dee49f6a8c80c108e44e3cce";

    @Nested
    class Resp2Types {

        @Test
        void simpleString() {
            assertThat(decodeOne("+OK\r\n")).isEqualTo(SimpleString.OK);
            assertThat(decodeOne("+\r\n")).isEqualTo(new SimpleString(""));
            assertThat(decodeOne("+h\u00e9llo w\u00f6rld\r\n")).isEqualTo(new SimpleString("h\u00e9llo w\u00f6rld"));
        }

        @Test
        void error() {
            RespReply reply = decodeOne("-ERR unknown command 'FOO'\r\n");
            assertThat(reply).isEqualTo(new ErrorReply("ERR unknown command 'FOO'"));
            assertThat(reply.isError()).isTrue();
            assertThat(((ErrorReply) reply).kind()).isEqualTo(ErrorKind.ERR);
        }

        @Test
        void integers() {
            assertThat(decodeOne(":0\r\n")).isEqualTo(new IntegerReply(0));
            assertThat(decodeOne(":1000\r\n")).isEqualTo(new IntegerReply(1000));
            assertThat(decodeOne(":-42\r\n")).isEqualTo(new IntegerReply(-42));
            assertThat(decodeOne(":+7\r\n")).isEqualTo(new IntegerReply(7));
            assertThat(decodeOne(":9223372036854775807\r\n")).isEqualTo(new IntegerReply(Long.MAX_VALUE));
            assertThat(decodeOne(":-9223372036854775808\r\n")).isEqualTo(new IntegerReply(Long.MIN_VALUE));
        }

        @Test
        void bulkStrings() {
            assertThat(decodeOne("$5\r\nhello\r\n")).isEqualTo(BulkString.of("hello"));
            assertThat(decodeOne("$0\r\n\r\n")).isEqualTo(new BulkString(new byte[0]));
            // binary safe: CR, LF and NUL inside the payload
            assertThat(decodeOne("$6\r\na\r\nb\0c\r\n")).isEqualTo(new BulkString(new byte[] {'a', '\r', '\n', 'b', 0, 'c'}));
            assertThat(((BulkString) decodeOne("$4\r\n\u00e9\u00e9\r\n")).asString()).isEqualTo("\u00e9\u00e9");
        }

        @Test
        void nulls() {
            assertThat(decodeOne("$-1\r\n")).isSameAs(NullReply.INSTANCE);
            assertThat(decodeOne("*-1\r\n")).isSameAs(NullReply.INSTANCE);
            assertThat(decodeOne("$-1\r\n").isNull()).isTrue();
        }

        @Test
        void arrays() {
            assertThat(decodeOne("*0\r\n")).isEqualTo(ArrayReply.EMPTY);
            assertThat(decodeOne("*3\r\n:1\r\n$3\r\nfoo\r\n$-1\r\n"))
                    .isEqualTo(ArrayReply.of(new IntegerReply(1), BulkString.of("foo"), NullReply.INSTANCE));
            assertThat(decodeOne("*2\r\n*2\r\n:1\r\n:2\r\n*1\r\n-ERR x\r\n")).isEqualTo(ArrayReply.of(
                    ArrayReply.of(new IntegerReply(1), new IntegerReply(2)),
                    ArrayReply.of(new ErrorReply("ERR x"))));
            assertThat(decodeOne("*2\r\n*0\r\n*-1\r\n")).isEqualTo(ArrayReply.of(ArrayReply.EMPTY, NullReply.INSTANCE));
        }
    }

    @Nested
    class Resp3Types {

        @Test
        void nullReply() {
            assertThat(decodeOne("_\r\n")).isSameAs(NullReply.INSTANCE);
        }

        @Test
        void doubles() {
            assertThat(decodeOne(",1.23\r\n")).isEqualTo(new DoubleReply(1.23));
            assertThat(decodeOne(",-0.5\r\n")).isEqualTo(new DoubleReply(-0.5));
            assertThat(decodeOne(",10\r\n")).isEqualTo(new DoubleReply(10));
            assertThat(decodeOne(",1.5e10\r\n")).isEqualTo(new DoubleReply(1.5e10));
            assertThat(decodeOne(",1E-3\r\n")).isEqualTo(new DoubleReply(0.001));
            assertThat(decodeOne(",inf\r\n")).isEqualTo(new DoubleReply(Double.POSITIVE_INFINITY));
            assertThat(decodeOne(",-inf\r\n")).isEqualTo(new DoubleReply(Double.NEGATIVE_INFINITY));
            assertThat(decodeOne(",nan\r\n")).isEqualTo(new DoubleReply(Double.NaN));
        }

        @Test
        void booleans() {
            assertThat(decodeOne("#t\r\n")).isSameAs(BooleanReply.TRUE);
            assertThat(decodeOne("#f\r\n")).isSameAs(BooleanReply.FALSE);
        }

        @Test
        void bigNumber() {
            RespReply reply = decodeOne("(3492890328409238509324850943850943825024385\r\n");
            assertThat(reply).isEqualTo(new BigNumberReply("3492890328409238509324850943850943825024385"));
            assertThat(((BigNumberReply) reply).toBigInteger())
                    .isEqualTo(new BigInteger("3492890328409238509324850943850943825024385"));
            assertThat(decodeOne("(-12\r\n")).isEqualTo(new BigNumberReply("-12"));
        }

        @Test
        void verbatimStringLosesItsFormatPrefix() {
            assertThat(decodeOne("=15\r\ntxt:Some string\r\n")).isEqualTo(BulkString.of("Some string"));
            assertThat(decodeOne("=4\r\nmkd:\r\n")).isEqualTo(BulkString.of(""));
        }

        @Test
        void blobError() {
            RespReply reply = decodeOne("!21\r\nSYNTAX invalid syntax\r\n");
            assertThat(reply).isEqualTo(new ErrorReply("SYNTAX invalid syntax"));
            assertThat(((ErrorReply) reply).code()).isEqualTo("SYNTAX");
            assertThat(((ErrorReply) reply).kind()).isEqualTo(ErrorKind.OTHER);
        }

        @Test
        void map() {
            RespReply reply = decodeOne("%2\r\n+first\r\n:1\r\n$6\r\nsecond\r\n*1\r\n#t\r\n");
            assertThat(reply).isEqualTo(new MapReply(List.of(
                    Map.entry(new SimpleString("first"), new IntegerReply(1)),
                    Map.entry(BulkString.of("second"), ArrayReply.of(BooleanReply.TRUE)))));
            assertThat(((MapReply) reply).asMap())
                    .containsEntry(new SimpleString("first"), new IntegerReply(1))
                    .hasSize(2);
            assertThat(decodeOne("%0\r\n")).isEqualTo(new MapReply(List.of()));
        }

        @Test
        void setBecomesArray() {
            assertThat(decodeOne("~3\r\n+a\r\n+b\r\n+a\r\n"))
                    .isEqualTo(ArrayReply.of(new SimpleString("a"), new SimpleString("b"), new SimpleString("a")));
        }

        @Test
        void push() {
            RespReply reply = decodeOne(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n");
            assertThat(reply).isEqualTo(new PushReply(List.of(BulkString.of("message"), BulkString.of("ch"),
                    BulkString.of("hello"))));
            assertThat(((PushReply) reply).kind()).isEqualTo("message");
            assertThat(decodeOne(">0\r\n")).isEqualTo(new PushReply(List.of()));
        }

        @Test
        void topLevelAttributeIsDropped() {
            String attribute = "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n";
            assertThat(decodeOne(attribute + "*2\r\n:2039123\r\n:9543892\r\n"))
                    .isEqualTo(ArrayReply.of(new IntegerReply(2039123), new IntegerReply(9543892)));
            assertThat(decodeOne("|0\r\n:5\r\n")).isEqualTo(new IntegerReply(5));
            assertThat(decodeOne("|1\r\n+a\r\n:1\r\n|1\r\n+b\r\n$3\r\nxyz\r\n+after\r\n"))
                    .isEqualTo(new SimpleString("after"));
        }

        @Test
        void nestedAttributeIsDroppedAndDoesNotCountAsElement() {
            assertThat(decodeOne("*2\r\n:1\r\n|1\r\n+ttl\r\n:3600\r\n:2\r\n"))
                    .isEqualTo(ArrayReply.of(new IntegerReply(1), new IntegerReply(2)));
            assertThat(decodeOne("%1\r\n|1\r\n+a\r\n*1\r\n|0\r\n_\r\n+k\r\n|1\r\n+b\r\n:1\r\n+v\r\n"))
                    .isEqualTo(new MapReply(List.of(Map.entry(new SimpleString("k"), new SimpleString("v")))));
        }

        @Test
        void attributeAloneIsNotAReply() {
            RespDecoder decoder = new RespDecoder();
            ByteBuf in = Unpooled.buffer();
            in.writeBytes(bytes("|1\r\n+a\r\n:1\r\n"));
            assertThat(decoder.decode(in)).isNull();
            assertThat(in.readerIndex()).isZero();
            in.writeBytes(bytes("+OK\r\n"));
            assertThat(decoder.decode(in)).isEqualTo(SimpleString.OK);
            assertThat(in.isReadable()).isFalse();
            assertThat(decoder.bytesConsumed()).isEqualTo(in.writerIndex());
        }
    }

    @Nested
    class Dragonfly {

        @Test
        void capaReply() {
            String resp = "*5\r\n+" + RUN_ID + "\r\n+SYNC1\r\n:1\r\n:5\r\n+" + RUN_ID + "\r\n";
            assertThat(decodeOne(resp)).isEqualTo(ArrayReply.of(
                    new SimpleString(RUN_ID), new SimpleString("SYNC1"), new IntegerReply(1),
                    new IntegerReply(5), new SimpleString(RUN_ID)));
        }

        @Test
        void capaReplyByteByByte() {
            String resp = "*5\r\n+" + RUN_ID + "\r\n+SYNC1\r\n:1\r\n:5\r\n+" + RUN_ID + "\r\n";
            List<RespReply> replies = RespFeed.decodeInPieces(new RespDecoder(), bytes(resp), 1);
            assertThat(replies).containsExactly(decodeOne(resp));
        }

        @Test
        void fullSyncReply() {
            assertThat(decodeOne("*2\r\n+FULL\r\n+" + RUN_ID + "\r\n"))
                    .isEqualTo(ArrayReply.of(new SimpleString("FULL"), new SimpleString(RUN_ID)));
        }

        @Test
        void loadingError() {
            ErrorReply reply = (ErrorReply) decodeOne("-LOADING Dragonfly is loading the dataset in memory\r\n");
            assertThat(reply.message()).isEqualTo("LOADING Dragonfly is loading the dataset in memory");
            assertThat(reply.kind()).isEqualTo(ErrorKind.LOADING);
            assertThat(reply.code()).isEqualTo("LOADING");
            assertThat(reply.redirect()).isEmpty();
        }

        @Test
        void badSyncIdError() {
            ErrorReply reply = (ErrorReply) decodeOne("-ERR bad sync id\r\n");
            assertThat(reply.kind()).isEqualTo(ErrorKind.ERR);
            assertThat(reply.detail()).isEqualTo("bad sync id");
        }

        @Test
        void movedRedirect() {
            ErrorReply reply = (ErrorReply) decodeOne("-MOVED 3999 127.0.0.1:6381\r\n");
            assertThat(reply.kind()).isEqualTo(ErrorKind.MOVED);
            assertThat(reply.redirect()).contains(new Redirect(3999, "127.0.0.1", 6381));
        }
    }

    @Nested
    class Streaming {

        @Test
        void severalRepliesInOneBuffer() {
            ByteBuf in = buf("+OK\r\n:1\r\n$3\r\nabc\r\n*1\r\n_\r\n+partial");
            RespDecoder decoder = new RespDecoder();
            assertThat(decoder.decode(in)).isEqualTo(SimpleString.OK);
            assertThat(decoder.bytesConsumed()).isEqualTo(5);
            assertThat(decoder.decode(in)).isEqualTo(new IntegerReply(1));
            assertThat(decoder.decode(in)).isEqualTo(BulkString.of("abc"));
            assertThat(decoder.decode(in)).isEqualTo(ArrayReply.of(NullReply.INSTANCE));
            int before = in.readerIndex();
            assertThat(decoder.decode(in)).isNull();
            assertThat(in.readerIndex()).isEqualTo(before);
            assertThat(decoder.isMidReply()).isTrue();
        }

        @Test
        void incompleteReplyLeavesReaderIndexAndResumes() {
            RespDecoder decoder = new RespDecoder();
            ByteBuf in = Unpooled.buffer();
            in.writeBytes(bytes("*3\r\n:1\r\n$5\r\nhel"));
            assertThat(decoder.decode(in)).isNull();
            assertThat(in.readerIndex()).isZero();
            assertThat(decoder.decode(in)).isNull(); // calling again without new bytes is harmless
            in.writeBytes(bytes("lo\r\n*1\r"));
            assertThat(decoder.decode(in)).isNull();
            assertThat(in.readerIndex()).isZero();
            in.writeBytes(bytes("\n+x\r\n+next\r\n"));
            assertThat(decoder.decode(in)).isEqualTo(ArrayReply.of(new IntegerReply(1), BulkString.of("hello"),
                    ArrayReply.of(new SimpleString("x"))));
            assertThat(decoder.isMidReply()).isFalse();
            assertThat(decoder.decode(in)).isEqualTo(new SimpleString("next"));
            assertThat(in.isReadable()).isFalse();
        }

        @Test
        void survivesDiscardReadBytesBetweenCalls() {
            RespDecoder decoder = new RespDecoder();
            ByteBuf in = Unpooled.buffer();
            in.writeBytes(bytes("+first\r\n*2\r\n$3\r\nab"));
            assertThat(decoder.decode(in)).isEqualTo(new SimpleString("first"));
            assertThat(decoder.decode(in)).isNull();
            in.discardReadBytes(); // moves the unread bytes to index 0, as Netty's cumulators do
            in.writeBytes(bytes("c\r\n:7\r\n"));
            assertThat(decoder.decode(in)).isEqualTo(ArrayReply.of(BulkString.of("abc"), new IntegerReply(7)));
            assertThat(decoder.bytesConsumed()).isEqualTo(bytes("+first\r\n*2\r\n$3\r\nabc\r\n:7\r\n").length);
        }

        @Test
        void lostBytesAreDetected() {
            RespDecoder decoder = new RespDecoder();
            ByteBuf in = buf("*2\r\n:1\r\n");
            assertThat(decoder.decode(in)).isNull();
            in.skipBytes(5);
            assertThatThrownBy(() -> decoder.decode(in)).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void resetStartsOver() {
            RespDecoder decoder = new RespDecoder();
            assertThat(decoder.decode(buf("*2\r\n:1\r\n"))).isNull();
            decoder.reset();
            assertThat(decoder.isMidReply()).isFalse();
            assertThat(decoder.decode(buf(":9\r\n"))).isEqualTo(new IntegerReply(9));
        }
    }

    @Nested
    class Malformed {

        private ProtocolException fail(String resp) {
            return fail(new RespDecoder(), resp);
        }

        private ProtocolException fail(RespDecoder decoder, String resp) {
            ByteBuf in = buf(resp);
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> {
                while (decoder.decode(in) != null) {
                    // keep going
                }
            });
            assertThat(thrown).as("decoding %s", resp).isInstanceOf(ProtocolException.class);
            return (ProtocolException) thrown;
        }

        @Test
        void unknownTypeByte() {
            ProtocolException e = fail("?what\r\n");
            assertThat(e).isInstanceOf(RespProtocolException.class);
            assertThat(e.offset()).isZero();
            assertThat(e.getMessage()).contains("unknown RESP type byte '?'");
        }

        @Test
        void unknownTypeByteIsReportedWithoutWaitingForTheLine() {
            assertThat(fail("x")).isInstanceOf(RespProtocolException.class);
        }

        @Test
        void offsetsCountBytesConsumedAcrossCalls() {
            RespDecoder decoder = new RespDecoder();
            assertThat(decoder.decode(buf("+OK\r\n"))).isEqualTo(SimpleString.OK);
            assertThat(decoder.decode(buf(":12\r\n"))).isEqualTo(new IntegerReply(12));
            ProtocolException e = fail(decoder, "*2\r\n:1\r\n@");
            assertThat(e.offset()).isEqualTo(5 + 5 + 8);
            assertThat(e.context()).contains("element 1 of array[2]");
        }

        @ParameterizedTest
        @ValueSource(strings = {"$abc\r\n", "*1x\r\n", "$\r\n", "*\r\n", ":\r\n", ":12a\r\n", ":-\r\n",
            "$ 3\r\nabc\r\n", "*?\r\n", "$?\r\n"})
        void nonNumericLengthsAndIntegers(String resp) {
            assertThat(fail(resp)).isInstanceOf(RespProtocolException.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {"$-2\r\n", "*-2\r\n", "$-100\r\n", "~-1\r\n", "%-1\r\n", ">-1\r\n", "|-1\r\n",
            "=-1\r\n", "!-1\r\n"})
        void negativeLengths(String resp) {
            assertThat(fail(resp)).isInstanceOf(RespProtocolException.class).hasMessageContaining("length");
        }

        @Test
        void integerOverflow() {
            assertThat(fail(":9223372036854775808\r\n")).isInstanceOf(RespProtocolException.class)
                    .hasMessageContaining("overflow");
            assertThat(fail(":-9223372036854775809\r\n")).isInstanceOf(RespProtocolException.class);
            assertThat(fail(":99999999999999999999999\r\n")).isInstanceOf(RespProtocolException.class);
            assertThat(fail("$99999999999999999999999\r\n")).isInstanceOf(RespProtocolException.class);
        }

        @Test
        void missingCrlfAfterBulkPayload() {
            ProtocolException e = fail("$3\r\nabcd\r\n");
            assertThat(e).isInstanceOf(RespProtocolException.class).hasMessageContaining("missing CRLF");
            assertThat(e.offset()).isEqualTo(7);
            assertThat(fail("$3\r\nabc\rx")).isInstanceOf(RespProtocolException.class);
        }

        @Test
        void crWithoutLf() {
            ProtocolException e = fail("+OK\rX\r\n");
            assertThat(e).isInstanceOf(RespProtocolException.class);
            assertThat(e.offset()).isEqualTo(4);
        }

        @Test
        void lineTooLong() {
            RespDecoder decoder = new RespDecoder(RespDecoder.Limits.builder().maxLineLength(100).build());
            // rejected as soon as the limit is passed, without waiting for the end of the line
            ProtocolException e = fail(decoder, ":1\r\n+" + "a".repeat(101));
            assertThat(e).isInstanceOf(RespProtocolException.class).hasMessageContaining("line longer than 100");
            assertThat(e.offset()).isEqualTo(4);
            // exactly at the limit is fine
            RespDecoder ok = new RespDecoder(RespDecoder.Limits.builder().maxLineLength(100).build());
            assertThat(ok.decode(buf("+" + "a".repeat(100) + "\r\n"))).isEqualTo(new SimpleString("a".repeat(100)));
            assertThat(ok.decode(buf("+" + "a".repeat(100)))).isNull();
        }

        @Test
        void lineTooLongByDefault() {
            assertThat(fail("-" + "E".repeat(64 * 1024 + 1))).isInstanceOf(RespProtocolException.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {"#x\r\n", "#\r\n", "#tt\r\n", "_x\r\n", ",\r\n", ",abc\r\n", ",1.2.3\r\n",
            ",0x10\r\n", ",1d\r\n", "(\r\n", "(-\r\n", "(12a\r\n", "=3\r\nabc\r\n", "=5\r\ntxt-x\r\n"})
        void malformedResp3Scalars(String resp) {
            assertThat(fail(resp)).isInstanceOf(RespProtocolException.class);
        }

        @Test
        void failedDecoderRefusesMoreInputUntilReset() {
            RespDecoder decoder = new RespDecoder();
            fail(decoder, "@\r\n");
            assertThatThrownBy(() -> decoder.decode(buf("+OK\r\n"))).isInstanceOf(IllegalStateException.class);
            decoder.reset();
            assertThat(decoder.decode(buf("+OK\r\n"))).isEqualTo(SimpleString.OK);
        }
    }

    @Nested
    class Limits {

        private final RespDecoder.Limits small = RespDecoder.Limits.builder()
                .maxBulkLength(10).maxAggregateElements(3).maxNestingDepth(2).maxLineLength(64).build();

        @Test
        void defaults() {
            RespDecoder.Limits limits = RespDecoder.Limits.DEFAULT;
            assertThat(limits.maxBulkLength()).isEqualTo(512 * 1024 * 1024);
            assertThat(limits.maxAggregateElements()).isEqualTo(16 * 1024 * 1024);
            assertThat(limits.maxNestingDepth()).isEqualTo(64);
            assertThat(limits.maxLineLength()).isEqualTo(64 * 1024);
            assertThat(new RespDecoder().limits()).isEqualTo(limits);
            assertThat(limits.toBuilder().build()).isEqualTo(limits).hasSameHashCodeAs(limits);
            assertThat(limits.toBuilder().maxNestingDepth(3).build()).isNotEqualTo(limits);
        }

        @Test
        void builderRejectsNonsense() {
            assertThatThrownBy(() -> RespDecoder.Limits.builder().maxBulkLength(-1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RespDecoder.Limits.builder().maxNestingDepth(0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RespDecoder.Limits.builder().maxAggregateElements(Integer.MAX_VALUE))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RespDecoder.Limits.builder().maxLineLength(5))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void bulkLengthAboveLimitFailsBeforeThePayloadArrives() {
            RespDecoder decoder = new RespDecoder(small);
            assertThat(decoder.decode(buf("$10\r\n0123456789\r\n"))).isEqualTo(BulkString.of("0123456789"));
            assertThatThrownBy(() -> decoder.decode(buf("*1\r\n$11\r\n")))
                    .isInstanceOf(LimitExceededException.class)
                    .hasMessageContaining("11")
                    .satisfies(e -> assertThat(((ProtocolException) e).offset()).isEqualTo(17 + 4));
            assertThatThrownBy(() -> new RespDecoder(small).decode(buf("=11\r\n")))
                    .isInstanceOf(LimitExceededException.class);
            assertThatThrownBy(() -> new RespDecoder(small).decode(buf("!11\r\n")))
                    .isInstanceOf(LimitExceededException.class);
        }

        @Test
        void defaultBulkLimit() {
            assertThat(new RespDecoder().decode(buf("$536870912\r\n"))).isNull();
            assertThatThrownBy(() -> new RespDecoder().decode(buf("$536870913\r\n")))
                    .isInstanceOf(LimitExceededException.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {"*4\r\n", "~4\r\n", ">4\r\n", "%4\r\n", "|4\r\n"})
        void aggregateSizeAboveLimit(String resp) {
            assertThat(new RespDecoder(small).decode(buf(resp.replace('4', '3')))).isNull();
            assertThatThrownBy(() -> new RespDecoder(small).decode(buf(resp)))
                    .isInstanceOf(LimitExceededException.class);
        }

        @Test
        void nestingDepth() {
            assertThat(new RespDecoder(small).decode(buf("*1\r\n*1\r\n:1\r\n")))
                    .isEqualTo(ArrayReply.of(ArrayReply.of(new IntegerReply(1))));
            assertThat(new RespDecoder(small).decode(buf("*1\r\n*1\r\n*0\r\n")))
                    .isEqualTo(ArrayReply.of(ArrayReply.of(ArrayReply.EMPTY)));
            assertThatThrownBy(() -> new RespDecoder(small).decode(buf("*1\r\n*1\r\n*1\r\n")))
                    .isInstanceOf(LimitExceededException.class).hasMessageContaining("nested");
            assertThatThrownBy(() -> new RespDecoder().decode(buf("*1\r\n".repeat(65))))
                    .isInstanceOf(LimitExceededException.class);
            assertThat(new RespDecoder().decode(buf("*1\r\n".repeat(64)))).isNull();
        }

        @Test
        void declaredSizesDoNotReserveMemory() {
            // 64 nested arrays each declaring 16 Mi elements, and a bulk declaring 512 MiB: reserving
            // storage for the declared sizes would need gigabytes (the tests run with -Xmx1g)
            RespDecoder decoder = new RespDecoder();
            ByteBuf in = buf("*16777216\r\n".repeat(63) + "$536870912\r\nabc");
            assertThat(decoder.decode(in)).isNull();
            assertThat(in.readerIndex()).isZero();
            RespDecoder maps = new RespDecoder();
            assertThat(maps.decode(buf("%16777216\r\n".repeat(64)))).isNull();
        }
    }

    @Nested
    class Performance {

        @Test
        void hugeArrayInSmallPiecesIsLinear() {
            int elements = 1_000_000;
            ByteArrayOutputStream out = new ByteArrayOutputStream(elements * 12);
            out.writeBytes(bytes("*" + elements + "\r\n"));
            for (int i = 0; i < elements; i++) {
                out.writeBytes(bytes(i % 3 == 0 ? "$3\r\nv" + (i % 10) + "x\r\n" : ":" + i + "\r\n"));
            }
            byte[] data = out.toByteArray();
            List<RespReply> replies = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> RespFeed.decodeInPieces(new RespDecoder(), data, 7));
            assertThat(replies).hasSize(1);
            ArrayReply array = (ArrayReply) replies.get(0);
            assertThat(array.size()).isEqualTo(elements);
            assertThat(array.get(0)).isEqualTo(BulkString.of("v0x"));
            assertThat(array.get(1)).isEqualTo(new IntegerReply(1));
            assertThat(array.get(elements - 1)).isEqualTo(BulkString.of("v9x"));
            assertThat(array.get(elements - 2)).isEqualTo(new IntegerReply(elements - 2));
        }

        @Test
        void hugeBulkStringInSmallPieces() {
            int size = 8 * 1024 * 1024;
            byte[] payload = new byte[size];
            for (int i = 0; i < size; i++) {
                payload[i] = (byte) (i * 31);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(size + 32);
            out.writeBytes(bytes("$" + size + "\r\n"));
            out.writeBytes(payload);
            out.writeBytes(bytes("\r\n"));
            byte[] data = out.toByteArray();
            List<RespReply> replies = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> RespFeed.decodeInPieces(new RespDecoder(), data, 7));
            assertThat(replies).containsExactly(new BulkString(payload));
        }

        @Test
        void longLineByteByByte() {
            String text = "x".repeat(60 * 1024);
            byte[] data = ("+" + text + "\r\n").getBytes(StandardCharsets.US_ASCII);
            List<RespReply> replies = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> RespFeed.decodeInPieces(new RespDecoder(), data, 1));
            assertThat(replies).containsExactly(new SimpleString(text));
        }

        @Test
        void deeplyNestedInSmallPieces() {
            String resp = "*1\r\n".repeat(64) + ":1\r\n";
            List<RespReply> replies = RespFeed.decodeInPieces(new RespDecoder(), bytes(resp), 3);
            RespReply reply = replies.get(0);
            for (int i = 0; i < 64; i++) {
                reply = ((ArrayReply) reply).get(0);
            }
            assertThat(reply).isEqualTo(new IntegerReply(1));
        }
    }
}
