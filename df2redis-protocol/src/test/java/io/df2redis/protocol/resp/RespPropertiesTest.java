package io.df2redis.protocol.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.protocol.LimitExceededException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Property-based tests: round trips, arbitrary splits, and hostile input. */
class RespPropertiesTest {

    private static final RespDecoder.Limits SMALL_LIMITS = RespDecoder.Limits.builder()
            .maxBulkLength(4096).maxAggregateElements(64).maxNestingDepth(8).maxLineLength(128).build();

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<RespReply> replies() {
        return Arbitraries.recursive(this::leaves,
                inner -> Arbitraries.frequencyOf(Tuple.of(1, inner), Tuple.of(2, containers(inner))), 0, 4);
    }

    @Provide
    Arbitrary<List<RespReply>> replyLists() {
        return replies().list().ofMinSize(1).ofMaxSize(4);
    }

    private Arbitrary<RespReply> leaves() {
        Arbitrary<String> lineText = Arbitraries.strings()
                .withCharRange(' ', '~').withCharRange('\u00a0', '\u07ff').withCharRange('\u3000', '\u30ff')
                .withChars('\0', '\t', '\u20ac').ofMaxLength(24);
        Arbitrary<String> anyText = Arbitraries.oneOf(lineText,
                Arbitraries.strings().withCharRange(' ', '~').withChars('\r', '\n').ofMaxLength(24));
        Arbitrary<byte[]> payloads = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.bytes().array(byte[].class).ofMaxSize(40)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(1000).ofMaxSize(1100)));
        Arbitrary<Double> doubles = Arbitraries.oneOf(Arbitraries.doubles(),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
                        Double.MIN_VALUE, Double.MAX_VALUE, 1e300, -1.5e-300));
        Arbitrary<BigInteger> bigs = Arbitraries.bigIntegers()
                .between(BigInteger.TEN.pow(45).negate(), BigInteger.TEN.pow(45));
        return Arbitraries.<RespReply>oneOf(
                lineText.map(SimpleString::new),
                anyText.map(ErrorReply::new),
                Arbitraries.longs().map(IntegerReply::new),
                payloads.map(BulkString::new),
                Arbitraries.just(NullReply.INSTANCE),
                doubles.map(DoubleReply::new),
                Arbitraries.of(true, false).map(BooleanReply::of),
                bigs.map(b -> new BigNumberReply(b.toString())));
    }

    private Arbitrary<RespReply> containers(Arbitrary<RespReply> inner) {
        Arbitrary<List<RespReply>> lists = inner.list().ofMaxSize(4);
        Arbitrary<Map.Entry<RespReply, RespReply>> entries = Combinators.combine(inner, inner).as(Map::entry);
        return Arbitraries.<RespReply>oneOf(
                lists.map(ArrayReply::new),
                lists.map(PushReply::new),
                entries.list().ofMaxSize(3).map(MapReply::new));
    }

    @Provide
    Arbitrary<List<byte[]>> commandArgs() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.bytes().array(byte[].class).ofMaxSize(30)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(1020).ofMaxSize(1030)))
                .list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<String> validUnicode() {
        return Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .list().ofMaxSize(12)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
    }

    /** Bytes drawn mostly from RESP's alphabet, so garbage often looks almost valid. */
    @Provide
    Arbitrary<byte[]> garbage() {
        return respishBytes().list().ofMaxSize(300).map(RespPropertiesTest::toArray);
    }

    private static Arbitrary<Byte> respishBytes() {
        byte[] alphabet = "+-:$*_,#(=!%|~>\r\n\r\n0123456789-1?tf.e".getBytes(StandardCharsets.US_ASCII);
        List<Byte> respBytes = new ArrayList<>();
        for (byte b : alphabet) {
            respBytes.add(b);
        }
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(respBytes)), Tuple.of(1, Arbitraries.bytes()));
    }

    @Provide
    Arbitrary<List<Tuple2<Integer, Byte>>> mutations() {
        return Combinators.combine(Arbitraries.integers().greaterOrEqual(0), respishBytes()).as(Tuple::of)
                .list().ofMinSize(1).ofMaxSize(4);
    }

    private static byte[] toArray(List<Byte> bytes) {
        byte[] array = new byte[bytes.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = bytes.get(i);
        }
        return array;
    }

    private static byte[] encode(List<RespReply> replies, long seed) {
        RespTreeWriter writer = new RespTreeWriter(seed);
        replies.forEach(writer::write);
        return writer.toByteArray();
    }

    // ------------------------------------------------------------------ round trips

    @Property(tries = 500)
    void treesRoundTripWhole(@ForAll("replies") RespReply reply, @ForAll long seed) {
        byte[] data = encode(List.of(reply), seed);
        RespDecoder decoder = new RespDecoder();
        ByteBuf in = Unpooled.wrappedBuffer(data);
        assertThat(decoder.decode(in)).isEqualTo(reply);
        assertThat(in.isReadable()).isFalse();
        assertThat(decoder.bytesConsumed()).isEqualTo(data.length);
        assertThat(decoder.isMidReply()).isFalse();
    }

    @Property(tries = 500)
    void canonicalEncodingRoundTrips(@ForAll("replyLists") List<RespReply> replies) {
        byte[] data = RespTreeWriter.canonical(replies.toArray(new RespReply[0]));
        assertThat(RespFeed.decodeAll(new RespDecoder(), data)).isEqualTo(replies);
    }

    @Property(tries = 500)
    void treesRoundTripSplitAnywhere(@ForAll("replyLists") List<RespReply> replies, @ForAll long seed,
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 1 << 20) Integer> cuts,
            @ForAll boolean discardBetweenPieces) {
        byte[] data = encode(replies, seed);
        int[] cutPoints = cuts.stream().mapToInt(c -> c % (data.length + 1)).toArray();
        RespDecoder decoder = new RespDecoder();
        assertThat(RespFeed.decodeSplit(decoder, data, cutPoints, discardBetweenPieces)).isEqualTo(replies);
        assertThat(decoder.bytesConsumed()).isEqualTo(data.length);
    }

    @Property(tries = 200)
    void treesRoundTripByteByByte(@ForAll("replyLists") List<RespReply> replies, @ForAll long seed) {
        byte[] data = encode(replies, seed);
        RespDecoder decoder = new RespDecoder();
        assertThat(RespFeed.decodeInPieces(decoder, data, 1)).isEqualTo(replies);
        assertThat(decoder.bytesConsumed()).isEqualTo(data.length);
    }

    @Property(tries = 500)
    void encodedCommandsDecodeToTheSameArguments(@ForAll("commandArgs") List<byte[]> args,
            @ForAll @IntRange(min = 1, max = 64) int pieceSize) {
        ArrayReply expected = new ArrayReply(args.stream().map(a -> (RespReply) new BulkString(a)).toList());

        ByteBuf out = Unpooled.buffer();
        RespEncoder.writeCommand(out, args);
        RespEncoder.writeCommand(out, args.toArray(new byte[0][]));
        ByteBuf pooled = RespEncoder.encode(PooledByteBufAllocator.DEFAULT, args.toArray(new byte[0][]));
        try {
            long size = RespEncoder.commandSize(args);
            assertThat(out.readableBytes()).isEqualTo(2 * size);
            assertThat(pooled.readableBytes()).isEqualTo(size);
            assertThat(pooled.capacity()).isEqualTo(size);
            out.writeBytes(pooled, pooled.readerIndex(), pooled.readableBytes());
            byte[] data = new byte[out.readableBytes()];
            out.getBytes(out.readerIndex(), data);
            assertThat(RespFeed.decodeInPieces(new RespDecoder(), data, pieceSize))
                    .containsExactly(expected, expected, expected);
        } finally {
            out.release();
            pooled.release();
        }
    }

    /**
     * {@code encode} writes small commands through a per-thread array and large ones piece by
     * piece: both give exactly {@code writeCommand}'s bytes, with argument lengths across the cached
     * headers' bound and command sizes across the array's.
     */
    @Property(tries = 200)
    void encodeEqualsWriteCommandOnBothSidesOfTheScratchSize(
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 6000) Integer> lengths,
            @ForAll @IntRange(min = 0, max = 60_000) int pad, @ForAll long seed) {
        Random r = new Random(seed);
        List<byte[]> args = new ArrayList<>();
        for (int len : lengths) {
            byte[] a = new byte[len];
            r.nextBytes(a);
            args.add(a);
        }
        args.add(new byte[pad * (r.nextBoolean() ? 1 : 3)]); // pushes some commands past SCRATCH_BYTES
        ByteBuf expected = Unpooled.buffer();
        RespEncoder.writeCommand(expected, args);
        ByteBuf pooled = RespEncoder.encode(PooledByteBufAllocator.DEFAULT, args);
        try {
            Statistics.label("past the scratch array").collect(expected.readableBytes() > RespEncoder.SCRATCH_BYTES);
            assertThat(readable(pooled)).isEqualTo(readable(expected));
        } finally {
            expected.release();
            pooled.release();
        }
    }

    private static byte[] readable(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }

    @Property(tries = 300)
    void charSequenceCommandsAreUtf8(@ForAll @Size(max = 8) List<@From("validUnicode") String> args) {
        ByteBuf out = Unpooled.buffer();
        try {
            RespEncoder.writeCommand(out, args.toArray(new CharSequence[0]));
            assertThat(out.readableBytes()).isEqualTo(RespEncoder.commandSize(args.toArray(new CharSequence[0])));
            RespReply reply = new RespDecoder().decode(out);
            assertThat(reply).isEqualTo(new ArrayReply(args.stream().map(s -> (RespReply) BulkString.of(s)).toList()));
            assertThat(out.isReadable()).isFalse();
        } finally {
            out.release();
        }
    }

    @Property(tries = 300)
    void decimalBulkStringsMatchLongToString(@ForAll long value) {
        ByteBuf out = Unpooled.buffer();
        try {
            RespEncoder.writeBulkString(out, value);
            String text = Long.toString(value);
            assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("$" + text.length() + "\r\n" + text + "\r\n");
        } finally {
            out.release();
        }
    }

    // ------------------------------------------------------------------ hostile input

    @Property(tries = 500)
    void truncatedInputYieldsAPrefixAndNeverThrows(@ForAll("replyLists") List<RespReply> replies,
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 1 << 20) int cut,
            @ForAll @IntRange(min = 1, max = 16) int pieceSize) {
        byte[] data = encode(replies, seed);
        byte[] prefix = java.util.Arrays.copyOf(data, cut % data.length); // strictly shorter
        List<RespReply> whole = RespFeed.decodeAll(new RespDecoder(), prefix);
        List<RespReply> pieces = RespFeed.decodeInPieces(new RespDecoder(), prefix, pieceSize);
        assertThat(whole).hasSizeLessThan(replies.size()).isEqualTo(replies.subList(0, whole.size()));
        assertThat(pieces).isEqualTo(whole);
    }

    @Property(tries = 1000)
    void corruptedInputFailsOnlyWithProtocolErrors(@ForAll("replyLists") List<RespReply> replies,
            @ForAll long seed, @ForAll("mutations") List<Tuple2<Integer, Byte>> mutations,
            @ForAll @IntRange(min = 0, max = 1 << 20) int cut, @ForAll boolean truncate,
            @ForAll @IntRange(min = 1, max = 32) int pieceSize, @ForAll boolean smallLimits) {
        byte[] data = encode(replies, seed);
        for (Tuple2<Integer, Byte> m : mutations) {
            data[m.get1() % data.length] = m.get2();
        }
        if (truncate) {
            data = java.util.Arrays.copyOf(data, cut % (data.length + 1));
        }
        assertFailsCleanly(data, pieceSize, smallLimits);
    }

    @Property(tries = 1000)
    void randomGarbageFailsOnlyWithProtocolErrors(@ForAll("garbage") byte[] data,
            @ForAll @IntRange(min = 1, max = 32) int pieceSize, @ForAll boolean smallLimits) {
        assertFailsCleanly(data, pieceSize, smallLimits);
    }

    @Property(tries = 300)
    void uniformlyRandomBytesFailOnlyWithProtocolErrors(@ForAll @Size(max = 200) byte[] data,
            @ForAll @IntRange(min = 1, max = 32) int pieceSize) {
        assertFailsCleanly(data, pieceSize, false);
    }

    @Property(tries = 200)
    void randomSpliceOfValidStreamsFailsCleanly(@ForAll("replyLists") List<RespReply> a,
            @ForAll("replyLists") List<RespReply> b, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 1 << 20) int from, @ForAll @IntRange(min = 0, max = 1 << 20) int to) {
        byte[] left = encode(a, seed);
        byte[] right = encode(b, ~seed);
        ByteArrayOutputStream spliced = new ByteArrayOutputStream();
        spliced.write(left, 0, from % (left.length + 1));
        int start = to % (right.length + 1);
        spliced.write(right, start, right.length - start);
        assertFailsCleanly(spliced.toByteArray(), 1 + new Random(seed).nextInt(16), new Random(seed).nextBoolean());
    }

    /**
     * Feeds {@code data} in pieces; the only permitted outcomes are replies, {@code null} (waiting
     * for more) and the two protocol exceptions. Every returned reply consumes at least 3 bytes,
     * so the loop is bounded by the input size.
     */
    private static void assertFailsCleanly(byte[] data, int pieceSize, boolean smallLimits) {
        RespDecoder decoder = new RespDecoder(smallLimits ? SMALL_LIMITS : RespDecoder.Limits.DEFAULT);
        ByteBuf in = Unpooled.buffer(data.length + 1);
        int decoded = 0;
        try {
            for (int from = 0; from < data.length; from += pieceSize) {
                in.writeBytes(data, from, Math.min(pieceSize, data.length - from));
                int before;
                RespReply reply;
                do {
                    before = in.readerIndex();
                    reply = decoder.decode(in);
                    if (reply != null) {
                        decoded++;
                        assertThat(in.readerIndex() - before).isGreaterThanOrEqualTo(3);
                    } else {
                        assertThat(in.readerIndex()).isEqualTo(before);
                    }
                } while (reply != null);
            }
            assertThat(decoded).isLessThanOrEqualTo(data.length / 3);
            assertThat(decoder.bytesConsumed()).isEqualTo(in.readerIndex());
            Statistics.label("outcome").collect(decoder.isMidReply() ? "waiting for more" : "all decoded");
        } catch (RespProtocolException | LimitExceededException expected) {
            assertThat(expected.offset()).isBetween(0L, (long) data.length);
            Statistics.label("outcome").collect(expected.getClass().getSimpleName());
        } finally {
            in.release();
        }
    }
}
