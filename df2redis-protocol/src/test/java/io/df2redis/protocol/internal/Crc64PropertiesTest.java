package io.df2redis.protocol.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The slicing-by-8 (and three-way interleaved) CRC-64 against a bit-at-a-time reference of the same polynomial. */
class Crc64PropertiesTest {

    /** CRC-64/Jones (Redis): reflected, init 0, no final xor, one bit at a time. */
    static long reference(long crc, byte[] b, int off, int len) {
        long poly = Long.reverse(0xad93d23594c935a9L);
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xFFL;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            }
        }
        return crc;
    }

    @Example
    void knownCheckValue() {
        assertThat(Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xe9c6d914c4b8d9caL);
    }

    @Property(tries = 500)
    void matchesTheReference(@ForAll @Size(max = 300) byte[] b, @ForAll long start,
                             @ForAll @IntRange(min = 0, max = 300) int off) {
        int o = Math.min(off, b.length);
        assertThat(Crc64.update(start, b, o, b.length - o)).isEqualTo(reference(start, b, o, b.length - o));
    }

    @Property(tries = 300)
    void splitsAnywhere(@ForAll @Size(max = 200) byte[] b, @ForAll @IntRange(min = 0, max = 200) int cut) {
        int c = Math.min(cut, b.length);
        long split = Crc64.update(Crc64.update(0, b, 0, c), b, c, b.length - c);
        assertThat(split).isEqualTo(Crc64.of(b));
    }

    @Property(tries = 200)
    void longRangesMatchTheReference(@ForAll @Size(min = 1000, max = 40_000) byte[] b, @ForAll long start,
                                     @ForAll @IntRange(min = 0, max = 17) int off) {
        int o = Math.min(off, b.length);
        assertThat(Crc64.update(start, b, o, b.length - o)).isEqualTo(reference(start, b, o, b.length - o));
    }

    @Property(tries = 300)
    void combineJoinsTwoChecksums(@ForAll @Size(max = 3000) byte[] a, @ForAll @Size(max = 3000) byte[] b,
                                  @ForAll long start) {
        byte[] ab = new byte[a.length + b.length];
        System.arraycopy(a, 0, ab, 0, a.length);
        System.arraycopy(b, 0, ab, a.length, b.length);
        long joined = Crc64.combine(reference(start, a, 0, a.length), reference(0, b, 0, b.length), b.length);
        assertThat(joined).isEqualTo(reference(start, ab, 0, ab.length));
    }

    @Property(tries = 200)
    void byteBufsGiveTheSameChecksum(@ForAll @Size(max = 20_000) byte[] b, @ForAll @IntRange(min = 0, max = 50)
            int skip) {
        int s = Math.min(skip, b.length);
        ByteBuf heap = Unpooled.wrappedBuffer(b);
        ByteBuf direct = Unpooled.directBuffer(b.length).writeBytes(b);
        try {
            long want = reference(0, b, s, b.length - s);
            assertThat(Crc64.update(0, heap, s, b.length - s)).isEqualTo(want);
            assertThat(Crc64.update(0, direct, s, b.length - s)).isEqualTo(want);
        } finally {
            direct.release();
        }
    }
}
