package io.df2redis.protocol.internal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The word-at-a-time LZF decompressor against a plain byte-at-a-time reference: same output on
 * every valid stream (literal runs and back references of every length and distance, including
 * overlapping ones), and on arbitrary bytes either the same output or an error from both.
 */
class LzfPropertiesTest {

    /** The format's reference semantics, one byte at a time; null for malformed input. */
    static byte[] reference(byte[] in, int outLen) {
        byte[] out = new byte[outLen];
        int ip = 0;
        int op = 0;
        while (ip < in.length) {
            int ctrl = in[ip++] & 0xFF;
            if (ctrl < 32) {
                for (int k = 0; k <= ctrl; k++) {
                    if (ip >= in.length || op >= outLen) {
                        return null;
                    }
                    out[op++] = in[ip++];
                }
            } else {
                int len = ctrl >>> 5;
                if (len == 7) {
                    if (ip >= in.length) {
                        return null;
                    }
                    len += in[ip++] & 0xFF;
                }
                if (ip >= in.length) {
                    return null;
                }
                int ref = op - ((ctrl & 0x1F) << 8) - 1 - (in[ip++] & 0xFF);
                if (ref < 0) {
                    return null;
                }
                for (int k = 0; k < len + 2; k++) {
                    if (op >= outLen) {
                        return null;
                    }
                    out[op++] = out[ref++];
                }
            }
        }
        return op == outLen ? out : null;
    }

    /** A valid LZF stream made of random literal runs and back references (any distance up to 8192). */
    static byte[] randomStream(long seed, int ops, int[] outLen) {
        Random r = new Random(seed);
        byte[] buf = new byte[ops * 3 + 64];
        int n = 0;
        int op = 0;
        for (int k = 0; k < ops; k++) {
            if (op == 0 || r.nextInt(3) == 0) {
                int run = 1 + r.nextInt(32);
                buf[n++] = (byte) (run - 1);
                for (int j = 0; j < run; j++) {
                    buf[n++] = (byte) r.nextInt(r.nextBoolean() ? 4 : 256);
                }
                op += run;
            } else {
                int maxDist = Math.min(op, 8192);
                int dist = 1 + (r.nextBoolean() ? r.nextInt(Math.min(maxDist, 16)) : r.nextInt(maxDist));
                int len = 3 + (r.nextInt(4) == 0 ? r.nextInt(262) : r.nextInt(20));
                int l = len - 2;
                int off = dist - 1;
                if (l < 7) {
                    buf[n++] = (byte) ((l << 5) | (off >>> 8));
                } else {
                    buf[n++] = (byte) ((7 << 5) | (off >>> 8));
                    buf[n++] = (byte) (l - 7);
                }
                buf[n++] = (byte) off;
                op += len;
            }
            if (n + 40 > buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
        }
        outLen[0] = op;
        return Arrays.copyOf(buf, n);
    }

    @Property(tries = 500)
    void matchesTheReferenceOnValidStreams(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int ops)
            throws Exception {
        int[] len = new int[1];
        byte[] in = randomStream(seed, ops, len);
        byte[] expected = reference(in, len[0]);
        assertThat(expected).isNotNull();
        assertThat(Lzf.decompress(in, 0, in.length, len[0])).isEqualTo(expected);
    }

    @Property(tries = 300)
    void decompressesIntoASliceWithoutTouchingTheRest(@ForAll long seed, @ForAll @IntRange(min = 1, max = 200) int ops,
                                                      @ForAll @IntRange(min = 0, max = 20) int before,
                                                      @ForAll @IntRange(min = 0, max = 20) int after) throws Exception {
        int[] len = new int[1];
        byte[] in = randomStream(seed, ops, len);
        byte[] padded = new byte[before + in.length + after];
        System.arraycopy(in, 0, padded, before, in.length);
        byte[] out = new byte[before + len[0] + after];
        Arrays.fill(out, (byte) 0x5A);
        Lzf.decompress(padded, before, in.length, out, before, len[0]);
        assertThat(Arrays.copyOfRange(out, before, before + len[0])).isEqualTo(reference(in, len[0]));
        for (int i = 0; i < before; i++) {
            assertThat(out[i]).isEqualTo((byte) 0x5A);
        }
        for (int i = before + len[0]; i < out.length; i++) {
            assertThat(out[i]).isEqualTo((byte) 0x5A);
        }
    }

    @Property(tries = 300)
    void roundTripsTheCompressor(@ForAll long seed, @ForAll @IntRange(min = 4, max = 20_000) int size)
            throws Exception {
        byte[] d = Lz4BlockPropertiesTest.data(seed, size);
        byte[] c = Lzf.compress(d);
        if (c != null) {
            assertThat(Lzf.decompress(c, 0, c.length, size)).isEqualTo(d);
        }
    }

    @Property(tries = 1000)
    void arbitraryBytesGiveTheReferenceResultOrATypedError(@ForAll("garbage") byte[] in,
                                                           @ForAll @IntRange(min = 1, max = 3000) int outLen) {
        byte[] expected = (long) outLen > (long) in.length * Lzf.MAX_EXPANSION ? null : reference(in, outLen);
        if (expected == null) {
            assertThatThrownBy(() -> Lzf.decompress(in, 0, in.length, outLen))
                    .isInstanceOf(Lzf.CorruptLzfException.class);
        } else {
            try {
                assertThat(Lzf.decompress(in, 0, in.length, outLen)).isEqualTo(expected);
            } catch (Lzf.CorruptLzfException e) {
                throw new AssertionError("valid input rejected", e);
            }
        }
    }

    @Property(tries = 300)
    void corruptedValidStreamsGiveTheReferenceResultOrATypedError(@ForAll long seed,
                                                                  @ForAll @IntRange(min = 1, max = 100) int ops,
                                                                  @ForAll @IntRange(min = -3, max = 3) int lenDelta) {
        int[] len = new int[1];
        byte[] in = randomStream(seed, ops, len);
        Random r = new Random(~seed);
        in[r.nextInt(in.length)] ^= (byte) (1 + r.nextInt(255));
        int outLen = Math.max(1, len[0] + lenDelta);
        byte[] expected = reference(in, outLen);
        try {
            byte[] got = Lzf.decompress(in, 0, in.length, outLen);
            assertThat(got).isEqualTo(expected);
        } catch (Lzf.CorruptLzfException e) {
            assertThat(expected).isNull();
        }
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(200);
    }
}
