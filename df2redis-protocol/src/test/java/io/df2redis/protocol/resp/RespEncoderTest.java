package io.df2redis.protocol.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RespEncoderTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String written(java.util.function.Consumer<ByteBuf> writer) {
        ByteBuf out = Unpooled.buffer(4);
        try {
            writer.accept(out);
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    @Test
    void byteArrayCommand() {
        assertThat(written(out -> RespEncoder.writeCommand(out, b("SET"), b("key"), b("value"))))
                .isEqualTo("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n");
        assertThat(RespEncoder.commandSize(b("SET"), b("key"), b("value"))).isEqualTo(33);
        assertThat(written(out -> RespEncoder.writeCommand(out, b("GET"), new byte[0])))
                .isEqualTo("*2\r\n$3\r\nGET\r\n$0\r\n\r\n");
        assertThat(written(out -> RespEncoder.writeCommand(out, new byte[0][]))).isEqualTo("*0\r\n");
    }

    @Test
    void listCommand() {
        List<byte[]> args = List.of(b("REPLCONF"), b("capa"), b("dragonfly"));
        assertThat(written(out -> RespEncoder.writeCommand(out, args)))
                .isEqualTo("*3\r\n$8\r\nREPLCONF\r\n$4\r\ncapa\r\n$9\r\ndragonfly\r\n");
        assertThat(RespEncoder.commandSize(args)).isEqualTo(RespEncoder.commandSize(args.toArray(new byte[0][])));
    }

    @Test
    void charSequenceCommandIsUtf8() {
        assertThat(written(out -> RespEncoder.writeCommand(out, "DFLY", "FLOW", "id", "1")))
                .isEqualTo("*4\r\n$4\r\nDFLY\r\n$4\r\nFLOW\r\n$2\r\nid\r\n$1\r\n1\r\n");
        StringBuilder sb = new StringBuilder("\u00e9\u20ac\uD83D\uDE00"); // 2 + 3 + 4 bytes
        assertThat(written(out -> RespEncoder.writeCommand(out, "SET", sb)))
                .isEqualTo("*2\r\n$3\r\nSET\r\n$9\r\n\u00e9\u20ac\uD83D\uDE00\r\n");
        assertThat(RespEncoder.commandSize("SET", sb)).isEqualTo(13 + 15);
        // an unpaired surrogate is written as '?', and the declared length agrees
        assertThat(written(out -> RespEncoder.writeCommand(out, "a\uD800b"))).isEqualTo("*1\r\n$3\r\na?b\r\n");
        assertThat(RespEncoder.commandSize("a\uD800b")).isEqualTo(13);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 9, 10, 99, 100, 999, 1023, 1024, 1025, 9999, 10000, 65536, 100001})
    void bulkHeadersAroundTheCache(int length) {
        byte[] payload = new byte[length];
        Arrays.fill(payload, (byte) 'x');
        ByteBuf out = Unpooled.buffer();
        RespEncoder.writeCommand(out, payload);
        String expected = "*1\r\n$" + length + "\r\n" + "x".repeat(length) + "\r\n";
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(expected);
        assertThat(RespEncoder.commandSize(payload)).isEqualTo(expected.length());
        assertThat(RespEncoder.bulkStringSize(length)).isEqualTo(expected.length() - 4);
        out.release();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1023, 1024, 1500, 12345})
    void arrayHeadersAroundTheCache(int count) {
        List<byte[]> args = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            args.add(b("a"));
        }
        ByteBuf out = Unpooled.buffer();
        RespEncoder.writeCommand(out, args);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("*" + count + "\r\n" + "$1\r\na\r\n".repeat(count));
        assertThat(out.readableBytes()).isEqualTo((int) RespEncoder.commandSize(args));
        out.release();
        assertThat(written(o -> RespEncoder.writeArrayHeader(o, count))).isEqualTo("*" + count + "\r\n");
    }

    @Test
    void encodeAllocatesExactly() {
        for (ByteBufAllocator alloc : List.of(PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT)) {
            byte[][] args = {b("SET"), b("k"), new byte[5000]};
            ByteBuf buf = RespEncoder.encode(alloc, args);
            try {
                assertThat(buf.readableBytes()).isEqualTo((int) RespEncoder.commandSize(args));
                assertThat(buf.capacity()).isEqualTo(buf.readableBytes());
                assertThat(buf.writableBytes()).isZero();
            } finally {
                assertThat(buf.release()).isTrue();
            }
            ByteBuf fromList = RespEncoder.encode(alloc, List.of(args));
            ByteBuf fromChars = RespEncoder.encode(alloc, "PING", "h\u00e9");
            try {
                assertThat(fromList.capacity()).isEqualTo(fromList.readableBytes());
                assertThat(fromChars.toString(StandardCharsets.UTF_8)).isEqualTo("*2\r\n$4\r\nPING\r\n$3\r\nh\u00e9\r\n");
                assertThat(fromChars.capacity()).isEqualTo(fromChars.readableBytes());
            } finally {
                fromList.release();
                fromChars.release();
            }
        }
    }

    @Test
    void appendsAfterExistingContent() {
        ByteBuf out = Unpooled.buffer();
        out.writeBytes(b("prefix"));
        RespEncoder.writeCommand(out, "PING");
        RespEncoder.writeCommand(out, b("ECHO"), b("x"));
        assertThat(out.toString(StandardCharsets.US_ASCII))
                .isEqualTo("prefix*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n");
        out.release();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, -1, 9, 10, -10, 99, 100, 12345, 9_999_999_999L, 10_000_000_000L,
        Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 1_000_000_000_000_000_000L})
    void decimalBulkStrings(long value) {
        String text = Long.toString(value);
        assertThat(written(out -> RespEncoder.writeBulkString(out, value)))
                .isEqualTo("$" + text.length() + "\r\n" + text + "\r\n");
        assertThat(RespEncoder.decimalLength(value)).isEqualTo(text.length());
    }

    @Test
    void bulkStringBuildingBlocks() {
        ByteBuf value = Unpooled.wrappedBuffer(b("xxpayload"));
        value.skipBytes(2);
        String out = written(o -> {
            RespEncoder.writeArrayHeader(o, 4);
            RespEncoder.writeBulkString(o, b("REPLCONF"));
            RespEncoder.writeBulkString(o, "ACK");
            RespEncoder.writeBulkString(o, 1234L);
            RespEncoder.writeBulkString(o, value);
        });
        assertThat(out).isEqualTo("*4\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$4\r\n1234\r\n$7\r\npayload\r\n");
        assertThat(value.readerIndex()).isEqualTo(2);
    }

    @Test
    void rejectsNulls() {
        ByteBuf out = Unpooled.buffer();
        assertThatThrownBy(() -> RespEncoder.writeCommand(out, b("GET"), null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("args[1]");
        assertThatThrownBy(() -> RespEncoder.writeCommand(out, "GET", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("args[1]");
        assertThatThrownBy(() -> RespEncoder.encode(UnpooledByteBufAllocator.DEFAULT, b("GET"), null))
                .isInstanceOf(NullPointerException.class);
        assertThat(out.writerIndex()).isZero();
        assertThatThrownBy(() -> RespEncoder.writeArrayHeader(out, -1)).isInstanceOf(IllegalArgumentException.class);
        out.release();
    }

    @Test
    void encodedCommandsDecode() {
        ByteBuf out = Unpooled.buffer();
        RespEncoder.writeCommand(out, b("DFLY"), b("SYNC"), new byte[] {0, '\r', '\n', (byte) 0xFF});
        RespReply reply = new RespDecoder().decode(out);
        assertThat(reply).isEqualTo(ArrayReply.of(BulkString.of("DFLY"), BulkString.of("SYNC"),
                new BulkString(new byte[] {0, '\r', '\n', (byte) 0xFF})));
        out.release();
    }
}
