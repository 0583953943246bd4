package io.df2redis.protocol.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class RespReplyTest {

    @ParameterizedTest
    @EnumSource(value = ErrorKind.class, mode = EnumSource.Mode.EXCLUDE, names = "OTHER")
    void everyKnownErrorCodeMapsToItsKind(ErrorKind kind) {
        ErrorReply reply = new ErrorReply(kind.name() + " some explanation");
        assertThat(reply.code()).isEqualTo(kind.name());
        assertThat(reply.kind()).isEqualTo(kind);
        assertThat(ErrorKind.fromCode(kind.name())).isEqualTo(kind);
        assertThat(kind.isRedirect()).isEqualTo(kind == ErrorKind.MOVED || kind == ErrorKind.ASK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SYNTAX invalid syntax", "err lowercase", "ERRX nope", "", " leading space", "NOTBUSY x"})
    void unknownCodesAreOther(String message) {
        assertThat(new ErrorReply(message).kind()).isEqualTo(ErrorKind.OTHER);
    }

    @Test
    void codeAndDetail() {
        ErrorReply bare = new ErrorReply("NOAUTH");
        assertThat(bare.code()).isEqualTo("NOAUTH");
        assertThat(bare.detail()).isEmpty();
        assertThat(bare.kind()).isEqualTo(ErrorKind.NOAUTH);
        ErrorReply full = new ErrorReply("WRONGPASS invalid username-password pair or user is disabled.");
        assertThat(full.code()).isEqualTo("WRONGPASS");
        assertThat(full.detail()).isEqualTo("invalid username-password pair or user is disabled.");
        assertThat(new ErrorReply("BUSY Redis is busy running a script").kind()).isEqualTo(ErrorKind.BUSY);
        assertThat(new ErrorReply("OOM command not allowed when used memory > 'maxmemory'.").kind())
                .isEqualTo(ErrorKind.OOM);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "MOVED 3999 127.0.0.1:6381        | 3999  | 127.0.0.1          | 6381",
        "ASK 3999 127.0.0.1:6381          | 3999  | 127.0.0.1          | 6381",
        "MOVED 0 [::1]:7000               | 0     | ::1                | 7000",
        "MOVED 16383 ::1:7000             | 16383 | ::1                | 7000",
        "ASK 12 [2001:db8::7]:6379        | 12    | 2001:db8::7        | 6379",
        "MOVED 12 2001:db8::7:6379        | 12    | 2001:db8::7        | 6379",
        "MOVED 3999 redis-7.example.com:6379 | 3999 | redis-7.example.com | 6379",
        "MOVED 3999 :6381                 | 3999  | ''                 | 6381",
        "MOVED 3999 []:6381               | 3999  | ''                 | 6381",
        "MOVED 3999 10.0.0.1:6381 extra   | 3999  | 10.0.0.1           | 6381",
    })
    void redirects(String message, int slot, String host, int port) {
        ErrorReply reply = new ErrorReply(message);
        assertThat(reply.redirect()).contains(new Redirect(slot, host, port));
        Redirect redirect = reply.redirect().orElseThrow();
        assertThat(redirect.isSameHost()).isEqualTo(host.isEmpty());
        assertThat(redirect.hostOr("10.9.9.9")).isEqualTo(host.isEmpty() ? "10.9.9.9" : host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MOVED", "MOVED 3999", "MOVED x 127.0.0.1:6381", "MOVED 16384 127.0.0.1:6381",
        "MOVED -1 127.0.0.1:6381", "MOVED 3999 127.0.0.1", "MOVED 3999 127.0.0.1:", "MOVED 3999 127.0.0.1:65536",
        "MOVED 3999 127.0.0.1:port", "ASK 3999 [::1]7000", "ASK 3999 [::1", "ASK 3999 [::1]:",
        "MOVED 99999999999 h:1"})
    void malformedRedirectsAreEmpty(String message) {
        ErrorReply reply = new ErrorReply(message);
        assertThat(reply.kind().isRedirect()).isTrue();
        assertThat(reply.redirect()).isEmpty();
    }

    @Test
    void nonRedirectErrorsHaveNoRedirect() {
        assertThat(new ErrorReply("ERR MOVED 3999 127.0.0.1:6381").redirect()).isEmpty();
        assertThat(new ErrorReply("TRYAGAIN Multiple keys request during rehashing of slot").redirect()).isEmpty();
        assertThat(Redirect.parse("LOADING 1 h:2")).isEmpty();
    }

    @Test
    void redirectValidatesItsComponents() {
        assertThatThrownBy(() -> new Redirect(16384, "h", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Redirect(1, "h", 70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Redirect(1, null, 1)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void bulkStringComparesContent() {
        BulkString a = new BulkString(new byte[] {1, 2, 3});
        BulkString b = new BulkString(new byte[] {1, 2, 3});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(new BulkString(new byte[] {1, 2}));
        assertThat(a.toString()).isEqualTo(b.toString()).isEqualTo("BulkString[\"\\x01\\x02\\x03\"]");
        assertThat(BulkString.of("h\u00e9 \"q\"\r\n").toString()).isEqualTo("BulkString[\"h\\xc3\\xa9 \\\"q\\\"\\r\\n\"]");
        assertThat(BulkString.of("x".repeat(1000)).toString()).endsWith("...(1000 bytes)]").hasSizeLessThan(300);
        assertThat(BulkString.of("h\u00e9").asString()).isEqualTo("h\u00e9");
        assertThat(BulkString.of("abc").length()).isEqualTo(3);
        assertThat(a).isNotEqualTo(new SimpleString("\u0001\u0002\u0003"));
    }

    @Test
    void containersCompareStructurally() {
        RespReply tree = ArrayReply.of(BulkString.of("a"), new MapReply(List.of(Map.entry(BulkString.of("k"),
                new DoubleReply(Double.NaN)))), NullReply.INSTANCE);
        RespReply same = ArrayReply.of(BulkString.of("a"), new MapReply(List.of(Map.entry(BulkString.of("k"),
                new DoubleReply(Double.NaN)))), NullReply.INSTANCE);
        assertThat(tree).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(tree.toString()).isEqualTo(same.toString()).contains("BulkString[\"k\"]");
        assertThat(new PushReply(List.of(BulkString.of("x")))).isNotEqualTo(ArrayReply.of(BulkString.of("x")));
    }

    @Test
    void aggregatesAreImmutableCopies() {
        List<RespReply> source = new ArrayList<>(List.of(new IntegerReply(1)));
        ArrayReply array = new ArrayReply(source);
        source.add(new IntegerReply(2));
        assertThat(array.size()).isEqualTo(1);
        assertThatThrownBy(() -> array.elements().add(NullReply.INSTANCE))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new ArrayReply(java.util.Arrays.asList((RespReply) null)))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void scalars() {
        assertThat(BooleanReply.of(true)).isSameAs(BooleanReply.TRUE);
        assertThat(BooleanReply.of(false)).isSameAs(BooleanReply.FALSE).isEqualTo(new BooleanReply(false));
        assertThat(new DoubleReply(Double.NaN)).isEqualTo(new DoubleReply(Double.NaN));
        assertThat(new DoubleReply(0.0)).isNotEqualTo(new DoubleReply(-0.0));
        assertThat(new BigNumberReply("-123").toBigInteger()).isEqualTo(java.math.BigInteger.valueOf(-123));
        assertThat(NullReply.INSTANCE.isNull()).isTrue();
        assertThat(NullReply.INSTANCE).hasToString("NullReply");
        assertThat(new IntegerReply(5).isNull()).isFalse();
        assertThat(new IntegerReply(5).isError()).isFalse();
        assertThat(new PushReply(List.of()).kind()).isEmpty();
        assertThat(new PushReply(List.of(new SimpleString("invalidate"))).kind()).isEqualTo("invalidate");
        assertThat(new MapReply(List.of(Map.entry(new IntegerReply(1), new IntegerReply(2)),
                Map.entry(new IntegerReply(1), new IntegerReply(3)))).asMap())
                .containsExactly(Map.entry(new IntegerReply(1), new IntegerReply(3)));
    }
}
