package io.df2redis.protocol.resp;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RespRepliesTest {

    @Test
    void textOfScalarReplies() {
        assertThat(RespReplies.text(SimpleString.OK)).isEqualTo("OK");
        assertThat(RespReplies.text(BulkString.of("héllo"))).isEqualTo("héllo");
        assertThat(RespReplies.text(new BulkString(new byte[] {'a', (byte) 0xFF}))).isEqualTo("a\uFFFD");
        assertThat(RespReplies.text(new IntegerReply(-7))).isEqualTo("-7");
        assertThat(RespReplies.text(new BigNumberReply("-123456789012345678901234567890")))
                .isEqualTo("-123456789012345678901234567890");
        assertThat(RespReplies.text(BooleanReply.TRUE)).isEqualTo("1");
        assertThat(RespReplies.text(BooleanReply.FALSE)).isEqualTo("0");
    }

    @Test
    void textOfDoublesMatchesWhatRedisSendsInResp2() {
        assertThat(RespReplies.text(new DoubleReply(3.0))).isEqualTo("3");
        assertThat(RespReplies.text(new DoubleReply(-42))).isEqualTo("-42");
        assertThat(RespReplies.text(new DoubleReply(1.5))).isEqualTo("1.5");
        assertThat(RespReplies.text(new DoubleReply(Double.POSITIVE_INFINITY))).isEqualTo("inf");
        assertThat(RespReplies.text(new DoubleReply(Double.NEGATIVE_INFINITY))).isEqualTo("-inf");
        assertThat(RespReplies.text(new DoubleReply(Double.NaN))).isEqualTo("nan");
        assertThat(Double.parseDouble(RespReplies.text(new DoubleReply(1e300)))).isEqualTo(1e300);
        assertThat(Double.parseDouble(RespReplies.text(new DoubleReply(0.1)))).isEqualTo(0.1);
    }

    @Test
    void nullErrorsAndAggregatesHaveNoText() {
        assertThat(RespReplies.text(NullReply.INSTANCE)).isNull();
        assertThat(RespReplies.text(new ErrorReply("ERR nope"))).isNull();
        assertThat(RespReplies.text(ArrayReply.of(BulkString.of("a")))).isNull();
        assertThat(RespReplies.text(new MapReply(List.of(Map.entry(BulkString.of("k"), BulkString.of("v"))))))
                .isNull();
        assertThat(RespReplies.text(new PushReply(List.of(BulkString.of("message"))))).isNull();
        assertThatThrownBy(() -> RespReplies.text(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void describeRendersEveryKindOnOneLine() {
        assertThat(RespReplies.describe(SimpleString.OK)).isEqualTo("OK");
        assertThat(RespReplies.describe(new BulkString(new byte[] {'a', '\r', '\n', '"', 0}))).isEqualTo(
                "\"a\\r\\n\\\"\\x00\"");
        assertThat(RespReplies.describe(new IntegerReply(42))).isEqualTo("(integer) 42");
        assertThat(RespReplies.describe(new DoubleReply(1.5))).isEqualTo("(double) 1.5");
        assertThat(RespReplies.describe(BooleanReply.TRUE)).isEqualTo("(boolean) true");
        assertThat(RespReplies.describe(new BigNumberReply("12"))).isEqualTo("(big number) 12");
        assertThat(RespReplies.describe(NullReply.INSTANCE)).isEqualTo("(nil)");
        assertThat(RespReplies.describe(new ErrorReply("WRONGTYPE bad"))).isEqualTo("(error) WRONGTYPE bad");
        assertThat(RespReplies.describe(ArrayReply.of(BulkString.of("a"), new IntegerReply(1), ArrayReply.EMPTY)))
                .isEqualTo("[\"a\", (integer) 1, []]");
        assertThat(RespReplies.describe(new PushReply(List.of(BulkString.of("message")))))
                .isEqualTo(">[\"message\"]");
        assertThat(RespReplies.describe(new MapReply(List.of(Map.entry(SimpleString.OK, NullReply.INSTANCE)))))
                .isEqualTo("{OK: (nil)}");
    }

    @Test
    void describeAbbreviatesBigReplies() {
        assertThat(RespReplies.describe(new BulkString(new byte[1000])))
                .endsWith("\"...(1000 bytes)")
                .hasSize(2 + 4 * 256 + "...(1000 bytes)".length());
        List<RespReply> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(new IntegerReply(i));
        }
        assertThat(RespReplies.describe(new ArrayReply(many))).endsWith("(integer) 15, ... (100 elements)]");
    }

    @Test
    void bulkStringToStringIsUnchanged() {
        assertThat(BulkString.of("hi\n")).hasToString("BulkString[\"hi\\n\"]");
        assertThat(new BulkString(new byte[300]).toString()).startsWith("BulkString[\"\\x00")
                .endsWith("\"...(300 bytes)]");
        assertThat(new BigNumberReply("5").toBigInteger()).isEqualTo(BigInteger.valueOf(5));
    }
}
