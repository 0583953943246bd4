package io.df2redis.benchmarks;

import io.df2redis.protocol.rdb.RdbDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Throughput of {@link RdbDecoder#forFlow} on whole Dragonfly replication flows held in memory
 * and fed in 64 KiB slices, as they would arrive from a socket.
 *
 * <p>One operation decodes one whole flow. The primary score is flows/s; the secondary
 * {@code bytes} result is input bytes/s (divide by 1 048 576 for MiB/s) and {@code entries}
 * key/value entries/s (see {@link ThroughputCounters}). Each state prints the size of its input
 * and what it decoded to the fork's output during setup.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RdbDecodeBenchmark {
    static final int SLICE = 64 * 1024;

    /** A captured flow of the shared test vectors ({@code dragonfly/<release>/<case>/flow-<i>.bin}). */
    @State(Scope.Benchmark)
    public static class CapturedFlow {
        /**
         * <ul>
         * <li>v1.40.1/all-types-4shards-lz4-tagged/flow-1: 5.2 MB, LZ4 blobs with tagged chunks, 200k-element containers</li>
         * <li>v1.40.1/all-types-1shard-nocompress/flow-0: 0.4 MB, every value type, uncompressed</li>
         * <li>v1.40.1/writes-during-fullsync/flow-0: 0.8 MB, 50k keys in LZ4 blobs interleaved with journal blobs</li>
         * <li>v1.30.3/all-types-4shards-lz4/flow-1: 2.2 MB, LZ4, ziplist types, no tagged chunks</li>
         * </ul>
         */
        @Param({
            "v1.40.1/all-types-4shards-lz4-tagged/flow-1",
            "v1.40.1/all-types-1shard-nocompress/flow-0",
            "v1.40.1/writes-during-fullsync/flow-0",
            "v1.30.3/all-types-4shards-lz4/flow-1"
        })
        public String flow;

        byte[] bytes;

        @Setup(Level.Trial)
        public void load(Blackhole bh) {
            bytes = Vectors.read("dragonfly/" + flow + ".bin");
            ConsumingHandler h = decodeFlow(bytes, bh);
            System.out.println("# input " + flow + ": " + bytes.length + " bytes; decoded " + h);
        }
    }

    /** A generated ~32 MiB flow: see {@link SyntheticStreams#dragonflyFlow}. */
    @State(Scope.Benchmark)
    public static class GeneratedFlow {
        byte[] bytes;

        @Setup(Level.Trial)
        public void generate(Blackhole bh) {
            SyntheticStreams.FlowContents c = SyntheticStreams.dragonflyFlow(32L << 20, 42);
            bytes = c.bytes();
            ConsumingHandler h = decodeFlow(bytes, bh);
            if (h.entries != c.entries()) {
                throw new IllegalStateException("generated " + c.entries() + " entries, decoded " + h.entries);
            }
            System.out.println("# input generated flow: " + c + "; decoded " + h);
        }
    }

    @Benchmark
    public ConsumingHandler capturedFlow(CapturedFlow in, ThroughputCounters counters, Blackhole bh) {
        ConsumingHandler h = decodeFlow(in.bytes, bh);
        counters.bytes += in.bytes.length;
        counters.entries += h.entries;
        return h;
    }

    @Benchmark
    public ConsumingHandler generatedFlow(GeneratedFlow in, ThroughputCounters counters, Blackhole bh) {
        ConsumingHandler h = decodeFlow(in.bytes, bh);
        counters.bytes += in.bytes.length;
        counters.entries += h.entries;
        return h;
    }

    /** Decodes a whole flow fed in {@link #SLICE}-byte pieces. */
    static ConsumingHandler decodeFlow(byte[] bytes, Blackhole bh) {
        ConsumingHandler h = new ConsumingHandler(bh);
        RdbDecoder d = RdbDecoder.forFlow(h);
        for (int off = 0; off < bytes.length; off += SLICE) {
            d.feed(bytes, off, Math.min(SLICE, bytes.length - off));
        }
        d.finish();
        return h;
    }
}
