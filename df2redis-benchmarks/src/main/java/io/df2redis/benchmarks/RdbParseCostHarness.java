package io.df2redis.benchmarks;

import io.df2redis.protocol.rdb.RdbDecoderOptions;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * CPU time per parse of the {@link RedisRdbComparisonBenchmark} input, our decoder (with and
 * without CRC64 verification) against redis-replicator, measured in one JVM, interleaved:
 * each round parses the file {@code parsesPerRound} times with each parser in turn and takes
 * the benchmark thread's CPU time ({@code ThreadMXBean}) and allocated bytes per parse. Because
 * the three parsers alternate every few milliseconds, load from other processes hits them alike,
 * and the per-round ratios are what to read.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.df2redis.benchmarks.RdbParseCostHarness
 * [warmupRounds=40] [rounds=40] [parsesPerRound=20] [only=all|ours|theirs|crc|nocrc]}. With {@code only}
 * set, only those parsers run ({@code crc} and {@code nocrc}: ours with and without CRC64): for
 * profiling one side, or for counting instructions under {@code valgrind --tool=callgrind}, where
 * the difference between two runs with different round counts is the cost of the extra parses.
 */
public final class RdbParseCostHarness {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private RdbParseCostHarness() {
    }

    /** Parses {@code args}, runs the rounds and prints the per-parser figures and ratios. */
    public static void main(String[] args) throws IOException {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int perRound = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        String only = args.length > 3 ? args[3] : "all";

        RedisRdbComparisonBenchmark.RdbFile file = new RedisRdbComparisonBenchmark.RdbFile();
        file.load();
        byte[] bytes = file.bytes;
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        RdbDecoderOptions crc = RdbDecoderOptions.builder().verifyChecksum(true).build();
        RdbDecoderOptions noCrc = RdbDecoderOptions.builder().verifyChecksum(false).build();
        String[] names = {"ours, CRC64 verified", "ours, no CRC64", "redis-replicator"};
        boolean[] on = {
            only.equals("all") || only.equals("ours") || only.equals("crc"),
            only.equals("all") || only.equals("ours") || only.equals("nocrc"),
            only.equals("all") || only.equals("theirs")
        };
        Runnable[] parsers = {
            () -> RedisRdbComparisonBenchmark.decode(bytes, crc, bh),
            () -> RedisRdbComparisonBenchmark.decode(bytes, noCrc, bh),
            () -> {
                try {
                    var r = RedisRdbComparisonBenchmark.replicator(bytes);
                    r.addEventListener((rep, event) -> bh.consume(event));
                    r.open();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        long tid = Thread.currentThread().getId();
        List<double[]> cpu = new ArrayList<>();
        double[] alloc = new double[3];
        for (int round = 0; round < warmup + rounds; round++) {
            double[] perParse = new double[3];
            for (int p = 0; p < 3; p++) {
                if (!on[p]) {
                    continue;
                }
                long a0 = THREADS.getThreadAllocatedBytes(tid);
                long t0 = THREADS.getCurrentThreadCpuTime();
                for (int i = 0; i < perRound; i++) {
                    parsers[p].run();
                }
                perParse[p] = (THREADS.getCurrentThreadCpuTime() - t0) / 1e3 / perRound;
                if (round >= warmup) {
                    alloc[p] += (double) (THREADS.getThreadAllocatedBytes(tid) - a0) / perRound / rounds;
                }
            }
            if (round >= warmup) {
                cpu.add(perParse);
            }
        }
        System.out.printf(Locale.ROOT, "# %d rounds of %d parses per parser (after %d warm-up rounds), %d bytes%n",
                rounds, perRound, warmup, bytes.length);
        for (int p = 0; p < 3; p++) {
            if (!on[p]) {
                continue;
            }
            final int q = p;
            double[] v = cpu.stream().mapToDouble(r -> r[q]).sorted().toArray();
            System.out.printf(Locale.ROOT, "%-22s CPU us/parse median %8.1f  p10 %8.1f  p90 %8.1f  alloc %.2f MB%n",
                    names[p], median(v), v[v.length / 10], v[v.length * 9 / 10], alloc[p] / 1e6);
        }
        if (on[0] && on[2]) {
            for (int p = 0; p < 2; p++) {
                final int q = p;
                double[] ratio = cpu.stream().mapToDouble(r -> r[2] / r[q]).sorted().toArray();
                System.out.printf(Locale.ROOT, "ratio redis-replicator/%-20s median %.2f  p10 %.2f  p90 %.2f%n",
                        names[p], median(ratio), ratio[ratio.length / 10], ratio[ratio.length * 9 / 10]);
            }
        }
    }

    private static double median(double[] sorted) {
        double[] v = Arrays.copyOf(sorted, sorted.length);
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
