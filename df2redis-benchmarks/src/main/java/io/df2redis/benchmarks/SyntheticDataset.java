package io.df2redis.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.List;
import java.util.Locale;

/**
 * A big dataset defined by a few numbers and generated on demand, never held in memory: {@code keys}
 * strings {@code key:0} … {@code key:<keys-1>} of {@code valueBytes} bytes each, spread over
 * {@code flows} flows ({@code key:j} goes to flow {@code j % flows}), and optionally one list
 * {@code biglist} (in flow 0) of {@code listElements} elements of {@code listElementBytes} bytes.
 * Every value is a pure function of its index, so a checker can recompute any of them.
 *
 * @param keys number of string keys
 * @param valueBytes bytes of each string value (at least 16)
 * @param listElements elements of {@code biglist} (0: no list)
 * @param listElementBytes bytes of each list element (at least 16)
 * @param flows number of flows (shards) of the master
 * @param lz4 whether flushes are LZ4-compressed as Dragonfly's default {@code --compression_mode}
 */
public record SyntheticDataset(long keys, int valueBytes, long listElements, int listElementBytes, int flows,
                               boolean lz4) {
    /** The key of the big list. */
    public static final String LIST_KEY = "biglist";
    private static final byte[] ALPHABET =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_".getBytes(StandardCharsets.US_ASCII);

    /** Checks the arguments. */
    public SyntheticDataset {
        if (keys < 0 || listElements < 0 || flows < 1 || valueBytes < 16 || listElementBytes < 16) {
            throw new IllegalArgumentException("bad dataset: " + keys + " keys of " + valueBytes + " B, list of "
                    + listElements + " x " + listElementBytes + " B, " + flows + " flows");
        }
        if (listElements > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("at most 2^31-1 list elements");
        }
    }

    /** Keys in the dataset: the strings and, if any, the list. */
    public long totalKeys() {
        return keys + (listElements > 0 ? 1 : 0);
    }

    /** The key {@code key:<j>}. */
    public static byte[] key(long j) {
        return ("key:" + j).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The value of {@code key:<j>}: half pseudo-random characters, half a repeated pattern, so that
     * LZ4 saves something (as on real data) but not everything (as on {@code DEBUG POPULATE}'s values).
     */
    public byte[] value(long j) {
        return fill(new byte[valueBytes], j * 0x9E3779B97F4A7C15L + 1);
    }

    /** The list element at {@code index}. */
    public byte[] listElement(long index) {
        return fill(new byte[listElementBytes], index * 0xC2B2AE3D27D4EB4FL + 7);
    }

    /** The big list as a read-only list that generates each element when asked (nothing is stored). */
    public List<byte[]> listView() {
        int n = (int) listElements;
        return new AbstractList<>() {
            @Override
            public byte[] get(int index) {
                return listElement(index);
            }

            @Override
            public int size() {
                return n;
            }
        };
    }

    private static byte[] fill(byte[] b, long seed) {
        long x = seed | 1;
        int half = b.length / 2;
        for (int i = 0; i < half; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b[i] = ALPHABET[(int) (x & 63)];
        }
        for (int i = half; i < b.length; i++) {
            b[i] = (byte) ('a' + (i & 15));
        }
        return b;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d keys x %d B%s, %d flows, %s", keys, valueBytes,
                listElements > 0 ? String.format(Locale.ROOT, " + list %s of %d x %d B (%.2f GiB)", LIST_KEY,
                        listElements, listElementBytes, listElements * (double) listElementBytes / (1L << 30)) : "",
                flows, lz4 ? "LZ4" : "uncompressed");
    }
}
