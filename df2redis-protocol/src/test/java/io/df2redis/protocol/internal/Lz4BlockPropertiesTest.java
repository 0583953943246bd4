package io.df2redis.protocol.internal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The LZ4 block decoder: exact round trips, and corrupt or truncated frames end in BadBlobException only. */
class Lz4BlockPropertiesTest {

    /** Compressible data: runs, repeats at short and long distances (overlapping matches), noise. */
    static byte[] data(long seed, int size) {
        Random r = new Random(seed);
        byte[] d = new byte[size];
        int i = 0;
        while (i < size) {
            int kind = r.nextInt(4);
            int len = Math.min(size - i, 1 + r.nextInt(kind == 3 ? 40 : 600));
            for (int j = 0; j < len; j++, i++) {
                d[i] = switch (kind) {
                    case 0 -> (byte) 'a';                                             // run: offset-1 matches
                    case 1 -> i >= 3 ? d[i - 3] : (byte) 'x';                         // short overlapping period
                    case 2 -> i >= 70_000 ? d[i - 70_000 + r.nextInt(3)] : (byte) r.nextInt(4); // far, fuzzy
                    default -> (byte) r.nextInt(256);                                 // incompressible
                };
            }
        }
        return d;
    }

    @Property(tries = 60)
    void roundTrips(@ForAll long seed, @ForAll @IntRange(min = 0, max = 300_000) int size) throws Exception {
        byte[] d = data(seed, size);
        byte[] frame = BlobCodec.compressLz4(d);
        assertThat(BlobCodec.decompressLz4(frame, size + 1)).isEqualTo(d);
    }

    @Property(tries = 300)
    void corruptFramesFailTyped(@ForAll long seed, @ForAll("sizes") int size, @ForAll @IntRange(min = 1, max = 8)
            int flips) {
        byte[] frame = BlobCodec.compressLz4(data(seed, size));
        Random r = new Random(seed ^ 0x5DEECE66DL);
        for (int k = 0; k < flips; k++) {
            int at = 15 + r.nextInt(Math.max(1, frame.length - 15)); // past the descriptor checksum
            if (at < frame.length) {
                frame[at] ^= (byte) (1 + r.nextInt(255));
            }
        }
        try {
            byte[] out = BlobCodec.decompressLz4(frame, size + 1);
            assertThat(out.length).isEqualTo(size); // a flip inside literals decodes, to the declared size
        } catch (BlobCodec.BadBlobException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 200)
    void truncatedFramesFailTyped(@ForAll long seed, @ForAll("sizes") int size, @ForAll @IntRange(min = 1) int cut) {
        byte[] frame = BlobCodec.compressLz4(data(seed, size));
        int keep = cut % frame.length;
        byte[] t = java.util.Arrays.copyOf(frame, keep);
        assertThatThrownBy(() -> BlobCodec.decompressLz4(t, size + 1)).isInstanceOf(BlobCodec.BadBlobException.class);
    }

    /**
     * Decompressing into a reused, larger array filled with other bytes: the same bytes and count,
     * and a corrupt frame fails exactly as it does into a fresh array of the declared size (the
     * bound is the declared size, not the array's).
     */
    @Property(tries = 200)
    void reusedArraysDecodeAndFailAsFreshOnes(@ForAll long seed, @ForAll("sizes") int size,
            @ForAll @IntRange(min = 0, max = 8) int flips, @ForAll @IntRange(min = 0, max = 70_000) int extra) {
        byte[] frame = BlobCodec.compressLz4(data(seed, size));
        Random r = new Random(seed ^ 0x2545F4914F6CDD1DL);
        for (int k = 0; k < flips; k++) {
            int at = 15 + r.nextInt(Math.max(1, frame.length - 15));
            if (at < frame.length) {
                frame[at] ^= (byte) (1 + r.nextInt(255));
            }
        }
        byte[] reuse = new byte[size + extra];
        r.nextBytes(reuse);
        Object fresh = outcome(frame, size + 1, null);
        Object reused = outcome(frame, size + 1, reuse);
        assertThat(reused).isEqualTo(fresh);
    }

    /** The decoded bytes, or the failure's class and message. */
    private static Object outcome(byte[] frame, int maxOut, byte[] reuse) {
        try {
            BlobCodec.Decompressed d = BlobCodec.decompressLz4Into(frame, maxOut, reuse);
            return java.util.HexFormat.of().formatHex(d.bytes(), 0, d.length());
        } catch (BlobCodec.BadBlobException e) {
            return e.getClass().getName() + ": " + e.getMessage() + " limit=" + e.isLimit();
        }
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.integers().between(1, 140_000);
    }
}
